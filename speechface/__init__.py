"""speechface: turn the emotion in a voice into a face."""

from speechface.datasets import load_ravdess
from speechface.features import MFCCTransformer
from speechface.ser import SpeechEmotionClassifier, make_seed_pipeline, make_ser_pipeline

__version__ = "0.1.0"

__all__ = [
    "load_ravdess",
    "MFCCTransformer",
    "SpeechEmotionClassifier",
    "make_ser_pipeline",
    "make_seed_pipeline",
    "__version__",
]
