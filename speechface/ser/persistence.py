"""Save and load speech-emotion pipelines as weights plus plain parameters (no pickle)."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from speechface.features import MFCCTransformer
from speechface.ser.classifier import SpeechEmotionClassifier
from speechface.ser.modules import EmotionCNN, EnsembleCrossEntropy, SeedCNN

FORMAT = "speechface.ser_pipeline"
FORMAT_VERSION = 1
_CLASSES = {cls.__name__: cls for cls in (EmotionCNN, SeedCNN, EnsembleCrossEntropy)}
_CLASSES.update({"AdamW": torch.optim.AdamW, "Adam": torch.optim.Adam, "RMSprop": torch.optim.RMSprop, "SGD": torch.optim.SGD})
_SIMPLE = (bool, int, float, str, type(None))


def _plain_params(estimator) -> dict:
    """Parameters that differ from the defaults, known classes by name; others refused."""
    out, defaults = {}, type(estimator)().get_params(deep=False)
    for key, value in estimator.get_params(deep=False).items():
        if isinstance(value, np.generic):  # e.g. np.float64 from a parameter search
            value = value.item()
        if key.startswith("_") or key in defaults and defaults[key] is value or (isinstance(value, _SIMPLE) and defaults.get(key, object()) == value):
            continue
        if isinstance(value, _SIMPLE):
            out[key] = value
        elif isinstance(value, type) and _CLASSES.get(value.__name__) is value:
            out[key] = {"class": value.__name__}
        elif key in ("callbacks", "train_split"):
            raise ValueError(f"cannot save {key}={value!r} safely; use joblib to persist this pipeline")
        else:
            raise ValueError(
                f"cannot save parameter {key}={value!r} safely (only built-in speechface modules "
                "and plain values); use joblib to persist this pipeline"
            )
    return out


def save_ser_pipeline(pipeline: Pipeline, path: str | os.PathLike) -> None:
    """Write a fitted ``MFCCTransformer`` + ``SpeechEmotionClassifier`` pipeline.

    The file holds plain parameters and tensors only, is loaded with
    ``torch.load(weights_only=True)``, and is written atomically.

    Parameters
    ----------
    pipeline : Pipeline
        A fitted pipeline of exactly these two steps, as from
        :func:`~speechface.make_ser_pipeline`.
    path : str or path-like
        Where to write (conventionally ``.pt``).
    """
    if not isinstance(pipeline, Pipeline) or len(pipeline.steps) != 2:
        raise TypeError("expected a two-step Pipeline of MFCCTransformer and SpeechEmotionClassifier")
    (mfcc_name, mfcc), (clf_name, clf) = pipeline.steps
    if not isinstance(mfcc, MFCCTransformer) or not isinstance(clf, SpeechEmotionClassifier):
        raise TypeError(
            f"expected steps MFCCTransformer and SpeechEmotionClassifier, got "
            f"{type(mfcc).__name__} and {type(clf).__name__}"
        )
    check_is_fitted(clf)
    state = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "steps": [mfcc_name, clf_name],
        "mfcc_params": _plain_params(mfcc),
        "mfcc_output": (getattr(mfcc, "_sklearn_output_config", {}) or {}).get("transform", "default"),
        "classifier_params": _plain_params(clf),
        "classes": np.asarray(clf.classes_).tolist(),
        "n_channels": clf.n_channels_,
        "n_frames": clf.n_frames_,
        "state_dict": {k: v.detach().cpu() for k, v in clf.module_.state_dict().items()},
    }
    path = Path(path)
    with tempfile.NamedTemporaryFile(dir=path.parent, prefix=path.name, suffix=".tmp", delete=False) as tmp:
        try:
            torch.save(state, tmp)
        except BaseException:
            os.unlink(tmp.name)
            raise
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp.name, 0o666 & ~umask)  # NamedTemporaryFile creates it owner-only
    os.replace(tmp.name, path)


def _restore(params: dict) -> dict:
    return {k: _CLASSES[v["class"]] if isinstance(v, dict) else v for k, v in params.items()}


def load_ser_pipeline(path: str | os.PathLike) -> Pipeline:
    """Load a pipeline written by :func:`save_ser_pipeline`, on the CPU or any device.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    Pipeline
        The fitted pipeline, ready to ``predict``.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"model file not found: {str(path)!r}")
    try:
        state = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # torch raises many types for a foreign or damaged file
        raise ValueError(f"{str(path)!r} is not a speechface model file: {exc}") from None
    if not isinstance(state, dict) or state.get("format") != FORMAT:
        raise ValueError(f"{str(path)!r} is not a speechface speech-emotion pipeline file")
    if state.get("format_version") != FORMAT_VERSION:
        raise ValueError(
            f"{str(path)!r} has format version {state.get('format_version')!r}; this speechface "
            f"reads version {FORMAT_VERSION}: re-save it with a matching speechface version"
        )
    mfcc = MFCCTransformer(**state["mfcc_params"])
    if state["mfcc_output"] != "default":
        mfcc.set_output(transform=state["mfcc_output"])
    mfcc._check_params()
    mfcc._learn_shape()
    params = _restore(state["classifier_params"])
    if str(params.get("device", "")).startswith("cuda") and not torch.cuda.is_available():
        params["device"] = "cpu"  # saved on a GPU machine, loaded on one without
    clf = SpeechEmotionClassifier(**params)
    clf.classes_inferred_ = np.asarray(state["classes"])
    clf.n_channels_, clf.n_frames_ = state["n_channels"], state["n_frames"]
    clf.n_features_in_ = clf.n_channels_ * clf.n_frames_
    if state["mfcc_output"] == "pandas":
        clf.feature_names_in_ = mfcc.get_feature_names_out()
    clf.class_weight_ = None
    with clf._on_device():
        clf.initialize()
        clf.module_.load_state_dict(state["state_dict"])
    return Pipeline([(state["steps"][0], mfcc), (state["steps"][1], clf)])
