"""``speechface.load`` and ``speechface.save``: one entry point for every model file the library writes."""

from __future__ import annotations

import os

from speechface.utils.persistence import read_state


def _loaders() -> dict:
    from speechface.faces import ConditionalFaceGenerator, load_generator
    from speechface.faces.checkpoint import FORMAT as CHECKPOINT
    from speechface.faces.persistence import FORMAT as GENERATOR
    from speechface.metrics.persistence import FORMAT as FACE_CLASSIFIER
    from speechface.metrics.persistence import load_face_classifier
    from speechface.ser.persistence import FORMAT as SER_PIPELINE
    from speechface.ser.persistence import load_ser_pipeline

    return {
        SER_PIPELINE: load_ser_pipeline,
        GENERATOR: load_generator,
        FACE_CLASSIFIER: load_face_classifier,
        CHECKPOINT: ConditionalFaceGenerator.from_checkpoint,
    }


def load(path: str | os.PathLike):
    """Load any model file speechface writes, by the ``format`` it carries.

    Parameters
    ----------
    path : str or path-like
        A speech-emotion pipeline (:func:`~speechface.ser.save_ser_pipeline`),
        a face generator (:func:`~speechface.faces.save_generator`), a face
        expression classifier (:func:`~speechface.metrics.save_face_classifier`)
        or a training checkpoint of the generator.

    Returns
    -------
    Pipeline, ConditionalFaceGenerator or FaceExpressionClassifier
        The fitted model.
    """
    loaders = _loaders()
    found = read_state(path)["format"]
    if found not in loaders:
        raise ValueError(
            f"{str(path)!r} holds a {found!r} file, which speechface cannot load; it loads {sorted(loaders)}"
        )
    return loaders[found](path)


def save(model, path: str | os.PathLike) -> None:
    """Write a fitted model to ``path`` in the file format of its kind (weights and plain parameters).

    Parameters
    ----------
    model : Pipeline, ConditionalFaceGenerator or FaceExpressionClassifier
        A fitted speech-emotion pipeline (``MFCCTransformer`` then
        ``SpeechEmotionClassifier``), face generator or face expression classifier.
    path : str or path-like
        Where to write (conventionally ``.pt``); :func:`load` reads it back.
    """
    from sklearn.pipeline import Pipeline

    from speechface.faces import ConditionalFaceGenerator, save_generator
    from speechface.metrics import FaceExpressionClassifier, save_face_classifier
    from speechface.ser.persistence import save_ser_pipeline

    savers = (
        (Pipeline, save_ser_pipeline),
        (ConditionalFaceGenerator, save_generator),
        (FaceExpressionClassifier, save_face_classifier),
    )
    for kind, saver in savers:
        if isinstance(model, kind):
            return saver(model, path)
    raise TypeError(
        f"cannot save a {type(model).__name__}: speechface.save writes speech-emotion pipelines, "
        "face generators and face expression classifiers (use joblib for anything else)"
    )
