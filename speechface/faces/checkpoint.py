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
