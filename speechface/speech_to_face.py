"""SpeechToFace: where the two halves meet; speech in, FER-2013 emotions and faces out."""

from __future__ import annotations

import copy
import itertools
import os
from collections.abc import Iterator, Mapping

import numpy as np
from sklearn.base import BaseEstimator, clone
from sklearn.exceptions import NotFittedError
from sklearn.utils import Bunch, check_random_state
from sklearn.utils.validation import check_is_fitted

from speechface._validation import check_choice, check_scalar
from speechface.audio import load_audio
from speechface.audio.vad import find_speech
from speechface.exceptions import NoSpeechError
from speechface.labels import FER_EMOTIONS, RAVDESS_TO_FER

#: the least fraction of a timeline window that must be speech for the window to be read
MIN_SPEECH_FRACTION = 0.25


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


def _clip_name(clip) -> str:
    return repr(str(clip)) if isinstance(clip, (str, os.PathLike)) else "the waveform"


def _read_one_clip(clip, rate: int) -> np.ndarray:
    """The samples of one file or 1-D waveform at ``rate``; a collection of clips is refused."""
    if isinstance(clip, (list, tuple)):
        got = f"a {type(clip).__name__} of {len(clip)}"
    elif isinstance(clip, np.ndarray) and clip.ndim > 1:
        got = f"an array of shape {clip.shape}"
    else:
        return load_audio(clip, sr=rate, source_sr=rate, name="clip")
    raise TypeError(
        f"timeline reads one clip; got {got}: pass one file path or 1-D waveform and call timeline once per clip"
    )


def _window_and_hop(window, hop, analysis_window: float) -> tuple[float, float]:
    """Checked window and hop in seconds: None gives the analysis window and half the window."""
    window = analysis_window if window is None else window
    check_scalar(window, "window", min_value=0, include_min=False)
    hop = window / 2 if hop is None else hop
    check_scalar(hop, "hop", min_value=0, include_min=False)
    if hop > window:
        raise ValueError(f"hop must be <= window ({window} s), or the windows leave gaps; got {hop}")
    return window, hop


def _n_samples(seconds: float, name: str, rate: int) -> int:
    n = int(round(seconds * rate))
    if n < 1:
        raise ValueError(f"{name}={seconds} s is shorter than one sample at {rate} Hz")
    return n


