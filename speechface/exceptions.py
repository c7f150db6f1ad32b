"""The errors speechface raises on inputs it cannot use.

Each is a :class:`ValueError`, so code that catches ``ValueError`` keeps
working; catch these to tell a bad recording or dataset apart from other
mistakes. The ``speechface`` command reports them as one line (exit code 2).

Examples
--------
>>> from speechface.exceptions import InvalidAudioError, NoSpeechError
>>> issubclass(NoSpeechError, InvalidAudioError) and issubclass(InvalidAudioError, ValueError)
True
"""

from __future__ import annotations

__all__ = ["SpeechfaceError", "InvalidAudioError", "NoSpeechError", "InvalidDatasetError"]


class SpeechfaceError(ValueError):
    """Base of the errors below: an input that speechface cannot use."""


class InvalidAudioError(SpeechfaceError):
    """An audio file or waveform that cannot be used.

    Raised when reading audio (:func:`speechface.audio.load_audio`, and every
    estimator that reads clips) finds a file that is empty, truncated, holds
    no samples or cannot be decoded, or a waveform that is empty or has NaN or
    infinite samples.
    """


class NoSpeechError(InvalidAudioError):
    """A clip in which voice activity detection finds no speech (silence or noise only).

    Raised by :class:`speechface.MFCCTransformer` when its voice activity
    detection (``vad=True``) finds no speech in a clip it transforms (in
    ``fit`` such a clip is used whole), and by
    :meth:`speechface.SpeechToFace.timeline` when a recording has no speech or
    no window with enough of it; the message names the clip.
    """


class InvalidDatasetError(SpeechfaceError):
    """A dataset folder or file that does not follow the expected layout or naming.

    Raised by :func:`speechface.load_ravdess` (a file name that is not
    RAVDESS's seven two-digit codes, a song file, or a folder with no speech
    files) and by :func:`speechface.load_fer2013` (a CSV row, image or folder
    that does not follow FER-2013's layout).
    """
