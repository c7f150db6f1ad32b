"""SpeechToFace: where the two halves meet; speech in, FER-2013 emotions and faces out."""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator, Mapping

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted

from speechface._validation import check_scalar
from speechface.labels import FER_EMOTIONS, RAVDESS_TO_FER


def _is_fitted(estimator) -> bool:
    try:
        check_is_fitted(estimator)
    except NotFittedError:
        return False
    return True


def _batches(X, size: int) -> Iterator[tuple[int, object]]:
    """(start, batch) of ``size`` clips: slices of a sequence, lists from any other iterable."""
    if isinstance(X, (str, bytes, os.PathLike)) or not hasattr(X, "__iter__"):
        yield 0, X  # not a collection of clips: the speech part names the mistake
    elif hasattr(X, "__len__") and hasattr(X, "__getitem__"):
        for start in range(0, len(X), size):
            yield start, X[start : start + size]
    else:
        clips, start = iter(X), 0
        while batch := list(itertools.islice(clips, size)):
            yield start, batch
            start += len(batch)


class SpeechToFace(BaseEstimator):
    """Speech in, faces out: a speech-emotion pipeline joined to a conditional face generator.

    The speech part predicts a speech emotion (RAVDESS names); ``label_map``
    turns it into a FER-2013 emotion; the generator draws faces of it.

    With no arguments it works at once on the models shipped in
    :mod:`speechface.pretrained`, without ``fit``.

    Parameters
    ----------
    ser : Pipeline or None, default=None
        The speech-emotion model (audio in, RAVDESS emotion names out), fitted or
        not. None uses the shipped pipeline, or a new
        :func:`~speechface.make_ser_pipeline` when ``fit`` is called.
    generator : ConditionalFaceGenerator or None, default=None
        A fitted face generator; None uses the shipped one. ``fit`` keeps it as
        it is, and so does :func:`~sklearn.base.clone` (a grid search shares it).
    label_map : mapping or None, default=None
        Speech emotion -> FER-2013 emotion name, or None for no twin. None means
        :data:`speechface.labels.RAVDESS_TO_FER`, where ``calm`` has no twin:
        its probability is left out and the remaining ones are renormalised, so
        a calm voice gets the face of its next most likely emotion. Map
        ``"calm"`` to ``"neutral"`` to merge it into neutral instead.
    batch_size : int, default=128
        Clips read and predicted at a time: memory stays bounded by it, whatever
        the number of clips (``X`` may also be any iterable, e.g. a generator
        of paths).

    Attributes
    ----------
    ser_ : Pipeline
        The fitted speech part (set by ``fit``).
    generator_ : ConditionalFaceGenerator
        The generator used (set by ``fit``).
    classes_ : ndarray of str
        The FER-2013 emotions ``predict`` can return, in FER-2013 order.
    """

    def __init__(self, ser=None, generator=None, label_map: Mapping[str, str | None] | None = None,
                 batch_size: int = 128):
        self.ser = ser
        self.generator = generator
        self.label_map = label_map
        self.batch_size = batch_size

    # -- components ---------------------------------------------------------------------
    _HOW_TO_FIT = {
        "ser": "call SpeechToFace.fit(X_audio, y) first",
        "generator": "fit it on faces first (ConditionalFaceGenerator.fit(images, labels))",
    }

    def _component(self, name: str):
        """The fitted ``ser`` or ``generator`` in use: fitted by ``fit``, given fitted, or shipped."""
        if hasattr(self, name + "_"):
            return getattr(self, name + "_")
        given = getattr(self, name)
        if given is None:
            cache = "_shipped_" + name
            if not hasattr(self, cache):
                from speechface import pretrained

                setattr(self, cache, getattr(pretrained, name)())
            return getattr(self, cache)
        if not _is_fitted(given):
            raise NotFittedError(f"the {name} part is not fitted: {self._HOW_TO_FIT[name]}")
        return given

    def _speech_part(self):
        return self._component("ser")

    def _face_part(self):
        return self._component("generator")

    def _mapping(self, speech_classes) -> tuple[np.ndarray, np.ndarray]:
        """(FER classes, matrix speech class -> FER class) for the speech model's classes."""
        label_map = RAVDESS_TO_FER if self.label_map is None else self.label_map
        if not isinstance(label_map, Mapping):
            raise TypeError(f"label_map must be a mapping, got {type(label_map).__name__}")
        missing = [str(c) for c in speech_classes if c not in label_map]
        if missing:
            raise ValueError(f"label_map has no entry for the speech emotions {missing}")
        bad = {k: v for k, v in label_map.items() if v is not None and v not in FER_EMOTIONS}
        if bad:
            raise ValueError(f"label_map maps to names that are not FER-2013 emotions: {bad}")
        targets = [label_map[c] for c in speech_classes]
        classes = np.array([e for e in FER_EMOTIONS if e in targets])
        if classes.size == 0:
            raise ValueError("label_map maps none of the speech emotions to a FER-2013 emotion")
        matrix = np.zeros((len(speech_classes), len(classes)))
        for i, target in enumerate(targets):
            if target is not None:
                matrix[i, np.flatnonzero(classes == target)[0]] = 1.0
        return classes, matrix

    @property
    def classes_(self) -> np.ndarray:
        return self._mapping(self._speech_part().classes_)[0]

    # -- estimator API ----------------------------------------------------------------------
    def fit(self, X, y):
        """Fit a clone of the speech part on labelled audio; keep the generator as it is.

        Parameters
        ----------
        X : sequence of audio paths or waveforms
            Speech clips, as the speech pipeline takes them.
        y : array-like of shape (n_clips,)
            Speech-emotion names (RAVDESS vocabulary, or the keys of ``label_map``).

        Returns
        -------
        self : SpeechToFace
            The fitted estimator.
        """
        from speechface.ser import make_ser_pipeline

        self.ser_ = clone(self.ser if self.ser is not None else make_ser_pipeline()).fit(X, y)
        self.generator_ = self._face_part()
        classes, _ = self._mapping(self.ser_.classes_)
        unknown = sorted(str(c) for c in set(classes) - set(self.generator_.classes_))
        if unknown:
            raise ValueError(f"the generator cannot draw {unknown}; it was fitted on {self.generator_.classes_.tolist()}")
        return self

    def predict_proba(self, X) -> np.ndarray:
        """FER-2013 emotion probabilities of each clip.

        Parameters
        ----------
        X : sequence or iterable of audio paths or waveforms
            Speech clips, read ``batch_size`` at a time.

        Returns
        -------
        ndarray of shape (n_clips, n_classes)
            Probabilities in the order of ``classes_``; speech emotions without a
            FER-2013 twin are left out and each row renormalised.
        """
        check_scalar(self.batch_size, "batch_size", integer=True, min_value=1)
        speech = self._speech_part()
        _, matrix = self._mapping(speech.classes_)
        parts = []
        for start, batch in _batches(X, self.batch_size):
            try:
                parts.append(speech.predict_proba(batch) @ matrix)
            except (ValueError, TypeError) as exc:  # say where the batch's X[i] lies in the whole input
                if start == 0:
                    raise
                raise type(exc)(f"{exc} (in the batch of clips from X[{start}] on)") from exc
        proba = np.concatenate(parts) if parts else speech.predict_proba([]) @ matrix  # the latter names the mistake
        total = proba.sum(axis=1, keepdims=True)
        return np.divide(proba, total, out=np.full_like(proba, 1.0 / proba.shape[1]), where=total > 0)

    def predict(self, X) -> np.ndarray:
        """The most likely FER-2013 emotion of each clip.

        Parameters
        ----------
        X : sequence or iterable of audio paths or waveforms
            Speech clips.

        Returns
        -------
        ndarray of shape (n_clips,)
            FER-2013 emotion names.
        """
        return self.classes_[self.predict_proba(X).argmax(axis=1)]

    def generate(self, X, n_faces: int = 1, random_state=None) -> np.ndarray:
        """Faces showing the emotion heard in each clip.

        Parameters
        ----------
        X : sequence or iterable of audio paths or waveforms
            Speech clips.
        n_faces : int, default=1
            Faces per clip.
        random_state : int, RandomState or None, default=None
            Seeds the faces: the same seed gives the same faces.

        Returns
        -------
        ndarray of shape (n_clips, n_faces, 48, 48)
            uint8 faces.
        """
        check_scalar(n_faces, "n_faces", integer=True, min_value=1)
        return self.sample_faces(self.predict(X), n_faces=n_faces, random_state=random_state)

    def sample_faces(self, emotions, n_faces: int = 1, random_state=None) -> np.ndarray:
        """Faces of given FER-2013 emotions, e.g. new faces for emotions already predicted.

        Parameters
        ----------
        emotions : sequence of str
            FER-2013 emotion names, one per row of faces (the output of ``predict``).
        n_faces : int, default=1
            Faces per emotion.
        random_state : int, RandomState or None, default=None
            Seeds the faces: the same seed gives the same faces.

        Returns
        -------
        ndarray of shape (n_emotions, n_faces, 48, 48)
            uint8 faces.
        """
        check_scalar(n_faces, "n_faces", integer=True, min_value=1)
        if isinstance(emotions, str):
            raise TypeError(f"emotions must be a sequence of emotion names, got a single string {emotions!r}")
        emotions = list(emotions)
        rng = check_random_state(random_state)
        labels = [emotion for emotion in emotions for _ in range(n_faces)]
        faces = self._face_part().sample(labels, random_state=rng) if labels else np.empty((0, 48, 48), np.uint8)
        return faces.reshape(len(emotions), n_faces, 48, 48)

    def score(self, X, y) -> float:
        """Accuracy in FER-2013 terms: predictions against ``label_map`` of the speech labels.

        Clips whose label has no FER-2013 twin (``calm`` by default) are left out.

        Parameters
        ----------
        X : sequence or iterable of audio paths or waveforms
            Speech clips.
        y : array-like of shape (n_clips,)
            Speech-emotion names.

        Returns
        -------
        float
            The fraction of clips whose predicted FER-2013 emotion is the mapped label.
        """
        label_map = RAVDESS_TO_FER if self.label_map is None else self.label_map
        y = np.asarray(y, dtype=object)
        unknown = sorted({str(v) for v in y if v not in label_map})
        if unknown:
            raise ValueError(f"label_map has no entry for the labels {unknown}")
        target = np.array([label_map[v] for v in y], dtype=object)
        keep = np.array([t is not None for t in target])
        if not keep.any():
            raise ValueError("no clip has a label with a FER-2013 twin to score against")
        predicted = self.predict([x for x, k in zip(X, keep) if k])
        return float(np.mean(predicted == target[keep]))

    def __sklearn_clone__(self):
        """A clone with an unfitted copy of the speech part and the same fitted generator.

        The generator is never trained by ``fit``, so clones (as in a grid
        search) share it instead of losing its training.
        """
        params = {k: clone(v, safe=False) for k, v in self.get_params(deep=False).items() if k != "generator"}
        keep = self.generator is not None and _is_fitted(self.generator)
        return type(self)(**params, generator=self.generator if keep else clone(self.generator, safe=False))

    def __sklearn_is_fitted__(self) -> bool:
        if hasattr(self, "ser_"):
            return True
        ready = lambda part: part is None or _is_fitted(part)  # noqa: E731
        return ready(self.ser) and ready(self.generator)
