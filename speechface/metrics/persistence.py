"""Save and load the face expression classifier as weights plus plain parameters (no pickle)."""

from __future__ import annotations

import os

from speechface.metrics.classifier import FaceExpressionClassifier
from speechface.metrics.modules import FaceCNN
from speechface.ser.persistence import KNOWN_CLASSES, classifier_from_state, classifier_state
from speechface.utils.persistence import atomic_save, load_state

FORMAT = "speechface.face_classifier"
FORMAT_VERSION = 1
_KNOWN = {**KNOWN_CLASSES, "FaceCNN": FaceCNN}


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
    state = load_state(path, FORMAT, FORMAT_VERSION)
    return classifier_from_state(FaceExpressionClassifier, state["classifier"], _KNOWN)
