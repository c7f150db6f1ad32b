"""Where the examples find data: the real sets, or small synthetic stand-ins.

Real data is read from ``$SPEECHFACE_DATA`` (default ``../shared/data`` beside
the repository). With ``SPEECHFACE_EXAMPLE_SMALL=1`` (as CI runs them), or when
the real data is absent, the examples make small synthetic folders instead.
The synthetic RAVDESS clips are tones, not speech: examples that train a speech
pipeline on them turn voice activity detection off, and examples that predict
with the shipped model use its demo clips (``speechface.demo``) instead.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from speechface.datasets.synthetic import make_fer_like_csv, make_ravdess_like

DATA = Path(os.environ.get("SPEECHFACE_DATA", Path(__file__).resolve().parents[1] / ".." / "shared" / "data"))
SMALL = bool(os.environ.get("SPEECHFACE_EXAMPLE_SMALL"))


def ravdess_dir() -> Path:
    """The RAVDESS speech folder, or a synthetic one with actors 1-4 and 21-22."""
    if not SMALL and (DATA / "ravdess").is_dir():
        return DATA / "ravdess"
    print("using a small synthetic RAVDESS-named folder (tones)")
    return make_ravdess_like(Path(tempfile.mkdtemp()) / "ravdess", actors=(1, 2, 3, 4, 21, 22), duration=1.5)


def fer_path() -> Path:
    """The FER-2013 folder, or a synthetic FER-style CSV of cartoon faces."""
    if not SMALL and (DATA / "fer2013").is_dir():
        return DATA / "fer2013"
    print("using a small synthetic FER-2013-style CSV (cartoon faces)")
    return make_fer_like_csv(Path(tempfile.mkdtemp()) / "fer2013.csv", n_per_emotion=24)
