"""Memory and speed of predicting many clips, and of extracting features on all cores.

- ``SpeechToFace().predict_proba`` (shipped models, ``batch_size`` 128) on
  1,000 and 10,000 clips, each run in a fresh process fed a generator of paths
  (the eight demo clips over and over): wall time and the process's peak
  resident memory, next to the peak after loading the models and predicting
  one batch;
- ``MFCCTransformer`` (the shipped pipeline's features) on 2,000 clips with
  ``n_jobs=1`` and ``n_jobs=-1``.

    python scale.py [--clips 1000 10000]
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys

from _common import RESULTS, markdown_table, write_json

RUN = """
import itertools, json, resource, sys, time
import torch
torch.set_num_threads(2)
from speechface import SpeechToFace
from speechface.demo import demo_clips
n = int(sys.argv[1])
paths = [str(path) for path, _ in demo_clips()]
model = SpeechToFace(batch_size=128)
model.predict_proba(paths * 16)  # load the models, one batch
warm_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
start = time.perf_counter()
proba = model.predict_proba(itertools.islice(itertools.cycle(paths), n))
seconds = time.perf_counter() - start
assert proba.shape[0] == n
print(json.dumps({"clips": n, "seconds": seconds, "clips_per_s": n / seconds, "warm_peak_rss_mb": warm_mb,
                  "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
"""

FEATURES = """
import json, time
from speechface import pretrained
from speechface.demo import demo_clips
paths = [str(path) for path, _ in demo_clips()] * 250
mfcc = pretrained.ser().named_steps["mfcc"]
rows = {}
for n_jobs in (1, -1):
    mfcc.set_params(n_jobs=n_jobs).transform(paths[:64])  # warm: start the worker processes
    start = time.perf_counter()
    mfcc.transform(paths)
    rows[n_jobs] = len(paths) / (time.perf_counter() - start)
print(json.dumps({"clips": len(paths), "files_per_s_1_job": rows[1], "files_per_s_all_cores": rows[-1],
                  "speedup": rows[-1] / rows[1]}))
"""


def run(code: str, *args: str) -> dict:
    out = subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, check=True).stdout
    return json.loads(out.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--clips", type=int, nargs="+", default=[1000, 10000])
    args = parser.parse_args()
    rows = [run(RUN, str(n)) for n in args.clips]
    features = run(FEATURES)
    write_json("scale", {"predict": rows, "features": features})
    text = (
        markdown_table(rows, ["clips", "seconds", "clips_per_s", "warm_peak_rss_mb", "peak_rss_mb"])
        + "\n\n"
        + markdown_table([features], list(features))
    )
    (RESULTS / "scale.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
