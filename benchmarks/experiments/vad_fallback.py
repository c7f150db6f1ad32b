"""The second pass of speechface.audio.vad.find_speech: which (threshold, shortest speech) to retry with?

silero-vad at its defaults (speech probability 0.5, 0.25 s) misses some
development clips (shouts, laughter) and very short clips. A retry at lower
settings should find those and still find nothing in noise alone. Counts, for
each candidate: the clean development clips (actors 1-20) the first pass
misses that it finds, 0.3 s cuts of the 8 shipped demo clips (at their
speech onset, +0.3 s and +0.6 s) that it finds, and 3 s of white noise (rms
0.001 to 0.1, 8 seeds each) that it takes for speech.

    python benchmarks/experiments/vad_fallback.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import markdown_table, ravdess_protocol, write_json  # noqa: E402

SR = 16000
CANDIDATES = ((0.1, 0.1), (0.2, 0.1), (0.3, 0.1), (0.35, 0.1), (0.4, 0.1), (0.3, 0.05))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    args = parser.parse_args()
    from speechface.audio import load_audio
    from speechface.audio.vad import speech_intervals
    from speechface.demo import demo_clips

    bunch, _, dev, _ = ravdess_protocol(args.data)
    missed = [y for y in (load_audio(p, sr=SR) for p in bunch.data[dev]) if not len(speech_intervals(y, SR))]
    print(f"first pass (0.5, 0.25 s) misses {len(missed)} of {dev.sum()} development clips")
    short = []
    for path, _ in demo_clips():
        y = load_audio(path, sr=SR)
        onset = speech_intervals(y, SR)[0, 0]
        short += [y[onset + int(d * SR) : onset + int((d + 0.3) * SR)] for d in (0.0, 0.3, 0.6)]
    rng = np.random.default_rng(0)
    noise = [
        (level * rng.standard_normal(3 * SR)).astype(np.float32)
        for level in (0.001, 0.003, 0.01, 0.03, 0.1)
        for _ in range(8)
    ]
    rows = []
    for threshold, shortest in CANDIDATES:

        def found(y, threshold=threshold, shortest=shortest):
            return len(speech_intervals(y, SR, threshold=threshold, min_speech=shortest)) > 0

        rows.append(
            {
                "threshold": threshold,
                "min_speech_s": shortest,
                "missed_found": f"{sum(map(found, missed))}/{len(missed)}",
                "short_found": f"{sum(map(found, short))}/{len(short)}",
                "noise_false_alarms": f"{sum(map(found, noise))}/{len(noise)}",
            }
        )
        print(rows[-1], flush=True)
    print("\n" + markdown_table(rows, list(rows[0])))
    write_json("vad_fallback", {"first_pass_misses": len(missed), "rows": rows})


if __name__ == "__main__":
    main()
