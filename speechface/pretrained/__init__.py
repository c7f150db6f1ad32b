"""Models shipped with speechface, loaded from the package without network."""

from __future__ import annotations

from importlib.resources import as_file, files

from sklearn.pipeline import Pipeline

from speechface.ser.persistence import load_ser_pipeline


def ser() -> Pipeline:
    """The shipped speech-emotion pipeline, trained on RAVDESS actors 1-20, all 8 emotions.

    Returns
    -------
    Pipeline
        A fitted :func:`~speechface.make_ser_pipeline` pipeline; ``predict``
        takes audio files or waveforms at 16 kHz.
    """
    with as_file(files("speechface.pretrained") / "ser.pt") as path:
        return load_ser_pipeline(path)
