"""Model files as plain parameters plus tensors: atomic writes and weights-only reads."""

from __future__ import annotations

import glob
import os
import tempfile
from collections.abc import Mapping
from pathlib import Path

import numpy as np
import torch

_SIMPLE = (bool, int, float, str, type(None))


def plain_params(estimator, known: Mapping[str, type]) -> dict:
    """The estimator's parameters that differ from its defaults, as plain values.

    Parameters
    ----------
    estimator : BaseEstimator
        A scikit-learn style estimator whose class has defaults for every parameter.
    known : mapping of str to type
        Classes (modules, optimizers ...) that may appear as parameter values;
        they are stored by name.

    Returns
    -------
    dict
        Parameter name to value, or to ``{"class": name}`` for a known class.
    """
    out, defaults = {}, type(estimator)().get_params(deep=False)
    for key, value in estimator.get_params(deep=False).items():
        if isinstance(value, np.generic):  # e.g. np.float64 from a parameter search
            value = value.item()
        if isinstance(value, tuple) and all(isinstance(v, _SIMPLE) for v in value):
            value = list(value)
        default = defaults.get(key, object())
        if key.startswith("_") or default is value or (isinstance(value, (*_SIMPLE, list)) and default == value):
            continue
        if isinstance(value, _SIMPLE) or (isinstance(value, list) and all(isinstance(v, _SIMPLE) for v in value)):
            out[key] = value
        elif isinstance(value, type) and known.get(value.__name__) is value:
            out[key] = {"class": value.__name__}
        else:
            raise ValueError(
                f"cannot save parameter {key}={value!r} safely (only built-in speechface classes "
                "and plain values); use joblib to persist this model"
            )
    return out


def restore_params(params: Mapping, known: Mapping[str, type]) -> dict:
    """Inverse of :func:`plain_params`.

    Parameters
    ----------
    params : mapping
        As returned by :func:`plain_params`.
    known : mapping of str to type
        The classes that may be named.

    Returns
    -------
    dict
        Parameters to pass to the estimator's constructor.
    """
    out = {}
    for key, value in params.items():
        if isinstance(value, dict):
            if value.get("class") not in known:
                raise ValueError(f"unknown class {value.get('class')!r} for parameter {key!r}")
            value = known[value["class"]]
        out[key] = value
    return out


def atomic_save(state: dict, path: str | os.PathLike) -> None:
    """``torch.save`` to a temporary file beside ``path``, then rename it into place.

    A killed process leaves either the old file or the new one, never half of
    one; the temporary file such a kill leaves behind is removed by the next save.

    Parameters
    ----------
    state : dict
        Plain values and tensors.
    path : str or path-like
        Destination.
    """
    path = Path(path)
    prefix = f".{path.name}."
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=prefix, suffix=".tmp", delete=False) as tmp:
        try:
            torch.save(state, tmp)
            tmp.flush()
            os.fsync(tmp.fileno())
        except BaseException:
            os.unlink(tmp.name)
            raise
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp.name, 0o666 & ~umask)  # NamedTemporaryFile creates it owner-only
    os.replace(tmp.name, path)
    for stale in path.parent.glob(f"{glob.escape(prefix)}*.tmp"):  # from writes killed before they ended
        stale.unlink(missing_ok=True)


def load_state(path: str | os.PathLike, file_format: str, version: int) -> dict:
    """Read a file written by :func:`atomic_save` without running any pickled code.

    Parameters
    ----------
    path : str or path-like
        The file.
    file_format : str
        The ``"format"`` entry the file must carry.
    version : int
        The ``"format_version"`` this speechface reads.

    Returns
    -------
    dict
        The stored state, tensors on the CPU.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: {str(path)!r}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many types for a foreign or damaged file
        raise ValueError(f"{str(path)!r} is not a speechface model file: {exc}") from None
    if not isinstance(state, dict) or state.get("format") != file_format:
        found = state.get("format") if isinstance(state, dict) else type(state).__name__
        raise ValueError(f"{str(path)!r} is not a {file_format} file (found {found!r})")
    if state.get("format_version") != version:
        raise ValueError(
            f"{str(path)!r} has format version {state.get('format_version')!r}; this speechface "
            f"reads version {version}: re-save it with a matching speechface version"
        )
    return state


def cpu_fallback(device: object) -> object:
    """``"cpu"`` for a CUDA device on a machine without CUDA, else ``device`` unchanged.

    Parameters
    ----------
    device : object
        A stored ``device`` parameter.

    Returns
    -------
    object
        The device to use here.
    """
    if str(device).startswith("cuda") and not torch.cuda.is_available():
        return "cpu"
    return device
