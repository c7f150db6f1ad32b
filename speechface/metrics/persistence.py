"""Save and load the face expression classifier as weights plus plain parameters (no pickle)."""

from __future__ import annotations

import os

from speechface.metrics.classifier import FaceExpressionClassifier
from speechface.metrics.modules import FaceCNN
from speechface.utils.persistence import atomic_save, classifier_from_state, classifier_state, load_state

FORMAT = "speechface.face_classifier"
#: 2: every parameter stored; FaceCNN takes (batch, 1, 48, 48) faces in [-1, 1] and gives (batch, classes)
FORMAT_VERSION = 2
_KNOWN = {"FaceCNN": FaceCNN}

#: The defaults version-1 files were saved under (they store only the parameters that differed).
V1_DEFAULTS = {
    "module": {"class": "FaceCNN"},
    "module__width": 16,
    "module__dropout": 0.3,
    "optimizer": {"class": "AdamW"},
    "lr": 2e-3,
    "max_epochs": 20,
    "batch_size": 128,
    "train_split": 0.1,
    "patience": 4,
    "lr_schedule": "cosine",
    "class_weight": "balanced",
    "random_state": None,
    "device": "auto",
    "verbose": 0,
    "warm_start": False,
}


def _from_version_1(state: dict) -> dict:
    """A version-1 state as version 2.

    Version 1's network gave logits with an ensemble axis of one and its loss
    was the ensemble cross-entropy over it: the same loss as plain
    cross-entropy over the logits version 2's network gives. Its image-rows
    parameter ``n_channels`` (always 48) is gone.
    """
    params = {k: v for k, v in state["classifier"]["params"].items() if k not in ("n_channels", "criterion")}
    classifier = {
        **state["classifier"],
        "params": {**V1_DEFAULTS, **params, "criterion": {"class": "CrossEntropyLoss"}},
        "class_weight": None,
    }  # not kept in version 1
    return {**state, "format_version": 2, "classifier": classifier}


def save_face_classifier(clf: FaceExpressionClassifier, path: str | os.PathLike) -> None:
    """Write a fitted :class:`FaceExpressionClassifier` atomically as plain parameters and tensors.

    Parameters
    ----------
    clf : FaceExpressionClassifier
        The fitted classifier.
    path : str or path-like
        Where to write (conventionally ``.pt``).
    """
    if not isinstance(clf, FaceExpressionClassifier):
        raise TypeError(f"expected a FaceExpressionClassifier, got {type(clf).__name__}")
    atomic_save({"format": FORMAT, "format_version": FORMAT_VERSION, "classifier": classifier_state(clf, _KNOWN)}, path)


def load_face_classifier(path: str | os.PathLike) -> FaceExpressionClassifier:
    """Load a classifier written by :func:`save_face_classifier`, on the CPU or any device.

    Parameters
    ----------
    path : str or path-like
        The file.

    Returns
    -------
    FaceExpressionClassifier
        The fitted classifier.
    """
    state = load_state(path, FORMAT, FORMAT_VERSION, migrations={1: _from_version_1})
    return classifier_from_state(FaceExpressionClassifier, state["classifier"], _KNOWN)
