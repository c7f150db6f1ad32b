"""Model files as plain parameters plus tensors: atomic writes and weights-only reads."""

from __future__ import annotations

import glob
import inspect
import os
import tempfile
from collections.abc import Callable, Mapping
from pathlib import Path

import numpy as np
import torch

_SIMPLE = (bool, int, float, str, type(None))


def _plain(key: str, value: object, known: Mapping[str, type]) -> object:
    """One parameter value as a plain value, or ``{"class": name}`` for a known class."""
    if isinstance(value, np.generic):  # e.g. np.float64 from a parameter search
        value = value.item()
    if isinstance(value, tuple) and all(isinstance(v, _SIMPLE) for v in value):
        value = list(value)
    if isinstance(value, os.PathLike):
        value = str(value)
    if isinstance(value, _SIMPLE) or (isinstance(value, list) and all(isinstance(v, _SIMPLE) for v in value)):
        return value
    if isinstance(value, type) and known.get(value.__name__) is value:
        return {"class": value.__name__}
    raise ValueError(
        f"cannot save parameter {key}={value!r} safely (only built-in speechface classes "
        "and plain values); use joblib to persist this model"
    )


def module_defaults(module: type, shape_args: tuple[str, ...] = ("in_channels", "n_frames", "n_classes")) -> dict:
    """The keyword arguments a torch module class takes with defaults, as ``module__<name>`` parameters.

    Parameters
    ----------
    module : type
        A ``torch.nn.Module`` subclass.
    shape_args : tuple of str
        Arguments the classifier sets from the data, left out.

    Returns
    -------
    dict
        ``module__<name>`` to its default.
    """
    signature = inspect.signature(module.__init__)
    return {
        f"module__{name}": p.default
        for name, p in signature.parameters.items()
        if name not in shape_args and p.default is not inspect.Parameter.empty
    }


def plain_params(estimator, known: Mapping[str, type]) -> dict:
    """Every parameter of the estimator, as plain values, so that a file keeps its meaning.

    All parameters are stored, not only those that differ from today's
    defaults: a file then means the same whatever later versions change their
    defaults to. For a skorch classifier, the keyword arguments of its module
    class that were not set are stored too, with their defaults.

    Parameters
    ----------
    estimator : BaseEstimator
        A scikit-learn style estimator.
    known : mapping of str to type
        Classes (modules, optimizers ...) that may appear as parameter values;
        they are stored by name.

    Returns
    -------
    dict
        Parameter name to value, or to ``{"class": name}`` for a known class.
    """
    params = {k: v for k, v in estimator.get_params(deep=False).items() if not k.startswith("_")}
    module = params.get("module")
    if isinstance(module, type):
        params = {**module_defaults(module), **params}
    return {key: _plain(key, value, known) for key, value in params.items()}


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


def read_state(path: str | os.PathLike) -> dict:
    """The dict a speechface model file holds, read without running pickled code (no format check).

    Parameters
    ----------
    path : str or path-like
        The file.

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
    if not isinstance(state, dict) or "format" not in state:
        raise ValueError(f"{str(path)!r} is not a speechface model file (it holds no 'format' entry)")
    return state


def load_state(
    path: str | os.PathLike,
    file_format: str,
    version: int,
    migrations: Mapping[int, Callable[[dict], dict]] | None = None,
) -> dict:
    """Read a file written by :func:`atomic_save` without running any pickled code.

    Parameters
    ----------
    path : str or path-like
        The file.
    file_format : str
        The ``"format"`` entry the file must carry.
    version : int
        The ``"format_version"`` this speechface reads.
    migrations : mapping of int to callable, optional
        For each older version this speechface still reads, a function that
        turns such a state into the next version's; they are applied in turn.

    Returns
    -------
    dict
        The stored state (migrated to ``version``), tensors on the CPU.
    """
    state = read_state(path)
    if state.get("format") != file_format:
        raise ValueError(f"{str(path)!r} is not a {file_format} file (found {state.get('format')!r})")
    migrations = migrations or {}
    while state.get("format_version") in migrations and state.get("format_version") != version:
        state = migrations[state["format_version"]](state)
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


def _core_classes() -> dict[str, type]:
    """Classes any torch classifier's parameters may name: optimizers, losses, skorch's data classes."""
    from skorch.dataset import Dataset

    from speechface.utils.losses import EnsembleCrossEntropy

    classes = (
        torch.optim.AdamW,
        torch.optim.Adam,
        torch.optim.RMSprop,
        torch.optim.SGD,
        torch.nn.CrossEntropyLoss,
        EnsembleCrossEntropy,
        torch.utils.data.DataLoader,
        Dataset,
    )
    return {cls.__name__: cls for cls in classes}


def classifier_state(clf, known: Mapping[str, type]) -> dict:
    """Every parameter, the classes, the class weights, the input shape and the weights of a fitted classifier.

    Parameters
    ----------
    clf : TorchClassifier
        Fitted; its parameters must be plain values or ``known`` classes.
    known : mapping of str to type
        Classes beyond the core's (optimizers, losses) that may appear as parameter values.

    Returns
    -------
    dict
        Plain values and CPU tensors.
    """
    from sklearn.utils.validation import check_is_fitted

    check_is_fitted(clf)
    for key in ("callbacks", "train_split"):
        value = clf.get_params(deep=False)[key]
        if value is not None and not isinstance(value, float):
            raise ValueError(f"cannot save {key}={value!r} safely; use joblib to persist this model")
    weights = getattr(clf, "class_weight_", None)
    return {
        "params": plain_params(clf, {**_core_classes(), **known}),
        "classes": np.asarray(clf.classes_).tolist(),
        "class_weight": None if weights is None else np.asarray(weights, dtype=float).tolist(),
        **clf._shape_state(),
        "state_dict": {k: v.detach().cpu() for k, v in clf.module_.state_dict().items()},
    }


def classifier_from_state(cls: type, state: Mapping, known: Mapping[str, type], feature_names=None):
    """Rebuild a fitted classifier from :func:`classifier_state`.

    Parameters
    ----------
    cls : type
        The :class:`~speechface.utils.classifier.TorchClassifier` subclass that was saved.
    state : mapping
        As returned by :func:`classifier_state`.
    known : mapping of str to type
        Classes beyond the core's that may be named in the parameters.
    feature_names : array-like of str, optional
        ``feature_names_in_`` to set (column names of the input it was fitted on).

    Returns
    -------
    TorchClassifier
        The fitted classifier, on the CPU unless its device is available; its
        class weights are those it was fitted with, so ``partial_fit`` goes on
        with them.
    """
    params = restore_params(state["params"], {**_core_classes(), **known})
    if "device" in params:
        params["device"] = cpu_fallback(params["device"])  # saved on a GPU machine, loaded on one without
    clf = cls(**params)
    clf.classes_inferred_ = np.asarray(state["classes"])
    clf._restore_shape(state)
    if feature_names is not None:
        clf.feature_names_in_ = np.asarray(feature_names, dtype=object)
    weights = state.get("class_weight")
    clf.class_weight_ = None if weights is None else np.asarray(weights)
    with clf._on_device():
        clf.initialize_for_inference()
        clf.module_.load_state_dict(state["state_dict"])
    return clf
