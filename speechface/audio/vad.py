"""Finding the speech in a clip: voice activity detection with silero-vad.

silero-vad was chosen by measurement over librosa's energy split and webrtcvad
(``benchmarks/experiments/vad_compare.py``, 100 development clips): under white,
pink or brown noise at 0-10 dB SNR its speech span overlaps the clean span by
0.84-0.86 (IoU), the other two by 0.50-0.58, because an energy threshold
relative to the loudest frame takes the whole noisy clip for speech. Its
weights ship inside its wheel (MIT), so nothing is downloaded. It runs as
silero's "sequence" ONNX model (onnxruntime, one thread), which scores a block
of frames per call: 2.8 ms per second of audio against 31 ms for its
TorchScript model, which is called once per 32 ms frame, with the same
timestamps (measured on a demo clip).
"""

from __future__ import annotations

import functools

import numpy as np
import soxr

from speechface._validation import check_scalar

#: the rate silero-vad reads (it also takes 8 kHz; everything else is resampled to this)
VAD_SR = 16000

#: (speech probability, shortest speech in seconds) tried in turn by :func:`find_speech`: silero's
#: defaults, then lower ones for speech it scores weakly. The second pass finds 11 of the 13 clean
#: development clips (shouts, laughter) the first misses, and 24 of 24 clips of 0.3 s cut from the
#: demo clips; on white noise from 0.001 to 0.1 rms it finds nothing (40 of 40), where a threshold
#: of 0.1 took 7 of the 40 for speech.
FALLBACKS = ((0.5, 0.25), (0.2, 0.1))


@functools.cache
def _model():
    """The VAD model, loaded once: it passes its state from call to call in its arguments,
    and onnxruntime sessions may be run from several threads at once."""
    from silero_vad import load_silero_vad

    return load_silero_vad(onnx=True, sequence=True)


def speech_intervals(
    y: np.ndarray,
    sr: int,
    *,
    threshold: float = 0.5,
    min_speech: float = 0.25,
    min_silence: float = 0.5,
    pad: float = 0.05,
) -> np.ndarray:
    """Where speech is in a mono waveform, as sample intervals at ``sr``.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Mono float samples in [-1, 1].
    sr : int
        Sample rate of ``y`` in Hz.
    threshold : float, default=0.5
        Speech probability above which a 32 ms frame is speech (silero-vad's).
    min_speech : float, default=0.25
        Shortest stretch of speech kept, in seconds.
    min_silence : float, default=0.5
        Pauses shorter than this (seconds) stay inside one interval.
    pad : float, default=0.05
        Seconds added at both ends of each interval.

    Returns
    -------
    ndarray of shape (n_intervals, 2), dtype int64
        ``[start, stop)`` sample indices at ``sr``, in order and disjoint;
        empty (shape ``(0, 2)``) when no speech is found.
    """
    from silero_vad import get_speech_timestamps_sequence

    check_scalar(sr, "sr", integer=True, min_value=1)
    check_scalar(threshold, "threshold", min_value=0.0, include_min=False, max_value=1.0, include_max=False)
    x = y if sr == VAD_SR else soxr.resample(y, sr, VAD_SR, quality="MQ")
    x = np.ascontiguousarray(x, dtype=np.float32)
    stamps = get_speech_timestamps_sequence(
        x,
        _model(),
        threshold=threshold,
        sampling_rate=VAD_SR,
        min_speech_duration_ms=int(min_speech * 1000),
        min_silence_duration_ms=int(min_silence * 1000),
        speech_pad_ms=int(pad * 1000),
    )
    if not stamps:
        return np.empty((0, 2), dtype=np.int64)
    out = np.array([[s["start"], s["end"]] for s in stamps], dtype=np.float64) * (sr / VAD_SR)
    return np.clip(np.round(out), 0, len(y)).astype(np.int64)


def find_speech(y: np.ndarray, sr: int) -> np.ndarray:
    """Speech intervals of ``y`` at the first settings of :data:`FALLBACKS` that find any.

    Parameters
    ----------
    y : ndarray of shape (n_samples,)
        Mono float samples in [-1, 1].
    sr : int
        Sample rate of ``y`` in Hz.

    Returns
    -------
    ndarray of shape (n_intervals, 2), dtype int64
        As :func:`speech_intervals`; empty when none of the settings finds speech.
    """
    for threshold, min_speech in FALLBACKS:
        intervals = speech_intervals(y, sr, threshold=threshold, min_speech=min_speech)
        if len(intervals):
            break
    return intervals
