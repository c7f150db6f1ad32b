"""speechface: turn the emotion in a voice into a face."""

from speechface import exceptions as exceptions  # the public error types: speechface.exceptions
from speechface.datasets import load_fer2013, load_ravdess
from speechface.faces import ConditionalFaceGenerator
from speechface.features import MFCCTransformer
from speechface.persistence import load, save
from speechface.ser import SpeechEmotionClassifier, make_seed_pipeline, make_ser_pipeline
from speechface.speech_to_face import SpeechToFace

__version__ = "0.1.0"

__all__ = [
    "load_ravdess",
    "load_fer2013",
    "MFCCTransformer",
    "SpeechEmotionClassifier",
    "make_ser_pipeline",
    "make_seed_pipeline",
    "ConditionalFaceGenerator",
    "SpeechToFace",
    "load",
    "save",
    "__version__",
]
