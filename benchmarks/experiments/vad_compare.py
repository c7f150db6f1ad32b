"""Which voice-activity detector finds RAVDESS speech under noise and reverberation?

Compares librosa's energy split, webrtcvad (aggressiveness 3) and silero-vad on
development clips (actors 1-20 only). The reference span of each clip is the
energy split of the clean studio recording (top_db=35), which is exact on
near-silent studio audio. Each detector then sees the clip under a condition
and is scored by the IoU of its span (first speech onset to last offset) with
the reference, the onset error in seconds, the fraction of noise-only clips in
which it reports speech (false alarms), and its time per clip on one thread.

    python benchmarks/experiments/vad_compare.py [--clips 100]
"""

from __future__ import annotations

import argparse
import sys
import time
import warnings
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import markdown_table, ravdess_protocol, set_threads, write_json  # noqa: E402

SR = 16000


def energy_span(y: np.ndarray, top_db: float) -> tuple[int, int] | None:
    import librosa

    intervals = librosa.effects.split(y, top_db=top_db, frame_length=1024, hop_length=256)
    return (int(intervals[0, 0]), int(intervals[-1, 1])) if len(intervals) else None


def webrtc_span(y: np.ndarray) -> tuple[int, int] | None:
    import webrtcvad

    vad, step = webrtcvad.Vad(3), SR * 30 // 1000
    pcm = (np.clip(y, -1, 1) * 32767).astype(np.int16)
    flags = np.array([vad.is_speech(pcm[i : i + step].tobytes(), SR) for i in range(0, len(pcm) - step + 1, step)])
    speech = np.flatnonzero(flags)
    return (int(speech[0] * step), int((speech[-1] + 1) * step)) if speech.size else None


def silero_span(y: np.ndarray) -> tuple[int, int] | None:
    """silero-vad as speechface runs it (speechface.audio.vad.find_speech)."""
    from speechface.audio.vad import find_speech

    intervals = find_speech(y, SR)
    return (int(intervals[0, 0]), int(intervals[-1, 1])) if len(intervals) else None


def conditions(babble_paths):
    import audiomentations as A

    return {
        "clean": None,
        "white 10 dB": A.AddColorNoise(10, 10, min_f_decay=0, max_f_decay=0, p=1.0),
        "white 0 dB": A.AddColorNoise(0, 0, min_f_decay=0, max_f_decay=0, p=1.0),
        "pink 5 dB": A.AddColorNoise(5, 5, min_f_decay=-3.01, max_f_decay=-3.01, p=1.0),
        "brown 5 dB": A.AddColorNoise(5, 5, min_f_decay=-6.02, max_f_decay=-6.02, p=1.0),
        "babble 10 dB": A.Compose([A.AddBackgroundNoise(babble_paths, 16, 16, p=1.0) for _ in range(3)]),
        "room RT60 0.6 s": A.RoomSimulator(
            min_target_rt60=0.6,
            max_target_rt60=0.6,
            calculation_mode="rt60",
            use_ray_tracing=False,
            max_order=3,
            leave_length_unchanged=True,
            p=1.0,
        ),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    parser.add_argument("--clips", type=int, default=100)
    args = parser.parse_args()
    set_threads(1)
    warnings.filterwarnings("ignore")
    from speechface.audio import load_audio

    bunch, _, dev, _ = ravdess_protocol(args.data)
    paths = np.random.default_rng(0).choice(bunch.data[dev], size=2 * args.clips, replace=False)
    clips, babble = [load_audio(p, sr=SR) for p in paths[: args.clips]], list(paths[args.clips :])
    detectors = {
        "librosa energy (top_db 35)": lambda y: energy_span(y, 35),
        "webrtcvad (mode 3)": webrtc_span,
        "silero-vad": silero_span,
    }
    for detect in detectors.values():
        detect(clips[0])  # warm up (numba, torch.jit)
    np.random.seed(0)
    import random

    random.seed(0)
    rows = []
    for cond, transform in conditions(babble).items():
        seen = [y if transform is None else transform(y, SR) for y in clips]
        for name, detect in detectors.items():
            ious, onsets, misses, start = [], [], 0, time.perf_counter()
            for y, clean in zip(seen, clips):
                ref, got = energy_span(clean, 35), detect(y)
                if got is None:
                    misses += 1
                    ious.append(0.0)
                    continue
                inter = max(0, min(ref[1], got[1]) - max(ref[0], got[0]))
                ious.append(inter / (max(ref[1], got[1]) - min(ref[0], got[0])))
                onsets.append(abs(got[0] - ref[0]) / SR)
            ms = (time.perf_counter() - start) / len(seen) * 1000
            rows.append(
                {
                    "condition": cond,
                    "detector": name,
                    "span_iou": float(np.mean(ious)),
                    "onset_err_s": float(np.median(onsets)) if onsets else float("nan"),
                    "no_speech_found": misses / len(seen),
                    "ms_per_clip": ms,
                }
            )
            print(rows[-1], flush=True)
    summary = []
    for name in detectors:
        mine = [r for r in rows if r["detector"] == name]
        summary.append(
            {
                "detector": name,
                "mean_span_iou": float(np.mean([r["span_iou"] for r in mine])),
                "worst_span_iou": float(np.min([r["span_iou"] for r in mine])),
                "ms_per_clip": float(np.mean([r["ms_per_clip"] for r in mine])),
            }
        )
    table = markdown_table(rows, ["condition", "detector", "span_iou", "onset_err_s", "no_speech_found", "ms_per_clip"])
    table2 = markdown_table(summary, ["detector", "mean_span_iou", "worst_span_iou", "ms_per_clip"])
    print("\n" + table + "\n\n" + table2)
    write_json("vad_compare", {"clips": args.clips, "rows": rows, "summary": summary})


if __name__ == "__main__":
    main()
