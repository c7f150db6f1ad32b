"""Save and load speech-emotion classifiers and pipelines as weights plus plain parameters (no pickle)."""

from __future__ import annotations

import os
from collections.abc import Mapping

import numpy as np
import torch
from sklearn.pipeline import Pipeline
from sklearn.utils.validation import check_is_fitted

from speechface.features import MFCCTransformer
from speechface.ser.classifier import SpeechEmotionClassifier
from speechface.ser.modules import EmotionCNN, EnsembleCrossEntropy, SeedCNN
from speechface.utils.persistence import atomic_save, cpu_fallback, load_state, plain_params, restore_params

FORMAT = "speechface.ser_pipeline"
FORMAT_VERSION = 3  # 2: the classifier in its own entry; 3: EmotionCNN members have a frequency stem
KNOWN_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (EmotionCNN, SeedCNN, EnsembleCrossEntropy)}
KNOWN_CLASSES.update(
    {"AdamW": torch.optim.AdamW, "Adam": torch.optim.Adam, "RMSprop": torch.optim.RMSprop, "SGD": torch.optim.SGD}
)


def classifier_state(clf: SpeechEmotionClassifier, known: Mapping[str, type] = KNOWN_CLASSES) -> dict:
    """Plain parameters, classes, input shape and weights of a fitted classifier.

    Parameters
    ----------
    clf : SpeechEmotionClassifier
        Fitted; any subclass whose parameters are plain values or ``known`` classes.
    known : mapping of str to type, default=KNOWN_CLASSES
        Classes that may appear as parameter values.

    Returns
    -------
    dict
        Plain values and CPU tensors.
    """
    check_is_fitted(clf)
    for key in ("callbacks", "train_split"):
        value = clf.get_params(deep=False)[key]
        if value is not None and not isinstance(value, float):
            raise ValueError(f"cannot save {key}={value!r} safely; use joblib to persist this model")
    return {
        "params": plain_params(clf, known),
        "classes": np.asarray(clf.classes_).tolist(),
        "n_views": clf.n_views_,
        "n_channels": clf.n_channels_,
        "n_frames": clf.n_frames_,
        "state_dict": {k: v.detach().cpu() for k, v in clf.module_.state_dict().items()},
    }


def classifier_from_state(
    cls: type[SpeechEmotionClassifier], state: Mapping, known: Mapping[str, type] = KNOWN_CLASSES,
    feature_names=None,
) -> SpeechEmotionClassifier:
    """Rebuild a fitted classifier from :func:`classifier_state`.

    Parameters
    ----------
    cls : type
        :class:`SpeechEmotionClassifier` or the subclass that was saved.
    state : mapping
        As returned by :func:`classifier_state`.
    known : mapping of str to type, default=KNOWN_CLASSES
        Classes that may be named in the parameters.
    feature_names : array-like of str, optional
        ``feature_names_in_`` to set (column names of the input it was fitted on).

    Returns
    -------
    SpeechEmotionClassifier
        The fitted classifier, on the CPU unless its device is available.
    """
    params = restore_params(state["params"], known)
    if "device" in params:
        params["device"] = cpu_fallback(params["device"])  # saved on a GPU machine, loaded on one without
    clf = cls(**params)
    clf.classes_inferred_ = np.asarray(state["classes"])
    clf.n_channels_, clf.n_frames_ = state["n_channels"], state["n_frames"]
    clf.n_views_ = state.get("n_views", 1)  # files written before views existed hold one
    clf.n_features_in_ = clf.n_views_ * clf.n_channels_ * clf.n_frames_
    if feature_names is not None:
        clf.feature_names_in_ = np.asarray(feature_names, dtype=object)
    clf.class_weight_ = None
    with clf._on_device():
        clf.initialize_for_inference()
        clf.module_.load_state_dict(state["state_dict"])
    return clf


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
    if not isinstance(mfcc, MFCCTransformer) or type(clf) is not SpeechEmotionClassifier:
        raise TypeError(
            f"expected steps MFCCTransformer and SpeechEmotionClassifier, got "
            f"{type(mfcc).__name__} and {type(clf).__name__}"
        )
    state = {
        "format": FORMAT,
        "format_version": FORMAT_VERSION,
        "steps": [mfcc_name, clf_name],
        "mfcc_params": plain_params(mfcc, {}),
        "mfcc_output": (getattr(mfcc, "_sklearn_output_config", {}) or {}).get("transform", "default"),
        "classifier": classifier_state(clf),
    }
    atomic_save(state, path)


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
    state = load_state(path, FORMAT, FORMAT_VERSION)
    mfcc = MFCCTransformer(**state["mfcc_params"])
    if state["mfcc_output"] != "default":
        mfcc.set_output(transform=state["mfcc_output"])
    mfcc._check_params()
    mfcc._learn_shape()
    names = mfcc.get_feature_names_out() if state["mfcc_output"] == "pandas" else None
    clf = classifier_from_state(SpeechEmotionClassifier, state["classifier"], feature_names=names)
    return Pipeline([(state["steps"][0], mfcc), (state["steps"][1], clf)])
