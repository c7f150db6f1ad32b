"""Predict the emotion of speech clips with the shipped model.

    python examples/predict_emotion.py [AUDIO ...]

With no arguments it uses a few clips of the held-out RAVDESS test actors
(21-24) from ../shared/data/ravdess when that folder is there, or generated
tones otherwise (set SPEECHFACE_EXAMPLE_SMALL=1 to force the tones).
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

import numpy as np

from speechface import load_ravdess, pretrained

DATA = Path(os.environ.get("SPEECHFACE_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))


def default_clips() -> tuple[list, list]:
    """A few held-out RAVDESS clips with their labels, or synthetic tones without labels."""
    if not os.environ.get("SPEECHFACE_EXAMPLE_SMALL") and (DATA / "ravdess").is_dir():
        frame = load_ravdess(DATA / "ravdess").frame
        picks = frame[frame["actor"] >= 21].groupby("emotion", observed=True).head(1)
        return picks["path"].tolist(), picks["emotion"].astype(str).tolist()
    t = np.arange(16000 * 3) / 16000
    tones = [(0.3 * np.sin(2 * np.pi * f * t * (1 + 0.1 * t))).astype(np.float32) for f in (120, 220, 330)]
    return tones, ["?"] * len(tones)


def main() -> None:
    clips, truth = (sys.argv[1:], ["?"] * (len(sys.argv) - 1)) if len(sys.argv) > 1 else default_clips()
    model = pretrained.ser()
    proba = model.predict_proba(clips)
    classes = model.classes_
    print(f"{'clip':<28} {'true':<10} {'predicted':<10} probability")
    for clip, true, p in zip(clips, truth, proba):
        name = Path(clip).name if isinstance(clip, str) else "generated tone"
        print(f"{name:<28} {true:<10} {classes[p.argmax()]:<10} {p.max():.2f}")


if __name__ == "__main__":
    main()
