"""MFCCTransformer: audio files or waveforms -> fixed-width MFCC / log-mel features."""

from __future__ import annotations

import os
from collections.abc import Callable
from functools import lru_cache
from typing import NamedTuple

import numpy as np
import scipy.fft
import scipy.ndimage
import scipy.signal
import scipy.sparse
from joblib import Parallel, delayed, effective_n_jobs
from joblib.parallel import get_active_backend
from sklearn.base import BaseEstimator, TransformerMixin
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted, validate_data
from tqdm.auto import tqdm

from speechface._validation import check_choice, check_scalar
from speechface.audio import fix_length, load_audio
from speechface.audio.augment import AUGMENTATIONS, make_augmentation, seeded_globals
from speechface.audio.vad import find_speech
from speechface.audio.windows import join_intervals, random_window, spread_windows
from speechface.exceptions import NoSpeechError
from speechface.utils.shared_memory import shared_array

LAYOUTS = ("frames", "mean", "mean_std", "coef_mean")

#: shortest span of speech a training view is cut to, in seconds
_MIN_VIEW = 0.4

#: up to this many clips are extracted in this process, whatever n_jobs says
_IN_PROCESS = 16

#: joblib backends whose workers share this machine's memory and get a np.memmap by
#: reference; others (Dask, Ray: maybe on other machines) send their rows back
_SHARED_MEMORY_BACKENDS = ("LokyBackend", "MultiprocessingBackend", "ThreadingBackend")


#: Slaney's mel scale (librosa's default): 3 mels per 200 Hz to 1 kHz, then 27 mels per factor 6.4
_MEL_HZ, _MEL_BREAK_HZ, _MEL_LOG_STEP = 200.0 / 3, 1000.0, np.log(6.4) / 27.0
_MEL_BREAK = _MEL_BREAK_HZ / _MEL_HZ


def _hz_to_mel(hz: np.ndarray) -> np.ndarray:
    log = _MEL_BREAK + np.log(np.maximum(hz, _MEL_BREAK_HZ) / _MEL_BREAK_HZ) / _MEL_LOG_STEP
    return np.where(hz >= _MEL_BREAK_HZ, log, hz / _MEL_HZ)


def _mel_to_hz(mel: np.ndarray) -> np.ndarray:
    return np.where(mel >= _MEL_BREAK, _MEL_BREAK_HZ * np.exp(_MEL_LOG_STEP * (mel - _MEL_BREAK)), _MEL_HZ * mel)


@lru_cache(maxsize=16)
def _mel_basis(sr: int, n_fft: int, n_mels: int) -> scipy.sparse.csr_array:
    """librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels), bit for bit (tested), as a sparse matrix.

    Written here because importing librosa.filters pulls in numba: 0.18 s more for a fresh process's
    ``import speechface`` and first ``SpeechToFace().predict`` (benchmarks/experiments/numba_import.py).
    Each step rounds as librosa's does, float32 weights before the Slaney norm.
    """
    edges = _mel_to_hz(np.linspace(_hz_to_mel(np.float64(0.0)), _hz_to_mel(np.float64(sr / 2.0)), n_mels + 2))
    ramps = np.subtract.outer(edges, np.fft.rfftfreq(n_fft, 1.0 / sr))
    widths = np.diff(edges)[:, None]
    weights = np.maximum(0, np.minimum(-ramps[:-2] / widths[:-1], ramps[2:] / widths[1:])).astype(np.float32)
    weights *= (2.0 / (edges[2:] - edges[:-2]))[:, None]
    # each FFT bin feeds at most two triangular filters: the sparse product is 4x faster
    return scipy.sparse.csr_array(weights)


@lru_cache(maxsize=16)
def _window(n_fft: int) -> np.ndarray:
    return scipy.signal.get_window("hann", n_fft, fftbins=True).astype(np.float32)


@lru_cache(maxsize=16)
def _delta_kernel(width: int, order: int) -> np.ndarray:
    return scipy.signal.savgol_coeffs(width, polyorder=order, deriv=order, use="dot")[::-1].astype(np.float32)


