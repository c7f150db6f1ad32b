"""Analysis windows over the speech of a clip: the speech alone, windows spread over it, random crops."""

from __future__ import annotations

import numpy as np


def join_intervals(y: np.ndarray, intervals: np.ndarray) -> np.ndarray:
    """The samples of ``y`` inside ``intervals`` (an (n, 2) array of [start, stop)), joined in order.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The signal.
    intervals : ndarray of shape (n_intervals, 2)
        Sample intervals, e.g. from :func:`~speechface.audio.vad.speech_intervals`.

    Returns
    -------
    ndarray
        The joined samples (pauses between the intervals removed).
    """
    return np.concatenate([y[start:stop] for start, stop in intervals]) if len(intervals) else y[:0]


def fill_window(y: np.ndarray, size: int) -> np.ndarray:
    """Exactly ``size`` samples: ``y`` cropped, or repeated end to end when shorter.

    Repeating the speech, rather than padding it with silence, keeps a short
    clip's frames all speech, as the network sees them in training.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The signal; not empty.
    size : int
        The length wanted.

    Returns
    -------
    ndarray of shape (size,)
        The window.
    """
    return y[:size] if len(y) >= size else np.resize(y, size)


def spread_windows(y: np.ndarray, size: int, n: int) -> list[np.ndarray]:
    """``n`` windows of ``size`` samples whose starts are spread evenly over ``y``.

    The starts sit at the centres of ``n`` equal parts of the possible range
    (one window is the central one). A signal no longer than ``size`` gives
    ``n`` copies of the one window.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The signal; not empty.
    size : int
        Samples per window.
    n : int
        Number of windows.

    Returns
    -------
    list of ndarray of shape (size,)
        The windows, in time order.
    """
    if len(y) <= size:
        return [fill_window(y, size)] * n
    starts = ((np.arange(n) + 0.5) / n * (len(y) - size)).round().astype(int)
    return [y[s : s + size] for s in starts]


def random_window(y: np.ndarray, size: int, rng: np.random.Generator, min_size: int) -> np.ndarray:
    """A random span of ``y`` (a random length half the time, else ``size``), filled to ``size`` samples.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The signal; not empty.
    size : int
        Samples of the window returned.
    rng : numpy.random.Generator
        Draws the length and the start.
    min_size : int
        Shortest span drawn, in samples.

    Returns
    -------
    ndarray of shape (size,)
        The span, repeated to fill the window when shorter.
    """
    longest = min(size, len(y))
    length = int(rng.integers(min(min_size, longest), longest + 1)) if rng.random() < 0.5 else longest
    start = int(rng.integers(0, len(y) - length + 1))
    return fill_window(y[start : start + length], size)
