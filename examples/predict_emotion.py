"""Predict the emotion of speech clips with the shipped model.

    python examples/predict_emotion.py [AUDIO ...]

With no arguments it uses a few clips of the held-out RAVDESS test actors
(21-24) from ../shared/data/ravdess when that folder is there, or the 8 demo
clips shipped with the package otherwise (set SPEECHFACE_EXAMPLE_SMALL=1 to
force them). The model finds speech by voice activity detection, so it needs
real speech: synthetic tones would raise "no speech found".
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

from speechface import load_ravdess, pretrained
from speechface.demo import demo_clips

DATA = Path(os.environ.get("SPEECHFACE_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))


def default_clips() -> tuple[list, list]:
    """A few held-out RAVDESS clips, or the shipped demo clips (same actors), with their labels."""
    if not os.environ.get("SPEECHFACE_EXAMPLE_SMALL") and (DATA / "ravdess").is_dir():
        frame = load_ravdess(DATA / "ravdess").frame
        picks = frame[frame["actor"] >= 21].groupby("emotion", observed=True).head(1)
        return picks["path"].tolist(), picks["emotion"].astype(str).tolist()
    demo = demo_clips()  # real speech: the shipped model finds none in tones
    return [str(path) for path, _ in demo], [emotion for _, emotion in demo]


def main() -> None:
    clips, truth = (sys.argv[1:], ["?"] * (len(sys.argv) - 1)) if len(sys.argv) > 1 else default_clips()
    model = pretrained.ser()
    proba = model.predict_proba(clips)
    classes = model.classes_
    print(f"{'clip':<28} {'true':<10} {'predicted':<10} probability")
    for clip, true, p in zip(clips, truth, proba):
        print(f"{Path(clip).name:<28} {true:<10} {classes[p.argmax()]:<10} {p.max():.2f}")


if __name__ == "__main__":
    main()
