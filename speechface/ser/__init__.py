"""Speech emotion recognition: the 1D-CNN modules, the skorch classifier, pipelines."""

from speechface.ser.classifier import SpeechEmotionClassifier
from speechface.ser.modules import EmotionCNN, EnsembleCrossEntropy, SeedCNN
from speechface.ser.persistence import load_ser_pipeline, save_ser_pipeline
from speechface.ser.pipeline import (
    SEED_CLASSIFIER_PARAMS,
    SEED_MFCC_PARAMS,
    make_seed_pipeline,
    make_ser_pipeline,
)

__all__ = [
    "SpeechEmotionClassifier",
    "EmotionCNN",
    "EnsembleCrossEntropy",
    "SeedCNN",
    "SEED_CLASSIFIER_PARAMS",
    "SEED_MFCC_PARAMS",
    "make_seed_pipeline",
    "make_ser_pipeline",
    "load_ser_pipeline",
    "save_ser_pipeline",
]
