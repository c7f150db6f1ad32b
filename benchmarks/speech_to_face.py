"""End-to-end speed of SpeechToFace with the shipped models, on the CPU.

- cold: a fresh Python process runs ``import speechface`` and the first
  ``SpeechToFace().predict`` on one demo clip (median of --repeats processes);
- warm: ``generate`` for one 3-4 s clip and one face, median of 50 calls;
- warm: ``predict`` for one clip, median of 50 calls.

    python speech_to_face.py [--threads 2] [--repeats 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys
import time

import numpy as np
from _common import RESULTS, markdown_table, set_threads, write_json

COLD = """
import time
start = time.perf_counter()
import speechface
from speechface.demo import demo_clips
clip = str(demo_clips()[2][0])
speechface.SpeechToFace().predict([clip])
print(time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    set_threads(args.threads)

    cold = [
        float(subprocess.run([sys.executable, "-c", COLD], capture_output=True, text=True, check=True).stdout)
        for _ in range(args.repeats)
    ]

    from speechface import SpeechToFace
    from speechface.demo import demo_clips

    clip = str(demo_clips()[2][0])
    model = SpeechToFace()
    model.generate([clip], random_state=0)  # warm up: load the models, first torch calls
    timings = {"generate": [], "predict": []}
    for seed in range(50):
        start = time.perf_counter()
        model.generate([clip], n_faces=1, random_state=seed)
        timings["generate"].append(time.perf_counter() - start)
        start = time.perf_counter()
        model.predict([clip])
        timings["predict"].append(time.perf_counter() - start)
    row = {
        "threads": args.threads,
        "import_and_first_predict_s": float(np.median(cold)),
        "warm_generate_one_clip_one_face_ms": 1000 * float(np.median(timings["generate"])),
        "warm_predict_one_clip_ms": 1000 * float(np.median(timings["predict"])),
    }
    write_json("speech_to_face", {**row, "cold_runs_s": cold})
    table = markdown_table([row], list(row))
    (RESULTS / "speech_to_face.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
