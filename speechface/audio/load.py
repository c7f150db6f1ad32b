"""Read any audio file or waveform to mono float32 at a target sample rate."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np
import soundfile as sf
import soxr

from speechface._validation import check_scalar
from speechface.exceptions import InvalidAudioError

AudioSource = str | os.PathLike | np.ndarray

# libsndfile logs "data : <declared> (should be <present>)" when a WAV/AIFF data chunk
# runs past the end of the file, then silently reads only what is there.
_TRUNCATED = re.compile(r"^(?:data|SSND)\s*:\s*(\d+)\s*\(should be (\d+)\)", re.MULTILINE)
_SIZE_PLACEHOLDER = 0x7FFFFFFF  # streaming writers declare this (or 0xFFFFFFFF) as "unknown"


def _read_file(path: Path, offset: float, duration: float | None) -> tuple[np.ndarray, int]:
    """Read ``duration`` seconds from ``offset`` of a file, mixed to mono."""
    if not path.exists():
        raise FileNotFoundError(f"audio file not found: {str(path)!r}")
    if path.is_dir():
        raise IsADirectoryError(f"expected an audio file, got a directory: {str(path)!r}")
    if path.stat().st_size == 0:
        raise InvalidAudioError(f"audio file is empty (0 bytes): {str(path)!r}")
    try:
        with sf.SoundFile(str(path)) as f:
            rate = f.samplerate
            truncated = _TRUNCATED.search(f.extra_info)
            if truncated and int(truncated[2]) < int(truncated[1]) < _SIZE_PLACEHOLDER:
                raise InvalidAudioError(
                    f"audio file is truncated: {str(path)!r} declares {truncated[1]} bytes of "
                    f"samples but holds {truncated[2]}"
                )
            if f.frames == 0:
                raise InvalidAudioError(f"audio file contains no samples: {str(path)!r}")
            start = int(round(offset * rate))
            start = start if start < f.frames else 0  # a clip shorter than the offset is read whole
            f.seek(start)
            n = -1 if duration is None else int(round(duration * rate))
            # uncompressed 16-bit PCM reads fastest as int16 (0.07 against 0.2 ms for 3 s), FLAC
            # decodes fastest straight to float32 (1.5 against 1.8 ms); both are exact
            pcm16 = f.subtype == "PCM_16" and f.format != "FLAC"
            data = f.read(frames=n, dtype="int16" if pcm16 else "float32", always_2d=True)
    except (sf.LibsndfileError, RuntimeError, TypeError) as exc:
        raise InvalidAudioError(f"cannot read audio file {str(path)!r}: {exc}") from None
    mono = data[:, 0] if data.shape[1] == 1 else data.mean(axis=1, dtype=np.float32)
    return (mono * np.float32(1 / 32768) if pcm16 else mono).astype(np.float32, copy=False), rate


def _check_waveform(y: np.ndarray, name: str) -> np.ndarray:
    if y.dtype.kind not in "fiu":
        raise TypeError(f"waveform {name} must be numeric, got dtype {y.dtype}")
    if y.ndim != 1:
        raise ValueError(f"waveform {name} must be 1-D (mono samples), got shape {y.shape}")
    if y.size == 0:
        raise InvalidAudioError(f"waveform {name} is empty")
    if y.dtype.kind in "iu":
        # integer PCM: scale to [-1, 1) by the type's full range
        info = np.iinfo(y.dtype)
        y = (y.astype(np.float64) - (info.max + info.min + 1) / 2) / ((info.max - info.min + 1) / 2)
    return np.asarray(y, dtype=np.float32)


def load_audio(
    source: AudioSource,
    *,
    sr: int,
    source_sr: int | None = None,
    offset: float = 0.0,
    duration: float | None = None,
    name: str | None = None,
) -> np.ndarray:
    """Load a file or waveform as mono float32 samples at ``sr`` Hz.

    Files are read with libsndfile (WAV, FLAC, OGG, MP3 and more, any bit depth),
    only the requested window is decoded, channels are averaged, and the signal is
    resampled with soxr.

    Parameters
    ----------
    source : str, path-like or ndarray
        An audio file, or a 1-D waveform (float in [-1, 1] or integer PCM).
    sr : int
        Target sample rate in Hz.
    source_sr : int, optional
        Sample rate of ``source`` when it is a waveform; required then.
    offset : float, default=0.0
        Start reading this many seconds in; a clip no longer than that is
        read from its start instead (a 10 ms clip still gives its samples).
    duration : float, optional
        Read at most this many seconds; all of it when None.
    name : str, optional
        How to name a waveform in error messages (e.g. ``"X[3]"``).

    Returns
    -------
    ndarray of shape (n_samples,), dtype float32
        The mono samples; shorter than ``duration`` when the source is.
    """
    check_scalar(sr, "sr", integer=True, min_value=1)
    check_scalar(offset, "offset", min_value=0)
    check_scalar(duration, "duration", min_value=0, include_min=False, allow_none=True)
    if isinstance(source, (str, os.PathLike)):
        y, rate = _read_file(Path(source), offset, duration)
        label = str(source)
    elif isinstance(source, np.ndarray):
        if source_sr is None:
            raise ValueError("source_sr (the waveform's sample rate) is required for waveform input")
        check_scalar(source_sr, "source_sr", integer=True, min_value=1)
        label = name or "waveform"
        y = _check_waveform(source, label)
        rate = int(source_sr)
        start = int(round(offset * rate))
        start = start if start < y.size else 0  # a clip shorter than the offset is used whole
        stop = None if duration is None else start + int(round(duration * rate))
        y = y[start:stop]
    else:
        raise TypeError(f"audio must be a file path or a 1-D numpy array, got {type(source).__name__}")
    if not np.isfinite(y).all():
        raise InvalidAudioError(f"audio {label!r} contains NaN or infinite samples")
    if rate != sr and y.size:
        y = soxr.resample(y, rate, sr, quality="HQ").astype(np.float32, copy=False)
    return y


def fix_length(y: np.ndarray, size: int) -> np.ndarray:
    """Crop or zero-pad ``y`` at the end to exactly ``size`` samples.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        The signal.
    size : int
        The length wanted.

    Returns
    -------
    ndarray of shape (size,)
        The cropped or padded signal.
    """
    if y.shape[0] >= size:
        return y[:size]
    return np.pad(y, (0, size - y.shape[0]))
