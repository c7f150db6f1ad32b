"""RAVDESS speech: the file-name parser and :func:`load_ravdess`."""

from __future__ import annotations

import os
import re
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
from sklearn.utils import Bunch

from speechface._validation import check_choice
from speechface.exceptions import InvalidDatasetError
from speechface.labels import RAVDESS_EMOTIONS, ravdess_emotion

AUDIO_SUFFIXES = (".wav", ".flac")
_NAME = re.compile(r"^(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})-(\d{2})$")
_FIELDS = ("modality", "channel", "emotion", "intensity", "statement", "repetition", "actor")
_RANGES = {
    "modality": (1, 3),
    "channel": (1, 2),
    "intensity": (1, 2),
    "statement": (1, 2),
    "repetition": (1, 2),
    "actor": (1, 24),
}

DESCR = """RAVDESS speech (Livingstone & Russo 2018, PLoS ONE 13(5): e0196391, CC BY-NC-SA 4.0).
24 actors (odd male, even female), 8 emotions, 2 intensities, 2 statements, 2 repetitions.
data: file paths; target: emotion names; frame: every field of the file names."""


def parse_ravdess_filename(path: str | os.PathLike) -> dict[str, object]:
    """Parse the 7-part RAVDESS file name ``MM-CC-EE-II-SS-RR-AA.ext``.

    Parameters
    ----------
    path : str or path-like
        A RAVDESS file name or path to one.

    Returns
    -------
    dict
        ``modality``, ``channel``, ``emotion`` (name), ``intensity``, ``statement``,
        ``repetition`` and ``actor`` (ints), and ``gender`` (``"male"`` for odd actors).
    """
    stem = Path(path).stem
    match = _NAME.match(stem)
    if match is None:
        raise InvalidDatasetError(
            f"{str(path)!r} is not a RAVDESS file name (expected MM-CC-EE-II-SS-RR-AA, e.g. 03-01-05-02-01-01-12.wav)"
        )
    fields = dict(zip(_FIELDS, (int(v) for v in match.groups())))
    for key, (low, high) in _RANGES.items():
        if not low <= fields[key] <= high:
            raise InvalidDatasetError(f"{str(path)!r}: {key} code {fields[key]:02d} is outside {low:02d}-{high:02d}")
    if fields["channel"] == 2:
        raise InvalidDatasetError(f"{str(path)!r} is a RAVDESS song file (channel 02); only speech is supported")
    try:
        fields["emotion"] = ravdess_emotion(fields["emotion"])
    except ValueError as exc:
        raise InvalidDatasetError(f"{str(path)!r}: {exc}") from None
    fields["gender"] = "male" if fields["actor"] % 2 else "female"
    return fields


def load_ravdess(
    path: str | os.PathLike,
    *,
    return_X_y: bool = False,
    on_invalid: str = "raise",
) -> Bunch | tuple[np.ndarray, np.ndarray]:
    """Load the RAVDESS speech files under a folder.

    The folder may hold the standard ``Actor_XX`` sub-folders or the files flat;
    ``.wav`` and ``.flac`` files are read, other files are ignored.

    Parameters
    ----------
    path : str or path-like
        Folder containing RAVDESS speech files.
    return_X_y : bool, default=False
        Return ``(data, target)`` instead of a Bunch.
    on_invalid : {"raise", "warn"}, default="raise"
        What to do with audio files that are not RAVDESS speech files (song files,
        other names): raise an error naming them, or skip them with a warning.

    Returns
    -------
    Bunch or tuple of ndarray
        ``data`` (file paths, str), ``target`` (emotion names), ``frame`` (a
        DataFrame with ``path`` and every file-name field, plus ``gender``),
        ``target_names`` and ``DESCR``; or ``(data, target)``.
    """
    check_choice(on_invalid, "on_invalid", ("raise", "warn"))
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"RAVDESS folder not found: {str(root)!r}")
    if not root.is_dir():
        raise NotADirectoryError(f"expected a RAVDESS folder, got a file: {str(root)!r}")
    files = sorted(p for p in root.rglob("*") if p.suffix.lower() in AUDIO_SUFFIXES and p.is_file())
    rows, invalid = [], []
    for file in files:
        try:
            rows.append({"path": str(file), **parse_ravdess_filename(file)})
        except InvalidDatasetError as exc:
            invalid.append(str(exc))
    if invalid:
        message = f"{len(invalid)} file(s) under {str(root)!r} are not RAVDESS speech: " + "; ".join(invalid[:5])
        if on_invalid == "raise":
            raise InvalidDatasetError(message + " (pass on_invalid='warn' to skip them)")
        warnings.warn(message + "; skipped", UserWarning, stacklevel=2)
    if not rows:
        raise InvalidDatasetError(f"no RAVDESS speech files (.wav/.flac) found under {str(root)!r}")
    frame = pd.DataFrame(rows, columns=["path", *_FIELDS, "gender"])
    frame["emotion"] = pd.Categorical(frame["emotion"], categories=RAVDESS_EMOTIONS)
    data = frame["path"].to_numpy(dtype=object)
    target = frame["emotion"].astype(str).to_numpy(dtype=object)
    if return_X_y:
        return data, target
    return Bunch(data=data, target=target, frame=frame, target_names=list(RAVDESS_EMOTIONS), DESCR=DESCR)
