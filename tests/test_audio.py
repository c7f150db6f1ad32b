import numpy as np
import pytest
import soundfile as sf
from conftest import SR, dominant_frequency, tone, write_audio

from speechface.audio import fix_length, load_audio
from speechface.exceptions import InvalidAudioError


def _channels(n_samples, n_channels, sr=SR):
    """Distinct tones per channel, samples x channels."""
    return np.stack(
        [tone(200.0 * (c + 1), n_samples / sr, sr, amp=0.9 / (c + 1), seed=c) for c in range(n_channels)],
        axis=1,
    )


# -- reading files ----------------------------------------------------------------------


def test_mono_wav_is_float32_1d(wav_16k):
    y = load_audio(wav_16k, sr=SR)
    assert y.dtype == np.float32 and y.ndim == 1 and y.shape == (SR,)
    expected, _ = sf.read(wav_16k, dtype="float32")
    np.testing.assert_array_equal(y, expected)


def test_accepts_str_and_pathlike(wav_16k):
    np.testing.assert_array_equal(load_audio(str(wav_16k), sr=SR), load_audio(wav_16k, sr=SR))


@pytest.mark.parametrize("n_channels", [2, 6])
def test_multichannel_is_mixed_to_channel_mean(tmp_path, n_channels):
    data = _channels(SR // 2, n_channels)
    path = write_audio(tmp_path / f"{n_channels}ch.wav", data, SR, "PCM_16")
    y = load_audio(path, sr=SR)
    stored, _ = sf.read(path, dtype="float32", always_2d=True)
    assert stored.shape[1] == n_channels
    assert y.shape == (SR // 2,)
    np.testing.assert_allclose(y, stored.mean(axis=1), rtol=0, atol=1e-7)
    # and not just one of the channels
    assert not np.allclose(y, stored[:, 0], atol=1e-3)


def test_24bit_wav(tmp_path):
    x = tone(440.0)
    path = write_audio(tmp_path / "24.wav", x, SR, "PCM_24")
    assert sf.info(path).subtype == "PCM_24"
    y = load_audio(path, sr=SR)
    np.testing.assert_allclose(y, x, atol=2**-22)


@pytest.mark.parametrize("subtype", ["FLOAT", "DOUBLE"])
def test_float_wav_is_exact(tmp_path, subtype):
    x = tone(440.0)
    path = write_audio(tmp_path / "f.wav", x, SR, subtype)
    np.testing.assert_array_equal(load_audio(path, sr=SR), x)


def test_flac(tmp_path):
    x = tone(440.0)
    path = write_audio(tmp_path / "a.flac", x, SR)
    np.testing.assert_allclose(load_audio(path, sr=SR), x, atol=2**-15)


@pytest.mark.parametrize("file_sr", [8000, 44100, 96000])
def test_file_is_resampled_to_target_rate(tmp_path, file_sr):
    path = write_audio(tmp_path / f"{file_sr}.wav", tone(440.0, 1.0, file_sr), file_sr, "PCM_16")
    y = load_audio(path, sr=SR)
    assert y.shape == (SR,)  # 1 s at the target rate
    assert dominant_frequency(y, SR) == pytest.approx(440.0, abs=2.0)
    assert 0.3 < np.abs(y).max() < 0.7  # amplitude kept (0.5 peak)


def test_waveform_is_resampled(tmp_path):
    x = tone(300.0, 0.5, 8000)
    y = load_audio(x, sr=SR, source_sr=8000)
    assert y.shape == (SR // 2,)
    assert dominant_frequency(y, SR) == pytest.approx(300.0, abs=3.0)


def test_offset_and_duration_window_file(tmp_path):
    x = np.linspace(-0.9, 0.9, SR).astype(np.float32)  # a ramp: every sample is distinct
    path = write_audio(tmp_path / "ramp.wav", x, SR, "FLOAT")
    y = load_audio(path, sr=SR, offset=0.25, duration=0.5)
    np.testing.assert_array_equal(y, x[4000:12000])
    np.testing.assert_array_equal(load_audio(path, sr=SR, offset=0.75), x[12000:])
    # a window running past the end is just shorter
    np.testing.assert_array_equal(load_audio(path, sr=SR, offset=0.9, duration=1.0), x[14400:])
    # a clip no longer than the offset is read from its start (a 10 ms clip still counts)
    np.testing.assert_array_equal(load_audio(path, sr=SR, offset=2.0, duration=0.5), x[:8000])
    np.testing.assert_array_equal(load_audio(path, sr=SR, offset=1.0), x)


def test_offset_and_duration_window_waveform():
    x = np.linspace(-0.9, 0.9, SR).astype(np.float32)
    np.testing.assert_array_equal(load_audio(x, sr=SR, source_sr=SR, offset=0.25, duration=0.5), x[4000:12000])
    np.testing.assert_array_equal(load_audio(x[:160], sr=SR, source_sr=SR, offset=0.5, duration=3.0), x[:160])


# -- waveforms ------------------------------------------------------------------------


def test_int16_waveform_scaled_to_unit_range():
    x = np.array([0, 16384, -16384, -32768, 32767], dtype=np.int16)
    y = load_audio(x, sr=SR, source_sr=SR)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, [0.0, 0.5, -0.5, -1.0, 32767 / 32768])


def test_int32_and_uint8_waveforms_scaled():
    y32 = load_audio(np.array([2**30, -(2**31)], dtype=np.int32), sr=SR, source_sr=SR)
    np.testing.assert_allclose(y32, [0.5, -1.0])
    y8 = load_audio(np.array([128, 0, 192], dtype=np.uint8), sr=SR, source_sr=SR)
    np.testing.assert_allclose(y8, [0.0, -1.0, 0.5])


def test_float64_waveform_becomes_float32():
    x = tone(440.0).astype(np.float64)
    y = load_audio(x, sr=SR, source_sr=SR)
    assert y.dtype == np.float32
    np.testing.assert_allclose(y, x, rtol=1e-6)


def test_int16_waveform_matches_pcm16_file(tmp_path):
    x = (tone(440.0) * 32767).astype(np.int16)
    path = tmp_path / "pcm.wav"
    sf.write(path, x, SR, subtype="PCM_16")
    np.testing.assert_array_equal(load_audio(x, sr=SR, source_sr=SR), load_audio(path, sr=SR))


@pytest.mark.parametrize("bad", [np.nan, np.inf, -np.inf])
def test_non_finite_waveform(bad):
    x = tone(440.0)
    x[100] = bad
    with pytest.raises(InvalidAudioError, match="X\\[7\\]"):
        load_audio(x, sr=SR, source_sr=SR, name="X[7]")


def test_non_finite_file(tmp_path):
    x = tone(440.0)
    x[10] = np.nan
    path = write_audio(tmp_path / "nan.wav", x, SR, "FLOAT")
    with pytest.raises(InvalidAudioError, match="nan.wav"):
        load_audio(path, sr=SR)


def test_empty_waveform():
    with pytest.raises(InvalidAudioError, match="empty"):
        load_audio(np.zeros(0, np.float32), sr=SR, source_sr=SR)


def test_waveform_needs_source_sr():
    with pytest.raises(ValueError, match="source_sr"):
        load_audio(tone(440.0), sr=SR)


def test_2d_waveform_is_rejected():
    with pytest.raises(ValueError, match="1-D"):
        load_audio(np.zeros((2, 100), np.float32), sr=SR, source_sr=SR)


# -- errors ---------------------------------------------------------------------------


def _assert_clean_error(exc_info, path):
    """A ValueError/OSError of ours or Python's that names the file, never a soundfile type."""
    exc = exc_info.value
    assert isinstance(exc, (ValueError, OSError))
    assert not isinstance(exc, sf.SoundFileError)
    assert not type(exc).__module__.startswith("soundfile")
    assert str(path) in str(exc)


def test_missing_file(tmp_path):
    path = tmp_path / "nope.wav"
    with pytest.raises(FileNotFoundError) as info:
        load_audio(path, sr=SR)
    _assert_clean_error(info, path)


def test_directory(tmp_path):
    folder = tmp_path / "folder.wav"
    folder.mkdir()
    with pytest.raises(OSError) as info:
        load_audio(folder, sr=SR)
    _assert_clean_error(info, folder)


def test_empty_file(tmp_path):
    path = tmp_path / "empty.wav"
    path.write_bytes(b"")
    with pytest.raises(InvalidAudioError) as info:
        load_audio(path, sr=SR)
    _assert_clean_error(info, path)


def test_text_file_named_wav(tmp_path):
    path = tmp_path / "notes.wav"
    path.write_text("this is not audio\n" * 50)
    with pytest.raises(InvalidAudioError) as info:
        load_audio(path, sr=SR)
    _assert_clean_error(info, path)


@pytest.mark.parametrize("n_bytes", [20, 44, 100, 1000])
def test_truncated_wav(tmp_path, wav_16k, n_bytes):
    path = tmp_path / f"cut{n_bytes}.wav"
    path.write_bytes(wav_16k.read_bytes()[:n_bytes])
    with pytest.raises(InvalidAudioError) as info:
        load_audio(path, sr=SR)
    _assert_clean_error(info, path)


def test_truncated_flac(tmp_path):
    full = write_audio(tmp_path / "full.flac", tone(440.0), SR)
    path = tmp_path / "cut.flac"
    path.write_bytes(full.read_bytes()[: full.stat().st_size // 2])
    with pytest.raises(InvalidAudioError) as info:
        load_audio(path, sr=SR)
    _assert_clean_error(info, path)


def test_header_only_wav_has_no_samples(tmp_path):
    path = write_audio(tmp_path / "nothing.wav", np.zeros(0, np.float32), SR, "PCM_16")
    with pytest.raises(InvalidAudioError) as info:
        load_audio(path, sr=SR)
    _assert_clean_error(info, path)


@pytest.mark.parametrize("source", [[0.0, 0.1, 0.2], 3, None, b"a.wav", (0.1, 0.2)])
def test_wrong_source_type(source):
    with pytest.raises(TypeError):
        load_audio(source, sr=SR, source_sr=SR)


@pytest.mark.parametrize("dtype", [object, bool, np.complex64])
def test_non_numeric_waveform(dtype):
    with pytest.raises(TypeError, match="numeric"):
        load_audio(np.zeros(10, dtype=dtype), sr=SR, source_sr=SR)


@pytest.mark.parametrize(
    "kwargs, error, param",
    [
        (dict(sr="16000"), TypeError, "sr"),
        (dict(sr=16000.0), TypeError, "sr"),
        (dict(sr=0), ValueError, "sr"),
        (dict(sr=SR, offset=-1.0), ValueError, "offset"),
        (dict(sr=SR, duration=0), ValueError, "duration"),
        (dict(sr=SR, duration=-0.5), ValueError, "duration"),
        (dict(sr=SR, duration="1"), TypeError, "duration"),
        (dict(sr=SR, source_sr=0), ValueError, "source_sr"),
    ],
)
def test_bad_arguments(kwargs, error, param):
    kwargs.setdefault("source_sr", SR)
    with pytest.raises(error, match=param):
        load_audio(tone(440.0, 0.1), **kwargs)


# -- fix_length -------------------------------------------------------------------------


def test_fix_length_crops_and_pads():
    y = np.arange(1, 6, dtype=np.float32)
    np.testing.assert_array_equal(fix_length(y, 3), [1, 2, 3])
    np.testing.assert_array_equal(fix_length(y, 7), [1, 2, 3, 4, 5, 0, 0])
    np.testing.assert_array_equal(fix_length(y, 5), y)
    assert fix_length(y, 7).dtype == np.float32
