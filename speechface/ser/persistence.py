"""Save and load speech-emotion classifiers and pipelines as weights plus plain parameters (no pickle)."""

from __future__ import annotations

import os

from sklearn.pipeline import Pipeline

from speechface.features import MFCCTransformer
from speechface.ser.classifier import SpeechEmotionClassifier
from speechface.ser.modules import EmotionCNN, SeedCNN
from speechface.utils.persistence import atomic_save, classifier_from_state, classifier_state, load_state, plain_params

FORMAT = "speechface.ser_pipeline"
#: 2: the classifier in its own entry; 3: EmotionCNN members have a frequency stem;
#: 4: every parameter stored (earlier files hold only those that differed from the defaults);
#: 5: the transformer has ``augment_prob`` (version-4 files augmented every training view)
FORMAT_VERSION = 5
KNOWN_CLASSES: dict[str, type] = {cls.__name__: cls for cls in (EmotionCNN, SeedCNN)}

#: The defaults version-3 files were saved under: a version-3 file stores only the
#: parameters that differed from them, so they fill in the rest when it is read.
V3_DEFAULTS = {
    "mfcc": {
        "sr": 16000,
        "n_mfcc": 40,
        "n_mels": 128,
        "n_fft": 1024,
        "hop_length": 320,
        "deltas": 0,
        "duration": 3.0,
        "offset": 0.5,
        "layout": "frames",
        "input_sr": None,
        "vad": False,
        "n_views": 1,
        "augment": None,
        "random_state": None,
        "n_jobs": None,
        "verbose": False,
    },
    "classifier": {
        "module": {"class": "EmotionCNN"},
        "criterion": {"class": "EnsembleCrossEntropy"},
        "optimizer": {"class": "AdamW"},
        "lr": 0.003,
        "max_epochs": 40,
        "batch_size": 64,
        "train_split": None,
        "patience": 10,
        "lr_schedule": "cosine",
        "class_weight": "balanced",
        "random_state": None,
        "device": "auto",
        "verbose": 0,
        "warm_start": False,
        "n_channels": "auto",
    },
    "EmotionCNN": {
        "module__n_layers": 3,
        "module__width": 32,
        "module__kernel_size": 5,
        "module__dropout": 0.3,
        "module__n_members": 3,
        "module__normalize": "mean",
        "module__stem_channels": 4,
        "module__spec_augment": 0.1,
        "module__crop": 1.0,
    },
}


def _from_version_3(state: dict) -> dict:
    """A version-3 state as version 4: the defaults it was saved under filled in."""
    classifier = dict(state["classifier"])
    params = {**V3_DEFAULTS["classifier"], **classifier["params"]}
    if params["module"] == {"class": "EmotionCNN"}:
        params = {**V3_DEFAULTS["EmotionCNN"], **params}
    classifier.update(params=params, class_weight=None)  # not kept in version 3
    return {
        **state,
        "format_version": 4,
        "mfcc_params": {**V3_DEFAULTS["mfcc"], **state["mfcc_params"]},
        "classifier": classifier,
    }


def _from_version_4(state: dict) -> dict:
    """A version-4 state as version 5: every training view was augmented."""
    return {**state, "format_version": 5, "mfcc_params": {"augment_prob": 1.0, **state["mfcc_params"]}}


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
        "classifier": classifier_state(clf, KNOWN_CLASSES),
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
    state = load_state(path, FORMAT, FORMAT_VERSION, migrations={3: _from_version_3, 4: _from_version_4})
    mfcc = MFCCTransformer(**state["mfcc_params"])
    if state["mfcc_output"] != "default":
        mfcc.set_output(transform=state["mfcc_output"])
    mfcc._check_params()
    mfcc._learn_shape()
    names = mfcc.get_feature_names_out() if state["mfcc_output"] == "pandas" else None
    clf = classifier_from_state(SpeechEmotionClassifier, state["classifier"], KNOWN_CLASSES, feature_names=names)
    return Pipeline([(state["steps"][0], mfcc), (state["steps"][1], clf)])
