"""FER-2013 faces: :func:`load_fer2013` for the original CSV and the Kaggle image folders."""

from __future__ import annotations

import csv
import os
from pathlib import Path

import numpy as np
from sklearn.utils import Bunch

from speechface._validation import check_choice
from speechface.exceptions import InvalidDatasetError
from speechface.labels import FER_EMOTIONS

SIDE = 48
SPLITS = ("train", "test")
IMAGE_SUFFIXES = (".jpg", ".jpeg", ".png", ".bmp")
_USAGE = {"training": "train", "publictest": "test", "privatetest": "test"}
_CSV_NAMES = ("fer2013.csv", "icml_face_data.csv")

DESCR = """FER-2013 (Goodfellow et al. 2013, ICML workshop on representation learning).
35,887 grayscale 48x48 faces, 7 emotions: angry disgust fear happy sad surprise neutral.
images: uint8 (n, 48, 48); target: codes 0-6 in that order; split: "train" or "test"."""


def _read_csv(file: Path) -> tuple[list[np.ndarray], list[int], list[str], list[str]]:
    """Rows of the original ``emotion,pixels,Usage`` CSV; errors name the line."""
    images, targets, splits, sources = [], [], [], []
    with open(file, newline="") as handle:
        reader = csv.DictReader(handle, skipinitialspace=True)
        columns = {name.strip().lower(): name for name in reader.fieldnames or ()}
        if not {"emotion", "pixels"} <= columns.keys():
            raise InvalidDatasetError(
                f"{str(file)!r} is not a FER-2013 CSV: expected columns emotion,pixels[,Usage], "
                f"got {reader.fieldnames!r}"
            )
        for line, row in enumerate(reader, start=2):
            where = f"{str(file)!r} line {line}"
            try:
                code = int(row[columns["emotion"]])
                pixels = np.array(row[columns["pixels"]].split(), dtype=np.int64)
            except (TypeError, ValueError, AttributeError):
                raise InvalidDatasetError(f"{where}: emotion must be an int and pixels space-separated ints") from None
            if not 0 <= code < len(FER_EMOTIONS):
                raise InvalidDatasetError(f"{where}: emotion code {code} is outside 0-6")
            if pixels.size != SIDE * SIDE or pixels.min() < 0 or pixels.max() > 255:
                raise InvalidDatasetError(f"{where}: expected {SIDE * SIDE} pixel values in 0-255, got {pixels.size}")
            usage = (row.get(columns.get("usage", ""), None) or "training").strip().lower()
            if usage not in _USAGE:
                raise InvalidDatasetError(f"{where}: Usage must be Training, PublicTest or PrivateTest, got {usage!r}")
            images.append(pixels.astype(np.uint8).reshape(SIDE, SIDE))
            targets.append(code)
            splits.append(_USAGE[usage])
            sources.append(f"{file}:{line}")
    return images, targets, splits, sources


def _read_image(file: Path) -> np.ndarray:
    """One 48x48 face as uint8; a colour image is converted to gray."""
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(file) as image:
            pixels = np.asarray(image.convert("L"))
    except (UnidentifiedImageError, OSError) as exc:
        raise InvalidDatasetError(f"cannot read face image {str(file)!r}: {exc}") from None
    if pixels.shape != (SIDE, SIDE):
        raise InvalidDatasetError(f"face image {str(file)!r} is {pixels.shape[1]}x{pixels.shape[0]}, expected 48x48")
    return pixels


def _read_folders(root: Path, splits: tuple[str, ...]) -> tuple[list[np.ndarray], list[int], list[str], list[str]]:
    """Images of the ``<split>/<emotion>/*.jpg`` layout."""
    images, targets, split_of, sources = [], [], [], []
    for split in splits:
        for code, emotion in enumerate(FER_EMOTIONS):
            folder = root / split / emotion
            if not folder.is_dir():
                raise InvalidDatasetError(f"FER-2013 folder {str(folder)!r} is missing")
            for file in sorted(p for p in folder.iterdir() if p.suffix.lower() in IMAGE_SUFFIXES):
                images.append(_read_image(file))
                targets.append(code)
                split_of.append(split)
                sources.append(str(file))
    return images, targets, split_of, sources


def _find_csv(root: Path) -> Path | None:
    if root.is_file():
        return root
    return next((root / name for name in _CSV_NAMES if (root / name).is_file()), None)


def load_fer2013(
    path: str | os.PathLike,
    *,
    split: str | None = None,
    return_X_y: bool = False,
) -> Bunch | tuple[np.ndarray, np.ndarray]:
    """Load FER-2013 faces from the original CSV or the Kaggle image folders.

    Parameters
    ----------
    path : str or path-like
        The ``fer2013.csv`` file (columns ``emotion,pixels,Usage``), a folder
        holding it, or a folder with ``train/<emotion>/`` and ``test/<emotion>/``
        image folders (emotion folders named as in :data:`~speechface.labels.FER_EMOTIONS`).
    split : {"train", "test"} or None, default=None
        Load one split only; None loads both. In the CSV, ``Training`` rows are
        ``"train"`` and ``PublicTest``/``PrivateTest`` rows are ``"test"``.
    return_X_y : bool, default=False
        Return ``(images, target)`` instead of a Bunch.

    Returns
    -------
    Bunch or tuple of ndarray
        ``images`` (uint8, ``(n, 48, 48)``), ``target`` (int codes 0-6 in
        FER-2013 order), ``target_names``, ``split`` (``"train"``/``"test"``
        per image), ``source`` (file, or CSV file and line, per image) and
        ``DESCR``; or ``(images, target)``.
    """
    check_choice(split, "split", (*SPLITS, None))
    root = Path(path)
    if not root.exists():
        raise FileNotFoundError(f"FER-2013 path not found: {str(root)!r}")
    wanted = SPLITS if split is None else (split,)
    csv_file = _find_csv(root)
    if csv_file is not None:
        images, targets, splits, sources = _read_csv(csv_file)
    elif any((root / s).is_dir() for s in SPLITS):
        present = tuple(s for s in wanted if (root / s).is_dir())
        if split is not None and not present:
            raise InvalidDatasetError(f"no {split!r} folder under {str(root)!r}")
        images, targets, splits, sources = _read_folders(root, present)
    else:
        raise InvalidDatasetError(f"{str(root)!r} holds neither fer2013.csv nor train/ and test/ image folders")
    keep = [i for i, s in enumerate(splits) if s in wanted]
    if not keep:
        raise InvalidDatasetError(f"no FER-2013 faces of split {wanted} under {str(root)!r}")
    images_array = np.stack([images[i] for i in keep]).astype(np.uint8, copy=False)
    target = np.array([targets[i] for i in keep], dtype=np.int64)
    if return_X_y:
        return images_array, target
    return Bunch(
        images=images_array,
        target=target,
        target_names=list(FER_EMOTIONS),
        split=np.array([splits[i] for i in keep], dtype=object),
        source=np.array([sources[i] for i in keep], dtype=object),
        DESCR=DESCR,
    )
