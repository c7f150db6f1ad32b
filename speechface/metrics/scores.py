"""Scores of generated faces in the judge's feature space: conditional accuracy, Frechet distance, diversity."""

from __future__ import annotations

import numpy as np
from scipy import linalg
from sklearn.utils import check_random_state

from speechface.labels import FER_EMOTIONS, fer_codes
from speechface.metrics.classifier import FaceExpressionClassifier


def conditional_accuracy(
    generator, judge: FaceExpressionClassifier, n_per_class: int = 200, random_state=0, truncation: float = 1.0
) -> dict[str, float]:
    """How often the judge sees the emotion each face was drawn for.

    Parameters
    ----------
    generator : ConditionalFaceGenerator
        A fitted generator.
    judge : FaceExpressionClassifier
        A fitted judge whose classes are FER-2013 codes or names.
    n_per_class : int, default=200
        Faces drawn per emotion.
    random_state : int, RandomState or None, default=0
        Seed of the noise.
    truncation : float, default=1.0
        The generator's ``sample(truncation=...)``.

    Returns
    -------
    dict of str to float
        Accuracy per emotion name of ``generator.classes_``, and their mean under ``"macro"``.
    """
    per_class = {}
    for name in generator.classes_:
        faces = generator.sample(name, n_per_class, random_state=random_state, truncation=truncation)
        predicted = fer_codes(judge.predict(faces).tolist())
        per_class[str(name)] = float(np.mean(np.asarray(predicted) == FER_EMOTIONS.index(name)))
    per_class["macro"] = float(np.mean(list(per_class.values())))
    return per_class


def frechet_distance(judge: FaceExpressionClassifier, faces_a, faces_b) -> float:
    """Frechet distance between two sets of faces in the judge's feature space.

    The distance between Gaussians fitted to the features of each set (as FID
    does with Inception features; here the judge's, so nothing is downloaded).

    Parameters
    ----------
    judge : FaceExpressionClassifier
        A fitted judge.
    faces_a, faces_b : array-like of shape (n, 48, 48)
        uint8 faces; each set needs more faces than the judge has features.

    Returns
    -------
    float
        The distance (0 for identical feature statistics).
    """
    feats = [judge.embed(faces) for faces in (faces_a, faces_b)]
    for f in feats:
        if len(f) <= f.shape[1]:
            raise ValueError(f"need more than {f.shape[1]} faces per set for a Frechet distance, got {len(f)}")
    (mu_a, mu_b), (cov_a, cov_b) = ([f.mean(axis=0) for f in feats], [np.cov(f, rowvar=False) for f in feats])
    root = linalg.sqrtm(cov_a @ cov_b)
    root = np.real(root)
    return float(np.sum((mu_a - mu_b) ** 2) + np.trace(cov_a + cov_b - 2 * root))


def diversity(judge: FaceExpressionClassifier, faces, labels, max_per_class: int = 200, random_state=0) -> float:
    """Mean pairwise feature distance between faces of the same emotion.

    A collapsed generator draws near-identical faces and scores near 0;
    compare with the same figure for real faces.

    Parameters
    ----------
    judge : FaceExpressionClassifier
        A fitted judge.
    faces : array-like of shape (n, 48, 48)
        uint8 faces.
    labels : array-like of shape (n,)
        Their emotions (codes or names).
    max_per_class : int, default=200
        Faces per emotion used (a random subset beyond it).
    random_state : int, RandomState or None, default=0
        Seed of the subset.

    Returns
    -------
    float
        The distance, averaged over emotions with at least two faces.
    """
    codes = np.asarray(fer_codes(np.asarray(labels, dtype=object).tolist()))
    faces = np.asarray(faces)
    rng = check_random_state(random_state)
    spreads = []
    for code in np.unique(codes):
        index = np.flatnonzero(codes == code)
        if len(index) < 2:
            continue
        index = rng.choice(index, min(len(index), max_per_class), replace=False)
        f = judge.embed(faces[index])
        squared = (f**2).sum(1)
        dist = np.sqrt(np.maximum(squared[:, None] + squared[None] - 2 * f @ f.T, 0))
        spreads.append(dist[np.triu_indices(len(f), 1)].mean())
    if not spreads:
        raise ValueError("diversity needs at least two faces of one emotion")
    return float(np.mean(spreads))
