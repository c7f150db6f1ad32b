"""What importing librosa's filters (and with them numba) would add to a cold start.

``MFCCTransformer`` computes librosa's mel filter bank itself because
``librosa.filters`` imports numba. This times, in fresh processes, the import of
``librosa.filters`` after ``import speechface`` and one
``SpeechToFace().predict`` of a demo clip (so only what those left unloaded
counts), and says whether that prediction loaded numba. Median of --repeats.

    python benchmarks/experiments/numba_import.py [--repeats 5]
"""

from __future__ import annotations

import argparse
import subprocess
import sys

import numpy as np

PROGRAM = """
import sys, time
import speechface
from speechface.demo import demo_clips
speechface.SpeechToFace().predict([str(demo_clips()[2][0])])
loaded = 'numba' in sys.modules
start = time.perf_counter()
import librosa.filters
print(loaded, time.perf_counter() - start)
"""


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    runs = [
        subprocess.run([sys.executable, "-c", PROGRAM], capture_output=True, text=True, check=True).stdout.split()
        for _ in range(args.repeats)
    ]
    print(f"numba loaded by the first prediction: {sorted({loaded for loaded, _ in runs})}")
    print(f"import librosa.filters afterwards: {np.median([float(s) for _, s in runs]):.3f} s (median of {len(runs)})")


if __name__ == "__main__":
    main()
