"""Face sheets: grids of 48x48 faces saved as PNG, one labelled row per clip or emotion."""

from __future__ import annotations

import os
from collections.abc import Sequence

import numpy as np

_PAD = 2


def save_face_grid(
    faces: np.ndarray, path: str | os.PathLike, row_labels: Sequence[str] | None = None, scale: int = 2
) -> None:
    """Write faces as a PNG grid: ``faces[r, c]`` at row r, column c.

    Parameters
    ----------
    faces : ndarray of shape (rows, cols, 48, 48)
        uint8 faces.
    path : str or path-like
        The PNG file to write.
    row_labels : sequence of str, optional
        A label written left of each row.
    scale : int, default=2
        Nearest-neighbour enlargement of the whole sheet.
    """
    from PIL import Image, ImageDraw

    faces = np.asarray(faces)
    if faces.ndim != 4 or faces.shape[2:] != (48, 48) or faces.dtype != np.uint8:
        raise ValueError(f"faces must be uint8 of shape (rows, cols, 48, 48), got {faces.dtype} {faces.shape}")
    rows, cols = faces.shape[:2]
    if row_labels is not None and len(row_labels) != rows:
        raise ValueError(f"got {len(row_labels)} row labels for {rows} rows")
    label_width = 0 if row_labels is None else 8 + 6 * max(len(str(label)) for label in row_labels)
    sheet = Image.new("L", (label_width + cols * (48 + _PAD), max(rows, 1) * (48 + _PAD)), 255)
    draw = ImageDraw.Draw(sheet)
    for r in range(rows):
        if row_labels is not None:
            draw.text((4, r * (48 + _PAD) + 18), str(row_labels[r]), fill=0)
        for c in range(cols):
            sheet.paste(Image.fromarray(faces[r, c]), (label_width + c * (48 + _PAD), r * (48 + _PAD)))
    sheet.resize((sheet.width * scale, sheet.height * scale), Image.NEAREST).save(path, format="PNG")
