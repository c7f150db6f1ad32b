"""Save and load a fitted ConditionalFaceGenerator as plain parameters and weights (no pickle)."""

from __future__ import annotations

import os

import numpy as np
from sklearn.utils.validation import check_is_fitted

from speechface.faces.generator import ARCHITECTURES, ConditionalFaceGenerator
from speechface.labels import FER_EMOTIONS
from speechface.utils import resolve_device
from speechface.utils.persistence import atomic_save, cpu_fallback, load_state, plain_params

FORMAT = "speechface.face_generator"
#: 2: every parameter stored (version 1 holds only those that differed from the defaults)
FORMAT_VERSION = 2

#: The defaults version-1 files were saved under; ``precision`` did not exist (training was float32).
V1_DEFAULTS = {
    "architecture": "default",
    "width": 32,
    "latent_dim": 128,
    "max_epochs": 10,
    "batch_size": 64,
    "lr": 2e-4,
    "ema_decay": 0.999,
    "augment": True,
    "aux_weight": 1.0,
    "checkpoint_every": 200,
    "precision": "float32",
    "warm_start": False,
    "device": "auto",
    "random_state": None,
    "verbose": 1,
}


def _from_version_1(state: dict) -> dict:
    """A version-1 state as version 2: the defaults it was saved under filled in."""
    return {**state, "format_version": 2, "params": {**V1_DEFAULTS, **state["params"]}}


def save_generator(generator: ConditionalFaceGenerator, path: str | os.PathLike) -> None:
    """Write the sampling network of a fitted generator, atomically.

    Only what ``sample`` needs is kept (the generator network, the moving
    average where enabled); the discriminator and optimizer states are not, so
    a loaded generator samples but cannot ``warm_start``. Use a ``checkpoint``
    or joblib to keep training later.

    Parameters
    ----------
    generator : ConditionalFaceGenerator
        The fitted generator.
    path : str or path-like
        Where to write (conventionally ``.pt``).
    """
    if not isinstance(generator, ConditionalFaceGenerator):
        raise TypeError(f"expected a ConditionalFaceGenerator, got {type(generator).__name__}")
    check_is_fitted(generator)
    params = plain_params(generator, {})
    params.pop("checkpoint", None)
    atomic_save(
        {
            "format": FORMAT,
            "format_version": FORMAT_VERSION,
            "params": params,
            "classes": generator.classes_.tolist(),
            "n_images_seen": generator.n_images_seen_,
            "history": [dict(h) for h in generator.history_],
            "state_dict": {k: v.detach().cpu() for k, v in generator.generator_.state_dict().items()},
        },
        path,
    )


def load_generator(path: str | os.PathLike) -> ConditionalFaceGenerator:
    """Load a generator written by :func:`save_generator`, on the CPU or any device.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    ConditionalFaceGenerator
        A fitted generator, ready to ``sample``.
    """
    state = load_state(path, FORMAT, FORMAT_VERSION, migrations={1: _from_version_1})
    params = dict(state["params"])
    if "device" in params:
        params["device"] = cpu_fallback(params["device"])
    generator = ConditionalFaceGenerator(**params)
    generator._check_params()
    network = ARCHITECTURES[generator.architecture][0](generator.latent_dim, len(FER_EMOTIONS), generator.width)
    network.load_state_dict(state["state_dict"])
    generator.generator_ = network.to(resolve_device(generator.device)).eval()
    generator.classes_ = np.asarray(state["classes"])
    generator.n_images_seen_ = state["n_images_seen"]
    generator.history_ = [dict(h) for h in state["history"]]
    return generator
