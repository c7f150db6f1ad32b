"""Recording conditions for the speech-emotion benchmarks: RAVDESS clips as a user would record them.

A RAVDESS file is a studio take: about 1 s of near-silence, one sentence,
silence again, at 48 kHz. A user's own recording starts where they start
talking or after a long pause, is shorter or longer, noisy, reverberant,
band-limited or compressed, or much quieter. :data:`CONDITIONS` names a fixed
suite of such changes and :func:`perturbed_clips` applies one to a list of
clips, deterministically for a given seed (each clip of each condition draws
from its own generator, so the result does not depend on which conditions were
computed before). All outputs are mono float32 at :data:`SR`, within [-1, 1].

Cost on one thread (240 development clips, actors 17-20, loading the files
included, 0.9-1.2 s; measured with the other core busy, load average 2)::

    clean                      1.2 s
    starts at the speech      11.5 s   (voice activity detection: 40 ms a clip then, 10 ms since
                                        speechface runs silero-vad's ONNX sequence model)
    2 s of speech             13.4 s
    1 s of speech              9.9 s
    1.5 s extra silence        1.1 s
    long take (3 sentences)    1.4 s
    white noise 20 dB          1.4 s
    pink noise 10 dB           1.8 s
    pink noise 0 dB            1.7 s
    babble 15 dB               1.2 s
    babble 5 dB                1.2 s
    room RT60 0.5 s            5.6 s
    telephone                  2.2 s
    mp3 24 kbps                3.3 s
    30 dB quieter              1.2 s

:func:`cached_perturbed_clips` keeps the results in ``benchmarks/.cache/``
(about 60 MB a condition for 240 clips, 200 MB for the long take), keyed by
the arguments and this file's code: delete the folder after changing
``speechface.audio``.
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from functools import cache
from pathlib import Path

import numpy as np
import soxr
from joblib import Memory
from tqdm.auto import tqdm

#: sample rate of every output waveform
SR = 16000

#: the recording conditions, in report order; "clean" is the released file resampled to :data:`SR`
CONDITIONS: tuple[str, ...] = (
    "clean",
    "starts at the speech",
    "2 s of speech",
    "1 s of speech",
    "1.5 s extra silence",
    "long take (3 sentences)",
    "white noise 20 dB",
    "pink noise 10 dB",
    "pink noise 0 dB",
    "babble 15 dB",
    "babble 5 dB",
    "room RT60 0.5 s",
    "telephone",
    "mp3 24 kbps",
    "30 dB quieter",
)

_QUIET_RMS = 10 ** (-70 / 20)  # the "silence" put between and before takes: -70 dBFS white noise
_COLOR_NOISE = {"white noise 20 dB": (20.0, 0.0), "pink noise 10 dB": (10.0, -3.01), "pink noise 0 dB": (0.0, -3.01)}
_BABBLE_SNR = {"babble 15 dB": 15.0, "babble 5 dB": 5.0}
_SPEECH_SECONDS = {"2 s of speech": 2.0, "1 s of speech": 1.0}
_BABBLE_TALKERS = 4
_CACHE = Path(__file__).resolve().parent / ".cache"


@cache
def _transforms() -> dict[str, Callable[[np.ndarray, int], np.ndarray]]:
    """The audiomentations transforms, with every parameter fixed (p=1, min = max)."""
    import audiomentations as A

    transforms = {
        name: A.AddColorNoise(snr, snr, min_f_decay=decay, max_f_decay=decay, p=1.0)
        for name, (snr, decay) in _COLOR_NOISE.items()
    }
    transforms["room RT60 0.5 s"] = A.RoomSimulator(
        min_target_rt60=0.5,
        max_target_rt60=0.5,
        calculation_mode="rt60",
        use_ray_tracing=False,
        max_order=3,
        leave_length_unchanged=True,
        p=1.0,
    )
    transforms["telephone band"] = A.Compose(
        [
            A.HighPassFilter(300.0, 300.0, min_rolloff=24, max_rolloff=24, p=1.0),
            A.LowPassFilter(3400.0, 3400.0, min_rolloff=24, max_rolloff=24, p=1.0),
        ]
    )
    transforms["mp3 24 kbps"] = A.Mp3Compression(min_bitrate=24, max_bitrate=24, backend="fast-mp3-augment", p=1.0)
    return transforms


def _quiet(rng: np.random.Generator, seconds: float) -> np.ndarray:
    return (rng.standard_normal(int(seconds * SR)) * _QUIET_RMS).astype(np.float32)


def _onset(y: np.ndarray) -> int:
    """The first speech sample of ``y``; 0 when no speech is found (the clip is then kept whole)."""
    from speechface.audio.vad import speech_intervals

    intervals = speech_intervals(y, SR)
    return int(intervals[0, 0]) if len(intervals) else 0


def _rms(x: np.ndarray) -> float:
    return float(np.sqrt(np.mean(np.square(x, dtype=np.float64))))


def _mu_law(y: np.ndarray, mu: int = 255) -> np.ndarray:
    """8-bit mu-law quantisation (G.711's curve), encoded and decoded."""
    code = np.round((np.sign(y) * np.log1p(mu * np.abs(y)) / np.log1p(mu) + 1) / 2 * mu) / mu * 2 - 1
    return np.sign(code) * np.expm1(np.abs(code) * np.log1p(mu)) / mu


def _babble(clips: list[np.ndarray], actors: np.ndarray, i: int, snr_db: float, rng: np.random.Generator) -> np.ndarray:
    # mixed with numpy: AddBackgroundNoise adds one file per call at an SNR relative to the signal so
    # far, so four calls would not make one four-talker babble at the stated SNR
    y = clips[i]
    pool = np.flatnonzero(actors != actors[i])
    if not len(pool):  # a one-actor subset (smoke runs): the actor's other clips stand in
        pool = np.delete(np.arange(len(clips)), i)
    talkers = rng.choice(pool, _BABBLE_TALKERS, replace=len(pool) < _BABBLE_TALKERS)
    babble = np.sum([np.resize(clips[j], len(y)) for j in talkers], axis=0)  # np.resize loops a short clip
    return y + babble * np.float32(_rms(y) / (_rms(babble) * 10 ** (snr_db / 20)))


def _long_take(clips: list[np.ndarray], groups: np.ndarray, i: int, rng: np.random.Generator) -> np.ndarray:
    """Clip ``i`` and the next two of its (actor, emotion) group, cyclically, 0.8 s of quiet noise apart."""
    group = np.flatnonzero(groups == groups[i])
    at = int(np.flatnonzero(group == i)[0])
    parts = [clips[i]]
    for step in (1, 2):
        parts += [_quiet(rng, 0.8), clips[group[(at + step) % len(group)]]]
    return np.concatenate(parts)


def _perturb(
    condition: str, clips: list[np.ndarray], actors: np.ndarray, groups: np.ndarray, i: int, rng: np.random.Generator
) -> np.ndarray:
    """Clip ``i`` of ``clips`` under ``condition``, drawing from ``rng`` (and the global generators)."""
    y = clips[i]
    match condition:
        case "clean":
            return y
        case "starts at the speech":
            return y[_onset(y) :]
        case "2 s of speech" | "1 s of speech":
            start = _onset(y)
            return y[start : start + int(_SPEECH_SECONDS[condition] * SR)]
        case "1.5 s extra silence":
            return np.concatenate([_quiet(rng, 1.5), y])
        case "long take (3 sentences)":
            return _long_take(clips, groups, i, rng)
        case "babble 15 dB" | "babble 5 dB":
            return _babble(clips, actors, i, _BABBLE_SNR[condition], rng)
        case "telephone":
            narrow = soxr.resample(soxr.resample(y, SR, 8000), 8000, SR)[: len(y)]
            return _mu_law(np.clip(_transforms()["telephone band"](narrow, SR), -1, 1))
        case "room RT60 0.5 s":
            # the simulated room raises the level by about 10 dB (a quarter of the clips would clip):
            # back to the clip's RMS, so that the condition changes the reverberation only
            wet = _transforms()[condition](y, SR)
            return wet * np.float32(_rms(y) / _rms(wet))
        case "30 dB quieter":
            return y * np.float32(10 ** (-30 / 20))
        case _:
            return _transforms()[condition](y, SR)


def perturbed_clips(
    paths: Sequence[str | Path], actors: np.ndarray, condition: str, seed: int = 0, *, verbose: bool = False
) -> list[np.ndarray]:
    """RAVDESS clips as recorded under one of :data:`CONDITIONS`.

    Parameters
    ----------
    paths : sequence of str or Path
        RAVDESS speech files (``03-01-EE-II-SS-RR-AA.flac``; ``EE`` is the emotion).
    actors : ndarray of shape (n_clips,), dtype int
        Each clip's actor. Babble is drawn from clips of the other actors
        (from the actor's own other clips when ``paths`` holds one actor only).
    condition : str
        One of :data:`CONDITIONS`.
    seed : int, default=0
        Seed of the suite; clip ``i`` of condition ``k`` draws from
        ``np.random.default_rng([seed, k, i])``.
    verbose : bool, default=False
        Show a progress bar.

    Returns
    -------
    list of ndarray of shape (n_samples_i,), dtype float32
        One mono waveform at :data:`SR` per clip, in [-1, 1]; lengths differ.

    Notes
    -----
    ``"starts at the speech"`` cuts before the first speech onset found by
    :func:`speechface.audio.vad.speech_intervals` (none when no speech is
    found); ``"2 s of speech"`` and ``"1 s of speech"`` then keep that long. ``"1.5 s extra silence"``
    prepends 1.5 s of -70 dBFS white noise. ``"long take (3 sentences)"``
    appends the next two clips (cyclically, in ``paths`` order) of the same
    actor and emotion code, each after 0.8 s of that noise. Noise is
    audiomentations ``AddColorNoise`` (white: f_decay 0, pink: -3.01) at the
    SNR named; babble is four clips of other actors, each looped or cropped to
    the clip's length, summed and scaled to the SNR named against the clip's
    RMS. ``"telephone"`` resamples to 8 kHz and back, band-passes 300-3400 Hz
    (24 dB/octave Butterworth) and quantises to 8-bit mu-law. ``"room RT60
    0.5 s"`` is audiomentations ``RoomSimulator`` (image source, order 3),
    scaled back to the clip's RMS; ``"mp3 24 kbps"`` is its ``Mp3Compression``
    (fast-mp3-augment).
    """
    from speechface.audio import load_audio

    if condition not in CONDITIONS:
        raise ValueError(f"condition must be one of {CONDITIONS}, got {condition!r}")
    actors = np.asarray(actors)
    if len(actors) != len(paths):
        raise ValueError(f"got {len(paths)} paths but {len(actors)} actors")
    groups = np.array([f"{a}-{Path(p).name.split('-')[2]}" for p, a in zip(paths, actors)])
    clips = [load_audio(p, sr=SR) for p in paths]
    k = CONDITIONS.index(condition)
    out = []
    for i in tqdm(range(len(clips)), desc=condition, unit="clip", disable=not verbose, leave=False):
        rng = np.random.default_rng([seed, k, i])
        # audiomentations draws from Python's and numpy's global generators
        state = int(rng.integers(2**32))
        random.seed(state)
        np.random.seed(state)
        y = _perturb(condition, clips, actors, groups, i, rng)
        out.append(np.clip(y, -1.0, 1.0).astype(np.float32))
    return out


def _keyed(
    paths: list[str], actors: np.ndarray, condition: str, seed: int, module_code: str, verbose: bool
) -> list[np.ndarray]:
    """:func:`perturbed_clips`, with this file's code in the cache key (joblib hashes the cached function's only)."""
    return perturbed_clips(paths, actors, condition, seed, verbose=verbose)


_cached = Memory(_CACHE, verbose=0).cache(_keyed, ignore=["verbose"])


def cached_perturbed_clips(
    paths: Sequence[str | Path], actors: np.ndarray, condition: str, seed: int = 0, *, verbose: bool = False
) -> list[np.ndarray]:
    """:func:`perturbed_clips`, cached on disk under ``benchmarks/.cache/`` (joblib.Memory).

    Parameters and return value as :func:`perturbed_clips`; ``paths`` is
    keyed as strings, so ``str`` and ``Path`` lists share an entry.
    """
    return _cached(
        [str(p) for p in paths], np.asarray(actors), condition, seed, Path(__file__).read_text(), verbose=verbose
    )
