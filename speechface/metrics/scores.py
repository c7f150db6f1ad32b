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


def labels_in_proportion(labels, n: int) -> np.ndarray:
    """``n`` emotion names in the proportions of ``labels``, grouped by emotion.

    Draw generated faces for them to compare a conditional generator with real
    faces by :func:`frechet_distance`: the distance between sets of faces drawn
    in different mixes of emotions includes the difference of the mixes. On
    FER-2013, 300 real train faces per emotion are as far from the test faces
    (happy 25%, disgust 1.5%) as a generator (0.46 in the shipped judge's
    features), and 20 times as far as train faces in the test faces' mix.

    Parameters
    ----------
    labels : array-like of shape (m,)
        Emotions (codes or names) whose proportions to follow, e.g. the real faces' labels.
    n : int
        Number of names to return.

    Returns
    -------
    ndarray of str, shape (n,)
        Each emotion of ``FER_EMOTIONS`` repeated in proportion to its share of
        ``labels`` (largest remainders, so the counts sum to ``n``), in the
        order of ``FER_EMOTIONS``.
    """
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)) or n < 1:
        raise ValueError(f"n must be a positive integer, got {n!r}")
    codes = np.asarray(fer_codes(np.asarray(labels, dtype=object).tolist()), dtype=int)
    if codes.size == 0:
        raise ValueError("labels is empty: there are no proportions to follow")
    quota = np.bincount(codes, minlength=len(FER_EMOTIONS)) / codes.size * n
    counts = np.floor(quota).astype(int)
    counts[np.argsort(counts - quota, kind="stable")[: n - counts.sum()]] += 1
    return np.repeat(np.asarray(FER_EMOTIONS), counts)


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
