"""Ready-made speech-emotion pipelines: the recommended default and the seed preset."""

from __future__ import annotations

import torch
from sklearn.pipeline import Pipeline

from speechface.features import MFCCTransformer
from speechface.ser.classifier import SpeechEmotionClassifier
from speechface.ser.modules import SeedCNN

#: The student project's feature: 3 s from 0.5 s at 44.1 kHz, 13 MFCCs averaged
#: over the coefficient axis, one value per frame (259 values); no voice
#: activity detection, one window, no augmentation.
SEED_MFCC_PARAMS = dict(
    sr=44100,
    n_mfcc=13,
    n_mels=128,
    n_fft=2048,
    hop_length=512,
    duration=3.0,
    offset=0.5,
    deltas=0,
    layout="coef_mean",
    vad=False,
    n_views=1,
    augment=None,
)

#: The student project's classifier: its 6-conv CNN trained with RMSprop at 1e-4.
SEED_CLASSIFIER_PARAMS = dict(
    module=SeedCNN,
    optimizer=torch.optim.RMSprop,
    lr=1e-4,
    batch_size=16,
    max_epochs=50,
    train_split=None,
    patience=None,
    lr_schedule=None,
    class_weight=None,
)


def make_ser_pipeline(**params) -> Pipeline:
    """Build the recommended speech-emotion pipeline: log-mel frames into the 1D-CNN.

    The features were chosen by GroupKFold on actors 1-20: 128 log-mel bands
    (64 ms windows, 20 ms hop at 16 kHz) beat 40 MFCCs with deltas; 2.5 s
    windows. The speech is found by voice activity detection (not at
    RAVDESS's 0.7 s), and each clip is read as 6 windows spread over its
    speech; half the training views are augmented recordings (room, noise, channel,
    pitch, level) cut to random spans (docs/ser.md, "Robustness").

    Parameters
    ----------
    **params : dict
        Pipeline parameters in ``step__param`` form, e.g. ``mfcc__n_mfcc=20`` or
        ``cnn__module__n_layers=4``, applied with ``set_params``. A
        reproducible fit seeds both steps: ``mfcc__random_state`` (the
        augmented training views) and ``cnn__random_state``.

    Returns
    -------
    Pipeline
        Steps ``"mfcc"`` (:class:`~speechface.MFCCTransformer` with its
        defaults, the recommended features, and pandas output so the
        classifier sees the frame layout) and ``"cnn"``
        (:class:`~speechface.SpeechEmotionClassifier`).
    """
    pipeline = Pipeline(
        [
            ("mfcc", MFCCTransformer().set_output(transform="pandas")),
            ("cnn", SpeechEmotionClassifier()),
        ]
    )
    return pipeline.set_params(**params)


def make_seed_pipeline(**params) -> Pipeline:
    """Build the student project's pipeline: 259-value MFCC vector into its 6-conv CNN.

    Parameters
    ----------
    **params : dict
        Pipeline parameters in ``step__param`` form, applied with ``set_params``.

    Returns
    -------
    Pipeline
        Steps ``"mfcc"`` (:data:`SEED_MFCC_PARAMS`) and ``"cnn"``
        (:data:`SEED_CLASSIFIER_PARAMS`).
    """
    pipeline = Pipeline(
        [
            ("mfcc", MFCCTransformer(**SEED_MFCC_PARAMS)),
            ("cnn", SpeechEmotionClassifier(**SEED_CLASSIFIER_PARAMS)),
        ]
    )
    return pipeline.set_params(**params)
