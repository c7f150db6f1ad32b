"""Training checkpoints of ConditionalFaceGenerator: everything needed to resume exactly."""

from __future__ import annotations

import os

from speechface.utils.persistence import atomic_save, load_state

FORMAT = "speechface.gan_checkpoint"
FORMAT_VERSION = 1


def save_checkpoint(path: str | os.PathLike, state: dict) -> None:
    """Write a training state atomically (a killed process leaves the previous checkpoint).

    Parameters
    ----------
    path : str or path-like
        Checkpoint file.
    state : dict
        Plain values and tensors: module and optimizer states, position, RNG state.
    """
    atomic_save({"format": FORMAT, "format_version": FORMAT_VERSION, **state}, path)


def load_checkpoint(path: str | os.PathLike) -> dict:
    """Read a checkpoint written by :func:`save_checkpoint` (weights only, no pickled code).

    Parameters
    ----------
    path : str or path-like
        Checkpoint file.

    Returns
    -------
    dict
        The training state.
    """
    return load_state(path, FORMAT, FORMAT_VERSION)


def compact_checkpoint(path: str | os.PathLike, out: str | os.PathLike | None = None) -> None:
    """Rewrite a checkpoint small enough to commit: no optimizer states, weights in float16.

    Training resumes from it (Adam's moments start afresh and the weights
    come back from half precision), so the resumed run is close to, not bit for
    bit the same as, an unbroken one. A file about a quarter of the full
    checkpoint's size.

    Parameters
    ----------
    path : str or path-like
        A checkpoint written during ``fit``.
    out : str or path-like, optional
        Where to write the compact checkpoint; by default over ``path``.
    """
    state = load_checkpoint(path)
    halved = {}
    for key in ("generator", "ema", "discriminator"):
        halved[key] = {k: v.half() if v.is_floating_point() else v for k, v in state[key].items()}
    compact = {k: v for k, v in state.items() if k not in ("format", "format_version", "optimizers")}
    save_checkpoint(path if out is None else out, {**compact, **halved})