def _power_spectrogram(y: np.ndarray, n_fft: int, hop_length: int) -> np.ndarray:
    """|STFT|^2 as librosa computes it (centred, zero-padded, periodic Hann), (bins, frames)."""
    padded = np.pad(y, n_fft // 2)
    frames = np.lib.stride_tricks.sliding_window_view(padded, n_fft)[::hop_length]
    spectrum = scipy.fft.rfft(frames * _window(n_fft), axis=1)
    return (spectrum.real**2 + spectrum.imag**2).T


def _spectral_frames(y, sr, n_fft, hop_length, n_mels, n_mfcc, deltas):
    """(channels, frames) log-mel or MFCC matrix of one clip, deltas stacked below."""
    mel = _mel_basis(sr, n_fft, n_mels) @ _power_spectrogram(y, n_fft, hop_length)
    coef = np.float32(10.0 / np.log(10.0)) * np.log(np.maximum(mel, np.float32(1e-10)))  # 10 log10, faster
    coef = np.maximum(coef, coef.max() - 80.0)  # librosa.power_to_db(ref=1, top_db=80)
    if n_mfcc is not None:
        coef = scipy.fft.dct(coef, axis=0, type=2, norm="ortho")[:n_mfcc]
    stack = [coef]
    if deltas:
        width = min(9, coef.shape[1] - (1 - coef.shape[1] % 2))
        stack += [
            scipy.ndimage.convolve1d(coef, _delta_kernel(width, k), axis=1, mode="nearest")
            for k in range(1, deltas + 1)
        ]
    return np.concatenate(stack, axis=0).astype(np.float32, copy=False)


class _Fitting(NamedTuple):
    """What extraction in ``fit_transform`` needs: each clip's seed of its augmented views and the
    augmentation (both None without augmentation), built once for all clips (22 ms each time)."""

    seeds: np.ndarray | None
    augment: Callable | None

    def part(self, start: int, size: int) -> _Fitting:
        """The same for the clips ``start:start + size``."""
        return self._replace(seeds=None if self.seeds is None else self.seeds[start : start + size])


def _part(fitting: _Fitting | None, start: int, size: int = 32) -> _Fitting | None:
    return None if fitting is None else fitting.part(start, size)


def _summarise(frames: np.ndarray, layout: str) -> np.ndarray:
    if layout == "frames":
        return frames.ravel()
    if layout == "mean":
        return frames.mean(axis=1)
    if layout == "mean_std":
        return np.concatenate([frames.mean(axis=1), frames.std(axis=1)])
    return frames.mean(axis=0)  # coef_mean


class MFCCTransformer(TransformerMixin, BaseEstimator):
    """Turn audio into fixed-width log-mel (or MFCC) features: with no arguments, the recommended ones.

    With its defaults it computes **log-mel bands, not MFCCs** (``n_mfcc=None``:
    128 bands of 64 ms windows every 20 ms at 16 kHz), over six 2.5 s windows
    spread over the speech that voice activity detection finds, with augmented
    recordings as half the training views: the features of
    :func:`~speechface.make_ser_pipeline`. Set ``n_mfcc`` for MFCCs.

    Each clip is read (any rate, bit depth and channel count, mixed to mono)
    and resampled to ``sr``. With ``vad=True`` its speech is found (silero-vad;
    pauses under 0.5 s are kept, longer ones and the silence around the speech
    dropped) and read as ``n_views`` windows of ``duration`` seconds whose starts
    are spread evenly over it (one window in the centre when ``n_views=1``);
    speech shorter than a window is repeated to fill it. With ``vad=False``
    the one window is ``duration`` seconds from ``offset``, zero-padded when
    shorter (RAVDESS's timing). Each window becomes a (channels x frames)
    matrix: ``n_mfcc`` MFCCs, or ``n_mels`` log-mel bands when ``n_mfcc`` is
    None, with ``deltas`` orders of deltas stacked below. ``layout`` says how
    that matrix becomes a row.

    ``fit_transform`` differs from ``fit(X).transform(X)`` when ``augment`` is
    set (as scikit-learn's ``TargetEncoder`` does): each training view is the
    clip changed by the augmentation (room, noise, channel, pitch, level;
    with probability ``augment_prob``, else the clean clip), then cut at a
    random place of its speech to a random length, so a classifier that
    draws one view per clip each epoch sees a new recording of it most
    epochs. ``transform`` never augments.

    Parameters
    ----------
    sr : int, default=16000
        Analysis sample rate in Hz; every input is resampled to it.
    n_mfcc : int or None, default=None
        Number of MFCCs per frame; None (the default) keeps the ``n_mels``
        log-mel bands instead of computing MFCCs.
    n_mels : int, default=128
        Number of mel bands.
    n_fft : int, default=1024
        FFT window length in samples at ``sr``.
    hop_length : int, default=320
        Samples between frames at ``sr``.
    duration : float, default=2.5
        Seconds of audio per window.
    offset : float, default=0.5
        With ``vad=False``: seconds skipped at the start of each clip (a clip
        no longer than that is used from its start). Unused with ``vad=True``.
    deltas : {0, 1, 2}, default=0
        Orders of delta features stacked below the coefficients.
    layout : {"frames", "mean", "mean_std", "coef_mean"}, default="frames"
        ``"frames"``: the whole (channels x frames) matrix, channel-major (for
        the CNN); ``"mean"``/``"mean_std"``: per-channel statistics over time;
        ``"coef_mean"``: the mean over channels of each frame (the seed's
        259-value feature with ``sr=44100, n_mfcc=13, n_mels=128, n_fft=2048,
        hop_length=512, deltas=0``).
    input_sr : int or None, default=None
        Sample rate of waveform inputs; None means they are at ``sr``. Files
        carry their own rate.
    vad : bool, default=True
        Find the speech in each clip (voice activity detection) instead of
        reading it from ``offset``. A clip in which no speech is found raises
        :class:`~speechface.exceptions.NoSpeechError` naming it.
    n_views : int, default=6
        Windows per clip, stacked in the row (``layout="frames"`` only);
        :class:`~speechface.SpeechEmotionClassifier` draws one per clip and
        epoch in training and averages its probabilities over all of them
        when predicting.
    augment : {"recordings"} or None, default="recordings"
        Waveform augmentation of the training views made by ``fit_transform``
        (see :func:`speechface.audio.augment.make_augmentation`); babble is
        mixed from the other training clips when they are files.
    augment_prob : float, default=0.5
        With ``augment``: the probability that a training view is augmented;
        the others are clean random cuts of the clip's speech. 0.5 was chosen
        on robust five-fold scores of actors 1-20 over 1.0 and 0.7 (docs/ser.md).
    random_state : int, RandomState or None, default=None
        Seeds the augmentation and the training views' cuts.
    n_jobs : int or None, default=None
        Parallel jobs for extraction (joblib; -1 uses all cores).
    verbose : bool, default=False
        Show a progress bar.

    Attributes
    ----------
    n_channels_ : int
        Rows of the (channels x frames) matrix.
    n_frames_ : int
        Frames per clip.
    n_features_in_ : int
        Width of a 2-D waveform array seen in ``fit`` (only for such input).
    """

    def __init__(
        self,
        sr: int = 16000,
        n_mfcc: int | None = None,
        n_mels: int = 128,
        n_fft: int = 1024,
        hop_length: int = 320,
        duration: float = 2.5,
        offset: float = 0.5,
        deltas: int = 0,
        layout: str = "frames",
        input_sr: int | None = None,
        vad: bool = True,
        n_views: int = 6,
        augment: str | None = "recordings",
        augment_prob: float = 0.5,
        random_state=None,
        n_jobs: int | None = None,
        verbose: bool = False,
    ):
        self.sr = sr
        self.n_mfcc = n_mfcc
        self.n_mels = n_mels
        self.n_fft = n_fft
        self.hop_length = hop_length
        self.duration = duration
        self.offset = offset
        self.deltas = deltas
        self.layout = layout
        self.input_sr = input_sr
        self.vad = vad
        self.n_views = n_views
        self.augment = augment
        self.augment_prob = augment_prob
        self.random_state = random_state
        self.n_jobs = n_jobs
        self.verbose = verbose

    def _check_params(self) -> None:
        check_scalar(self.sr, "sr", integer=True, min_value=1)
        check_scalar(self.n_mels, "n_mels", integer=True, min_value=1)
        check_scalar(self.n_mfcc, "n_mfcc", integer=True, min_value=1, allow_none=True)
        if self.n_mfcc is not None and self.n_mfcc > self.n_mels:
            raise ValueError(f"n_mfcc must be <= n_mels ({self.n_mels}), got {self.n_mfcc}")
        check_scalar(self.n_fft, "n_fft", integer=True, min_value=2)
        check_scalar(self.hop_length, "hop_length", integer=True, min_value=1)
        check_scalar(self.duration, "duration", min_value=0, include_min=False)
        if self._n_samples() < 1:
            raise ValueError(f"duration={self.duration} s is shorter than one sample at sr={self.sr}")
        check_scalar(self.offset, "offset", min_value=0)
        check_scalar(self.deltas, "deltas", integer=True)
        check_choice(self.deltas, "deltas", (0, 1, 2))
        check_choice(self.layout, "layout", LAYOUTS)
        check_scalar(self.input_sr, "input_sr", integer=True, min_value=1, allow_none=True)
        if not isinstance(self.vad, (bool, np.bool_)):
            raise TypeError(f"vad must be True or False, got {self.vad!r}")
        check_scalar(self.n_views, "n_views", integer=True, min_value=1)
        if self.n_views > 1 and self.layout != "frames":
            raise ValueError(f"n_views={self.n_views} needs layout='frames', got layout={self.layout!r}")
        check_choice(self.augment, "augment", (*AUGMENTATIONS, None))
        check_scalar(self.augment_prob, "augment_prob", min_value=0.0, max_value=1.0)
        if self.deltas and self._n_frames() < 3:
            raise ValueError(f"deltas need at least 3 frames; duration={self.duration} s gives {self._n_frames()}")

    def _n_samples(self) -> int:
        return int(round(self.duration * self.sr))

    def _n_frames(self) -> int:
        # centred frames as librosa counts them: the clip is padded by n_fft // 2 on each side
        padded = self._n_samples() + 2 * (self.n_fft // 2)
        return 1 + (padded - self.n_fft) // self.hop_length

    def _n_channels(self) -> int:
        return (self.n_mels if self.n_mfcc is None else self.n_mfcc) * (1 + self.deltas)

    def _n_features_out(self) -> int:
        channels, frames = self._n_channels(), self._n_frames()
        widths = {
            "frames": self.n_views * channels * frames,
            "mean": channels,
            "mean_std": 2 * channels,
            "coef_mean": frames,
        }
        return widths[self.layout]

    def _clips(self, X) -> list:
        """The clips of X as a list."""
        if isinstance(X, (str, os.PathLike)):
            raise TypeError(f"X must be a sequence of clips, got a single path {str(X)!r}; wrap it in a list")
        if scipy.sparse.issparse(X):
            raise TypeError("sparse input is not supported: pass file paths or dense waveforms")
        if hasattr(X, "__array__") and not isinstance(X, np.ndarray):  # DataFrame, other array-likes
            X_ndim = X.ndim if hasattr(X, "ndim") else np.asarray(X).ndim
        else:
            X_ndim = getattr(X, "ndim", None)
        if X_ndim == 1 and np.asarray(X).dtype.kind in "biuf":
            raise ValueError(
                f"X is a 1-D numeric array of shape {np.shape(X)}, not a sequence of clips. Reshape "
                "your data: pass one waveform as [y] or y.reshape(1, -1)"
            )
        if X_ndim == 2:
            # integer PCM stays integer, for load_audio to scale to [-1, 1]
            dtype = None if np.asarray(X).dtype.kind in "iu" else np.float32
            return list(validate_data(self, X, reset=not hasattr(self, "n_channels_"), dtype=dtype))
        try:
            clips = list(X)
        except TypeError:
            raise TypeError(f"X must be a sequence of file paths or waveforms, got {type(X).__name__}") from None
        if not clips:
            raise ValueError("X is empty: no clips to transform")
        return clips

    def _extract(self, clip, index: int, fitting: _Fitting | None = None, seed: int | None = None) -> np.ndarray:
        """The row of one clip: its clean windows, or augmented training views when ``seed`` is given.

        In ``fit_transform`` (``fitting`` given) a clip in which no speech is
        found is read whole: its label says it is speech. Elsewhere it raises.
        """
        if isinstance(clip, (list, tuple)):  # a waveform given as a list of samples
            clip = np.asarray(clip)
        name = f"X[{index}]" if not isinstance(clip, (str, os.PathLike)) else repr(str(clip))
        y = load_audio(
            clip,
            sr=self.sr,
            source_sr=self.sr if self.input_sr is None else self.input_sr,
            offset=0.0 if self.vad else self.offset,
            duration=None if self.vad else self.duration,
            name=f"X[{index}]",
        )
        size = self._n_samples()
        intervals = self._speech(y, name, training=fitting is not None) if self.vad else np.array([[0, len(y)]])
        if seed is None:
            speech = join_intervals(y, intervals) if self.vad else fix_length(y, size)
            windows = spread_windows(speech, size, self.n_views)
        else:
            windows = self._training_views(y, intervals, seed, fitting.augment)
        rows = {}  # a short clip's views are one window: its features are computed once
        for w in windows:
            if id(w) not in rows:
                frames = _spectral_frames(
                    w, self.sr, self.n_fft, self.hop_length, self.n_mels, self.n_mfcc, self.deltas
                )
                rows[id(w)] = _summarise(frames, self.layout)
        return np.concatenate([rows[id(w)] for w in windows])

    def _speech(self, y: np.ndarray, name: str, training: bool) -> np.ndarray:
        intervals = find_speech(y, self.sr) if y.size else np.empty((0, 2), dtype=np.int64)
        if len(intervals):
            return intervals
        if training and y.size:
            return np.array([[0, len(y)]])
        raise NoSpeechError(f"no speech found in {name} (voice activity detection, vad=True)")

    def _training_views(self, y: np.ndarray, intervals: np.ndarray, seed: int, augment: Callable) -> list:
        """``n_views`` random cuts of the speech (found in the clean clip) of ``y``, each augmented with
        probability ``augment_prob``."""
        rng, chooser = np.random.default_rng(seed), np.random.default_rng((seed, 1))
        size, views = self._n_samples(), []
        for view in range(self.n_views):
            heard = y
            if chooser.random() < self.augment_prob:
                with seeded_globals(seed + view):
                    heard = np.clip(augment(samples=y, sample_rate=self.sr), -1.0, 1.0).astype(np.float32)
            views.append(random_window(join_intervals(heard, intervals), size, rng, int(_MIN_VIEW * self.sr)))
        return views

    def _extract_into(self, out: np.ndarray, clips: list, start: int, fitting: _Fitting | None = None) -> int:
        """Write the features of ``clips`` (``X[start:]``, for error messages) to ``out``'s rows; return how many."""
        seeds = None if fitting is None else fitting.seeds
        for i, clip in enumerate(clips):
            out[i] = self._extract(clip, start + i, fitting, None if seeds is None else int(seeds[i]))
        return len(clips)

    def _extract_rows(self, clips: list, start: int, fitting: _Fitting | None = None) -> tuple[int, np.ndarray]:
        """``start`` and the features of ``clips`` (``X[start:]``), for workers that send rows back."""
        rows = np.empty((len(clips), self._n_features_out()), dtype=np.float32)
        self._extract_into(rows, clips, start, fitting)
        return start, rows

    def fit(self, X, y=None):
        """Check the parameters and ``X``; learn the output shape.

        Parameters
        ----------
        X : sequence of paths or 1-D arrays, or ndarray of shape (n_clips, n_samples)
            Audio clips.
        y : ignored
            Present for API consistency.

        Returns
        -------
        self : MFCCTransformer
            The fitted transformer.
        """
        self._fit(X)
        return self

    def _fit(self, X) -> list:
        """Fit on ``X`` and return its clips."""
        self._check_params()
        for attr in ("n_channels_", "n_frames_", "n_features_in_"):
            self.__dict__.pop(attr, None)
        clips = self._clips(X)
        self._learn_shape()
        return clips

    def _learn_shape(self) -> MFCCTransformer:
        """Set the output shape from checked parameters: all that fitting learns."""
        self.n_channels_ = self._n_channels()
        self.n_frames_ = self._n_frames()
        return self

    def transform(self, X) -> np.ndarray:
        """Extract the features of each clip.

        Parameters
        ----------
        X : sequence of paths or 1-D arrays, or ndarray of shape (n_clips, n_samples)
            Audio clips: file paths, or waveforms at ``input_sr`` (``sr`` if None).

        Returns
        -------
        ndarray of shape (n_clips, n_features), dtype float32
            One row per clip; ``n_features`` depends on ``layout``.
        """
        check_is_fitted(self)
        self._check_params()
        return self._features(self._clips(X))

    def fit_transform(self, X, y=None, **fit_params) -> np.ndarray:
        """Fit, then extract the features of each clip: augmented training views when ``augment`` is set.

        Parameters
        ----------
        X : sequence of paths or 1-D arrays, or ndarray of shape (n_clips, n_samples)
            Audio clips: file paths, or waveforms at ``input_sr`` (``sr`` if None).
        y : ignored
            Present for API consistency.
        **fit_params : dict
            Ignored; present for API consistency.

        Returns
        -------
        ndarray of shape (n_clips, n_features), dtype float32
            One row per clip; with ``augment``, its ``n_views`` training views.
        """
        clips = self._fit(X)  # X is read once
        if self.augment is None:
            return self._features(clips, _Fitting(None, None))
        seeds = check_random_state(self.random_state).randint(2**31 - 1, size=len(clips))
        babble = [str(c) for c in clips if isinstance(c, (str, os.PathLike))]
        return self._features(clips, _Fitting(seeds, make_augmentation(self.augment, babble)))

    def _features(self, clips: list, fitting: _Fitting | None = None) -> np.ndarray:
        """The rows of ``clips``, in this process or in joblib workers."""
        n_jobs = effective_n_jobs(self.n_jobs)
        shape = (len(clips), self._n_features_out())
        if n_jobs == 1 or len(clips) <= _IN_PROCESS:  # worker processes would cost more than they save
            out = np.empty(shape, dtype=np.float32)
            with tqdm(total=len(clips), desc="MFCC", unit="clip", disable=not self.verbose) as bar:
                for i in range(0, len(clips), 32):
                    bar.update(self._extract_into(out[i : i + 32], clips[i : i + 32], i, _part(fitting, i)))
            return out
        # chunks amortise the per-task cost of the worker processes
        size = max(1, min(32, -(-len(clips) // (4 * n_jobs))))
        chunks = [(i, clips[i : i + size]) for i in range(0, len(clips), size)]
        parallel = Parallel(n_jobs=n_jobs, return_as="generator_unordered")
        with tqdm(total=len(clips), desc="MFCC", unit="clip", disable=not self.verbose) as bar:
            if type(get_active_backend()[0]).__name__ not in _SHARED_MEMORY_BACKENDS:
                out = np.empty(shape, dtype=np.float32)
                jobs = (delayed(self._extract_rows)(chunk, i, _part(fitting, i, size)) for i, chunk in chunks)
                for start, rows in parallel(jobs):
                    out[start : start + len(rows)] = rows
                    bar.update(len(rows))
                return out
            # local workers write into one shared array instead of pickling rows back (77 KB a clip by default)
            with shared_array(shape) as shared:
                # joblib hands each worker its slice of the memmap by file name and offset
                jobs = (
                    delayed(self._extract_into)(shared[i : i + len(chunk)], chunk, i, _part(fitting, i, size))
                    for i, chunk in chunks
                )
                for done in parallel(jobs):
                    bar.update(done)
                # POSIX keeps the mapping alive after the file is removed: no need to copy it out
                return np.array(shared) if os.name == "nt" else np.asarray(shared)

    def get_feature_names_out(self, input_features=None) -> np.ndarray:
        """Names of the output columns.

        Parameters
        ----------
        input_features : ignored
            Present for API consistency.

        Returns
        -------
        ndarray of str
            ``"frames"``: ``<channel>_t<frame>``; ``"mean"``/``"mean_std"``:
            ``<channel>_mean``/``<channel>_std``; ``"coef_mean"``: ``t<frame>``.
        """
        check_is_fitted(self)
        self._check_params()  # names follow the parameters transform uses
        kind = "mel" if self.n_mfcc is None else "mfcc"
        base = [f"{kind}{i}" for i in range(self._n_channels() // (1 + self.deltas))]
        channels = base + [f"d{k}_{name}" for k in range(1, self.deltas + 1) for name in base]
        frames = [f"t{j}" for j in range(self._n_frames())]
        if self.layout == "frames":
            names = [f"{c}_{t}" for c in channels for t in frames]
            if self.n_views > 1:
                names = [f"v{v}_{name}" for v in range(self.n_views) for name in names]
        elif self.layout == "coef_mean":
            names = frames
        else:
            stats = ("mean",) if self.layout == "mean" else ("mean", "std")
            names = [f"{c}_{s}" for s in stats for c in channels]
        return np.asarray(names, dtype=object)

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.string = True
        tags.input_tags.allow_nan = False
        tags.transformer_tags.preserves_dtype = ["float32"]  # the output is always float32
        return tags
