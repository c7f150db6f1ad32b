"""Models shipped with speechface, loaded from the package without network."""

from __future__ import annotations

from collections.abc import Callable
from importlib.resources import as_file, files
from typing import TypeVar

from sklearn.pipeline import Pipeline

from speechface.faces import ConditionalFaceGenerator, load_generator
from speechface.metrics import FaceExpressionClassifier, load_face_classifier
from speechface.ser.persistence import load_ser_pipeline

Model = TypeVar("Model")


def _shipped(name: str, loader: Callable[..., Model]) -> Model:
    with as_file(files("speechface.pretrained") / name) as path:
        return loader(path)


def ser() -> Pipeline:
    """The shipped speech-emotion pipeline, trained on RAVDESS actors 1-20, all 8 emotions.

    Returns
    -------
    Pipeline
        A fitted :func:`~speechface.make_ser_pipeline` pipeline; ``predict``
        takes audio files or waveforms at 16 kHz.
    """
    return _shipped("ser.pt", load_ser_pipeline)


def generator() -> ConditionalFaceGenerator:
    """The shipped face generator, trained on the FER-2013 train split.

    Returns
    -------
    ConditionalFaceGenerator
        A fitted generator; ``sample(label, n)`` draws faces.
    """
    return _shipped("generator.pt", load_generator)


def face_judge() -> FaceExpressionClassifier:
    """The shipped FER-2013 expression classifier that the face metrics use as judge.

    Returns
    -------
    FaceExpressionClassifier
        Fitted on the FER-2013 train split.
    """
    return _shipped("face_judge.pt", load_face_classifier)
