"""Resolving ``device="auto"`` to a torch device name."""

from __future__ import annotations

import torch


def resolve_device(device: str | None) -> str | None:
    """Return ``"cuda"`` or ``"cpu"`` for ``"auto"``, else ``device`` unchanged.

    Parameters
    ----------
    device : str or None
        ``"auto"``, a torch device name such as ``"cpu"`` or ``"cuda:0"``, or None.

    Returns
    -------
    str or None
        The device to use.
    """
    if isinstance(device, str) and device == "auto":
        return "cuda" if torch.cuda.is_available() else "cpu"
    return device
