"""Eight short RAVDESS speech clips shipped for ``speechface demo``, one per emotion.

They come from actors 21-24, the speakers held out from every shipped model's
training, and are credited in ``CREDITS.md`` beside them (RAVDESS, CC BY-NC-SA 4.0).
"""

from __future__ import annotations

from importlib.resources import files
from pathlib import Path

from speechface.datasets.ravdess import parse_ravdess_filename


def demo_clips() -> list[tuple[Path, str]]:
    """The shipped demo clips and their true emotions.

    Returns
    -------
    list of (Path, str)
        Path of each 16 kHz mono FLAC clip (at most 3.8 s) and its RAVDESS emotion.
    """
    folder = Path(str(files("speechface.demo")))
    return [(path, parse_ravdess_filename(path)["emotion"]) for path in sorted(folder.glob("*.flac"))]
