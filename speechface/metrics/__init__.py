"""Face metrics: the FER-2013 expression classifier used as judge, and the scores it gives."""

from speechface.metrics.classifier import FaceExpressionClassifier
from speechface.metrics.persistence import load_face_classifier, save_face_classifier
from speechface.metrics.scores import conditional_accuracy, diversity, frechet_distance, labels_in_proportion

__all__ = [
    "FaceExpressionClassifier",
    "conditional_accuracy",
    "diversity",
    "frechet_distance",
    "labels_in_proportion",
    "load_face_classifier",
    "save_face_classifier",
]
