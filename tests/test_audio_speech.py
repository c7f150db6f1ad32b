"""Finding speech (silero-vad), windows over it, and the training augmentation, on the shipped demo speech."""

from __future__ import annotations

import numpy as np
import pytest

from speechface.audio import load_audio
from speechface.audio.augment import make_augmentation, seeded_globals
from speechface.audio.vad import speech_intervals
from speechface.audio.windows import fill_window, join_intervals, random_window, spread_windows
from speechface.demo import demo_clips

SR = 16000


@pytest.fixture(scope="module")
def speech() -> np.ndarray:
    """A real speech clip (a shipped demo clip, 16 kHz)."""
    return load_audio(demo_clips()[0][0], sr=SR)


def test_speech_found_where_it_was_put(speech):
    rng = np.random.default_rng(0)
    quiet = lambda seconds: (1e-4 * rng.standard_normal(int(seconds * SR))).astype(np.float32)  # noqa: E731
    y = np.concatenate([quiet(2.0), speech, quiet(1.0)])
    intervals = speech_intervals(y, SR)
    alone = speech_intervals(speech, SR)
    assert len(intervals) >= 1 and intervals.dtype == np.int64
    # the same speech, 2 s later
    assert abs(intervals[0, 0] - (alone[0, 0] + 2 * SR)) < 0.1 * SR
    assert abs(intervals[-1, 1] - (alone[-1, 1] + 2 * SR)) < 0.1 * SR
    assert np.all(np.diff(intervals.ravel()) > 0)  # ordered and disjoint


def test_intervals_follow_the_sample_rate(speech):
    at_16k = speech_intervals(speech, SR)
    at_48k = speech_intervals(load_audio(speech, sr=48000, source_sr=SR), 48000)
    assert np.allclose(at_48k, 3 * at_16k, atol=3 * 32)


@pytest.mark.parametrize(
    "y",
    [np.zeros(SR, np.float32), (0.1 * np.random.default_rng(0).standard_normal(3 * SR)).astype(np.float32)],
    ids=["silence", "white noise"],
)
def test_no_speech_in_silence_or_noise(y):
    assert speech_intervals(y, SR).shape == (0, 2)


def test_windows_over_speech():
    y = np.arange(10, dtype=np.float32)
    assert np.array_equal(join_intervals(y, np.array([[1, 3], [6, 8]])), [1, 2, 6, 7])
    assert np.array_equal(fill_window(y[:3], 7), [0, 1, 2, 0, 1, 2, 0])  # repeated, never zero-padded
    windows = spread_windows(y, 4, 3)
    assert [w[0] for w in windows] == [1, 3, 5] and all(len(w) == 4 for w in windows)
    assert spread_windows(y, 4, 1)[0][0] == 3  # one window: the centre
    assert all(np.array_equal(w, fill_window(y[:2], 4)) for w in spread_windows(y[:2], 4, 3))


def test_random_window_lengths_and_starts():
    y = np.arange(1000, dtype=np.float32)
    rng = np.random.default_rng(0)
    spans = [random_window(y, 400, rng, 100) for _ in range(200)]
    assert all(len(s) == 400 for s in spans)
    starts = [s[0] for s in spans]
    assert min(starts) < 100 and max(starts) > 500  # starts anywhere
    repeated = [s for s in spans if np.any(np.diff(s) < 0)]  # a short span filled by repetition
    assert 0.3 < len(repeated) / len(spans) < 0.7


def test_augmentation_is_seeded_and_changes_the_clip(speech):
    augment = make_augmentation("recordings")
    outs = []
    for seed in (1, 1, 2):
        with seeded_globals(seed):
            outs.append(augment(samples=speech, sample_rate=SR))
    assert np.array_equal(outs[0], outs[1]) and not np.array_equal(outs[0], outs[2])
    assert outs[0].shape == speech.shape


def test_seeded_globals_restores_the_callers_generators():
    np.random.seed(5)
    expected = np.random.rand()
    np.random.seed(5)
    with seeded_globals(0):
        np.random.rand()
    assert np.random.rand() == expected


def test_unknown_augmentation_named():
    with pytest.raises(ValueError, match="augment must be one of"):
        make_augmentation("studio")


def test_short_speech_found_noise_not(speech):
    from speechface.audio.vad import find_speech

    onset = speech_intervals(speech, SR)[0, 0]
    assert len(find_speech(speech[onset : onset + int(0.3 * SR)], SR))  # 0.3 s of speech
    rng = np.random.default_rng(0)
    for decay in (0.0, -1.0, -2.0):  # white, pink, brown noise
        spectrum = np.fft.rfft(rng.standard_normal(5 * SR)) * np.maximum(np.fft.rfftfreq(5 * SR, 1 / SR), 1.0) ** (
            decay / 2
        )
        noise = np.fft.irfft(spectrum, 5 * SR)
        for level in (0.001, 0.003, 0.03, 0.1):  # a quiet room to a loud fan
            assert len(find_speech((level * noise / noise.std()).astype(np.float32), SR)) == 0, (decay, level)