def _speech_windows(intervals: np.ndarray, size: int, step: int) -> np.ndarray:
    """[start, stop) samples of ``size``-long windows every ``step`` over the speech.

    The grid runs from the first speech onset to the last offset, its last
    window cut at that offset; windows less than ``MIN_SPEECH_FRACTION``
    speech are left out.
    """
    first, last = intervals[0, 0], intervals[-1, 1]
    starts = first + step * np.arange(1 + max(0, -(-(last - first - size) // step)))
    windows = np.stack([starts, np.minimum(starts + size, last)], axis=1)
    overlap = np.minimum(windows[:, None, 1], intervals[None, :, 1]) - np.maximum(
        windows[:, None, 0], intervals[None, :, 0]
    )
    speech = np.clip(overlap, 0, None).sum(axis=1)
    return windows[speech >= MIN_SPEECH_FRACTION * (windows[:, 1] - windows[:, 0])]


def _window_reader(speech, rate: int):
    """The speech pipeline, reading bare waveforms at ``rate`` from their first sample.

    A new pipeline over the same fitted steps, but a shallow copy of the
    ``mfcc`` step set to ``input_sr=rate, offset=0``: the user's pipeline is
    never changed, so other threads may use it meanwhile.
    """
    from sklearn.pipeline import Pipeline

    steps = [
        (name, copy.copy(step).set_params(input_sr=rate, offset=0.0) if name == "mfcc" else step)
        for name, step in speech.steps
    ]
    return Pipeline(steps)


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
    soft : bool, default=False
        Faces from ``generate`` and ``timeline`` show the blend of emotions
        heard (the generator conditioned on ``predict_proba``: a voice heard
        as 60% sad and 40% fearful gets a face between the two) instead of
        the most likely emotion alone.

    Attributes
    ----------
    ser_ : Pipeline
        The fitted speech part (set by ``fit``).
    generator_ : ConditionalFaceGenerator
        The generator used (set by ``fit``).
    classes_ : ndarray of str
        The FER-2013 emotions ``predict`` can return, in FER-2013 order.
    """

    def __init__(
        self,
        ser=None,
        generator=None,
        label_map: Mapping[str, str | None] | None = None,
        batch_size: int = 128,
        soft: bool = False,
    ):
        self.ser = ser
        self.generator = generator
        self.label_map = label_map
        self.batch_size = batch_size
        self.soft = soft

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
            raise ValueError(
                f"the generator cannot draw {unknown}; it was fitted on {self.generator_.classes_.tolist()}"
            )
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
        return self._proba(self._speech_part(), X)

    def _proba(self, speech, X) -> np.ndarray:
        """:meth:`predict_proba` through the speech pipeline ``speech``."""
        check_scalar(self.batch_size, "batch_size", integer=True, min_value=1)
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
        """Faces showing the emotion heard in each clip (its blend of emotions, with ``soft=True``).

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
        return self._faces_of(self.predict_proba(X), n_faces, random_state)

    def _faces_of(self, proba: np.ndarray, n_faces: int, random_state) -> np.ndarray:
        """``n_faces`` faces per row of FER-2013 probabilities: of the blend (``soft``) or the top emotion."""
        check_choice(self.soft, "soft", (True, False))
        emotions = proba if self.soft else self.classes_[proba.argmax(axis=1)]
        return self.sample_faces(emotions, n_faces, random_state)

    def timeline(
        self, clip, window: float | None = None, hop: float | None = None, n_faces: int = 0, random_state=None
    ) -> Bunch:
        """The emotion over time in one long clip, read as overlapping windows over its speech.

        ``predict`` gives one answer per clip; ``timeline`` reads every window
        of one clip. Voice activity detection
        (:func:`speechface.audio.vad.find_speech`) finds the speech; a
        grid of ``window``-long windows every ``hop`` seconds covers it from the
        first onset to the last offset (the last window ends there, so it may
        be shorter; speech shorter than a window is one window). Windows less
        than a quarter speech are left out, and so are windows in which the
        speech part finds no speech. All windows are predicted at once.

        The windows are read as they are (at the clip's rate, from their first
        sample) by a copy of the speech pipeline's ``mfcc`` step; the speech
        pipeline itself is not changed.

        Parameters
        ----------
        clip : str, path-like or ndarray of shape (n_samples,)
            One audio file, or one mono waveform at the speech pipeline's input
            rate (its ``mfcc`` step's ``input_sr``, or ``sr`` when that is None).
        window : float or None, default=None
            Window length in seconds; None uses the speech pipeline's analysis
            window (its ``mfcc`` step's ``duration``).
        hop : float or None, default=None
            Seconds from one window's start to the next, at most ``window``;
            None means ``window / 2``.
        n_faces : int, default=0
            Faces drawn per window; 0 draws none.
        random_state : int, RandomState or None, default=None
            Seeds the faces: the same seed gives the same faces.

        Returns
        -------
        Bunch
            ``start``, ``end`` : ndarray of shape (n_windows,), each window's
            bounds in seconds from the clip's start, in order;
            ``proba`` : ndarray of shape (n_windows, n_classes), FER-2013
            probabilities in the order of ``classes``;
            ``classes`` : ``classes_``;
            ``emotion`` : ndarray of shape (n_windows,), each window's most
            likely emotion; and, when ``n_faces > 0``, ``faces`` : uint8
            ndarray of shape (n_windows, n_faces, 48, 48), of that emotion or
            (``soft=True``) of the window's blend.

        Raises
        ------
        NoSpeechError
            When no speech is found in the clip (a ``ValueError``).
        """
        mfcc, rate = self._speech_features()
        window, hop = _window_and_hop(window, hop, mfcc.duration)
        check_scalar(n_faces, "n_faces", integer=True, min_value=0)
        y = _read_one_clip(clip, rate)
        intervals = find_speech(y, rate)
        if not len(intervals):
            raise NoSpeechError(f"no speech found in {_clip_name(clip)}")
        windows = _speech_windows(intervals, _n_samples(window, "window", rate), _n_samples(hop, "hop", rate))
        if not len(windows):
            raise NoSpeechError(
                f"no {window} s window of {_clip_name(clip)} is at least "
                f"{MIN_SPEECH_FRACTION:.0%} speech; try a shorter window"
            )
        proba, heard = self._window_proba([y[a:b] for a, b in windows], _window_reader(self._speech_part(), rate))
        if not heard.any():
            raise NoSpeechError(f"no speech found in {_clip_name(clip)} by the speech pipeline")
        windows = windows[heard]
        emotion = self.classes_[proba.argmax(axis=1)]
        result = Bunch(
            start=windows[:, 0] / rate, end=windows[:, 1] / rate, proba=proba, classes=self.classes_, emotion=emotion
        )
        if n_faces:
            result.faces = self._faces_of(proba, n_faces, random_state)
        return result

    def _speech_features(self):
        """The speech pipeline's ``mfcc`` step and the sample rate of its waveform input."""
        mfcc = getattr(self._speech_part(), "named_steps", {}).get("mfcc")
        if mfcc is None:
            raise TypeError("timeline needs a speech pipeline with an 'mfcc' step, as make_ser_pipeline builds")
        return mfcc, mfcc.input_sr or mfcc.sr

    def _window_proba(self, windows: list, reader) -> tuple[np.ndarray, np.ndarray]:
        """Probabilities of the windows ``reader`` hears speech in, and a mask of those windows."""
        try:
            return self._proba(reader, windows), np.ones(len(windows), dtype=bool)
        except NoSpeechError:  # some windows hold no speech for the speech part: read them one by one
            rows = [self._proba_if_speech(reader, w) for w in windows]
        heard = np.array([row is not None for row in rows])
        return np.array([row for row in rows if row is not None]).reshape(-1, len(self.classes_)), heard

    def _proba_if_speech(self, reader, waveform: np.ndarray) -> np.ndarray | None:
        try:
            return self._proba(reader, [waveform])[0]
        except NoSpeechError:
            return None

    def sample_faces(self, emotions, n_faces: int = 1, random_state=None) -> np.ndarray:
        """Faces of given FER-2013 emotions or blends of them, e.g. new faces for emotions already predicted.

        Parameters
        ----------
        emotions : sequence of str, or array of shape (n_emotions, n_classes)
            FER-2013 emotion names, one per row of faces (the output of
            ``predict``); or rows of weights over ``classes_`` (the output of
            ``predict_proba``), each giving faces that blend those emotions.
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
        generator = self._face_part()
        if isinstance(emotions, np.ndarray) and emotions.dtype.kind == "f":
            classes = self.classes_
            if emotions.ndim != 2 or emotions.shape[1] != len(classes):
                raise ValueError(
                    f"emotion weights must have shape (n, {len(classes)}), one column per "
                    f"classes_ {classes.tolist()}; got {emotions.shape}"
                )
            weights = np.zeros((len(emotions), len(generator.classes_)))
            weights[:, self._generator_columns(generator)] = emotions
            labels = np.repeat(weights, n_faces, axis=0)
        else:
            labels = [emotion for emotion in emotions for _ in range(n_faces)]
        rng = check_random_state(random_state)
        faces = generator.sample(labels, random_state=rng) if len(labels) else np.empty((0, 48, 48), np.uint8)
        return faces.reshape(len(emotions), n_faces, 48, 48)

    def every_emotion(self, n_faces: int = 1, random_state=None) -> np.ndarray:
        """The same faces in every emotion of ``classes_``: one noise vector per face, drawn once per emotion.

        Parameters
        ----------
        n_faces : int, default=1
            Faces (identities).
        random_state : int, RandomState or None, default=None
            Seeds the faces.

        Returns
        -------
        ndarray of shape (n_classes, n_faces, 48, 48)
            uint8 faces: ``[k, j]`` is face j showing ``classes_[k]``.
        """
        check_scalar(n_faces, "n_faces", integer=True, min_value=1)
        generator = self._face_part()
        grid = generator.sample_every_emotion(n_faces, random_state=random_state)
        return grid[:, self._generator_columns(generator)].transpose(1, 0, 2, 3)

    def _generator_columns(self, generator) -> list[int]:
        """The position of each of ``classes_`` among ``generator.classes_`` (``fit`` checked they are there)."""
        known = generator.classes_.tolist()
        return [known.index(c) for c in self.classes_]

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
        X = X if hasattr(X, "__len__") else list(X)
        y = np.asarray(y, dtype=object)
        if len(X) != len(y):
            raise ValueError(f"X has {len(X)} clips but y has {len(y)} labels: pass one label per clip")
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
