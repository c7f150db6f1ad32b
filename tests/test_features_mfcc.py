import subprocess
import sys

import librosa
import numpy as np
import pandas as pd
import pytest
import scipy.sparse
from conftest import SR, tone, write_audio
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline
from sklearn.utils.estimator_checks import parametrize_with_checks

from speechface import MFCCTransformer
from speechface.exceptions import InvalidAudioError
from speechface.features.mfcc import _mel_basis
from speechface.ser import SEED_MFCC_PARAMS

# half a second at 16 kHz: 1 + 8000 // 160 = 51 frames (analysis set explicitly,
# so the tests do not move with the defaults)
SHORT = dict(
    duration=0.5,
    offset=0.0,
    n_mfcc=40,
    n_mels=64,
    n_fft=512,
    hop_length=160,
    deltas=2,
    vad=False,
    n_views=1,
    augment=None,
)


def make_short(**params) -> MFCCTransformer:
    """A transformer on the SHORT analysis, ``params`` taking precedence."""
    return MFCCTransformer(**{**SHORT, **params})


N_FRAMES = 51


@pytest.fixture
def clips(tmp_path):
    """Three clips: a 16 kHz wav, an 8 kHz flac and a 44.1 kHz stereo 24-bit wav."""
    return [
        str(write_audio(tmp_path / "a.wav", tone(440.0, 1.0, SR), SR, "PCM_16")),
        str(write_audio(tmp_path / "b.flac", tone(300.0, 1.0, 8000), 8000)),
        str(write_audio(tmp_path / "c.wav", np.stack([tone(900.0, 1.0, 44100)] * 2, 1), 44100, "PCM_24")),
    ]


# -- sklearn's estimator checks -------------------------------------------------------


@parametrize_with_checks(
    [
        MFCCTransformer(
            sr=1000,
            n_mfcc=4,
            n_mels=8,
            n_fft=16,
            hop_length=8,
            duration=0.05,
            offset=0.0,
            deltas=0,
            vad=False,
            n_views=1,
            augment=None,
        ),
        MFCCTransformer(
            n_mfcc=None,
            n_mels=16,
            layout="mean_std",
            deltas=1,
            duration=0.05,
            offset=0.0,
            vad=False,
            n_views=1,
            augment=None,
        ),
    ]
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


# -- shapes -----------------------------------------------------------------------------


def test_paths_give_float32_fixed_width(clips):
    mfcc = make_short().fit(clips)
    out = mfcc.transform(clips)
    assert out.dtype == np.float32 and out.ndim == 2
    assert out.shape == (3, 40 * 3 * N_FRAMES)
    assert out.shape[1] == len(mfcc.get_feature_names_out())
    assert mfcc.n_channels_ == 120 and mfcc.n_frames_ == N_FRAMES
    assert np.isfinite(out).all()
    # different tones give different rows
    assert not np.allclose(out[0], out[1]) and not np.allclose(out[0], out[2])


def test_list_of_waveforms_of_different_lengths():
    X = [tone(440.0, 0.3), tone(440.0, 1.2), tone(300.0, 0.5)]
    mfcc = make_short()
    out = mfcc.fit_transform(X)
    assert out.dtype == np.float32 and out.shape == (3, len(mfcc.get_feature_names_out()))


def test_2d_array_equals_list_of_rows():
    X = np.stack([tone(440.0, 0.5), tone(300.0, 0.5)])
    mfcc = make_short()
    out = mfcc.fit_transform(X)
    assert mfcc.n_features_in_ == X.shape[1]
    np.testing.assert_array_equal(out, make_short().fit_transform(list(X)))
    # a list of lists and a DataFrame are array-likes like the ndarray
    np.testing.assert_array_equal(out, make_short().fit_transform(X.tolist()))
    np.testing.assert_array_equal(out, make_short().fit_transform(pd.DataFrame(X)))


def test_2d_array_of_other_width_at_transform():
    mfcc = make_short().fit(np.zeros((2, 8000), np.float32))
    with pytest.raises(ValueError, match="features"):
        mfcc.transform(np.zeros((2, 4000), np.float32))


def test_file_and_waveform_agree(tmp_path):
    y = tone(440.0, 1.0)
    path = write_audio(tmp_path / "t.wav", y, SR, "FLOAT")
    mfcc = make_short().fit([y])
    np.testing.assert_allclose(mfcc.transform([str(path)]), mfcc.transform([y]), rtol=1e-5, atol=1e-4)


def test_input_sr_resamples_waveforms(tmp_path):
    y8 = tone(440.0, 1.0, 8000)
    path = write_audio(tmp_path / "t8.wav", y8, 8000, "FLOAT")  # files carry their own rate
    from_file = make_short().fit_transform([str(path)])
    from_wave = MFCCTransformer(**SHORT, input_sr=8000).fit_transform([y8])
    np.testing.assert_allclose(from_wave, from_file, rtol=1e-5, atol=1e-4)
    # and treating the 8 kHz waveform as 16 kHz gives something else
    assert not np.allclose(make_short().fit_transform([y8]), from_file, atol=1e-2)


@pytest.mark.parametrize(
    "layout, deltas, width",
    [
        ("frames", 0, 13 * N_FRAMES),
        ("frames", 2, 39 * N_FRAMES),
        ("mean", 0, 13),
        ("mean", 1, 26),
        ("mean_std", 2, 78),
        ("coef_mean", 0, N_FRAMES),
        ("coef_mean", 2, N_FRAMES),
    ],
)
def test_layouts(layout, deltas, width):
    X = [tone(440.0, 0.7), tone(300.0, 0.7)]
    mfcc = make_short(n_mfcc=13, layout=layout, deltas=deltas).fit(X)
    out = mfcc.transform(X)
    assert out.shape == (2, width)
    names = mfcc.get_feature_names_out()
    assert len(names) == width and len(set(names)) == width


def test_layouts_are_summaries_of_the_frames():
    X = [tone(440.0, 0.7), tone(300.0, 0.7)]
    frames = make_short(n_mfcc=13, deltas=1).fit_transform(X).reshape(2, 26, N_FRAMES)

    def run(layout):
        return make_short(n_mfcc=13, deltas=1, layout=layout).fit_transform(X)

    np.testing.assert_allclose(run("mean"), frames.mean(axis=2), rtol=1e-5, atol=1e-4)
    np.testing.assert_allclose(
        run("mean_std"), np.concatenate([frames.mean(axis=2), frames.std(axis=2)], axis=1), rtol=1e-5, atol=1e-4
    )
    np.testing.assert_allclose(run("coef_mean"), frames.mean(axis=1), rtol=1e-5, atol=1e-4)


def test_log_mel_when_n_mfcc_is_none():
    mfcc = make_short(n_mfcc=None, n_mels=32, deltas=0)
    out = mfcc.fit_transform([tone(440.0, 0.5)])
    assert out.shape == (1, 32 * N_FRAMES)
    assert mfcc.get_feature_names_out()[0] == "mel0_t0"
    y = tone(440.0, 0.5)
    mel = librosa.feature.melspectrogram(y=y, sr=SR, n_fft=512, hop_length=160, n_mels=32)
    np.testing.assert_allclose(out[0].reshape(32, -1), librosa.power_to_db(mel, top_db=80.0), rtol=1e-4, atol=1e-3)


@pytest.mark.parametrize("n_fft", [400, 401, 511])
def test_odd_and_even_n_fft_give_librosa_frames(n_fft):
    y = tone(440.0, 0.5)
    mfcc = make_short(n_fft=n_fft, n_mfcc=13, deltas=0).set_output(transform="pandas")
    out = mfcc.fit_transform([y])
    expected = librosa.feature.mfcc(y=y, sr=SR, n_mfcc=13, n_mels=64, n_fft=n_fft, hop_length=160)
    assert mfcc.n_frames_ == expected.shape[1]
    assert out.shape == (1, expected.size) == (1, len(mfcc.get_feature_names_out()))
    np.testing.assert_allclose(out.to_numpy()[0], expected.ravel(), rtol=0, atol=1e-4 * np.abs(expected).max())


def test_feature_names():
    mfcc = MFCCTransformer(n_mfcc=2, deltas=1, duration=0.02, offset=0.0, hop_length=160, vad=False, n_views=1).fit(
        [tone(440.0, 0.1)]
    )
    assert mfcc.n_frames_ == 3
    assert list(mfcc.get_feature_names_out()) == [
        f"{c}_t{t}" for c in ("mfcc0", "mfcc1", "d1_mfcc0", "d1_mfcc1") for t in range(3)
    ]
    mfcc.set_params(layout="mean_std").fit([tone(440.0, 0.1)])
    assert list(mfcc.get_feature_names_out()) == [
        "mfcc0_mean",
        "mfcc1_mean",
        "d1_mfcc0_mean",
        "d1_mfcc1_mean",
        "mfcc0_std",
        "mfcc1_std",
        "d1_mfcc0_std",
        "d1_mfcc1_std",
    ]
    mfcc.set_params(layout="coef_mean").fit([tone(440.0, 0.1)])
    assert list(mfcc.get_feature_names_out()) == ["t0", "t1", "t2"]


def test_feature_names_match_transform_after_set_params():
    mfcc = make_short(n_mfcc=13).set_output(transform="pandas").fit([tone(440.0, 0.5)])
    mfcc.set_params(n_mfcc=5, deltas=2)  # changed after fit: names and columns still agree
    out = mfcc.transform([tone(440.0, 0.5)])
    assert out.shape[1] == 15 * N_FRAMES and list(out.columns) == list(mfcc.get_feature_names_out())


def test_pandas_output():
    mfcc = make_short(n_mfcc=13, deltas=0).set_output(transform="pandas")
    out = mfcc.fit_transform([tone(440.0, 0.5), tone(300.0, 0.5)])
    assert isinstance(out, pd.DataFrame)
    assert list(out.columns) == list(mfcc.get_feature_names_out())
    assert out.columns[0] == "mfcc0_t0" and out.columns[-1] == f"mfcc12_t{N_FRAMES - 1}"


# -- against librosa ------------------------------------------------------------------


def test_seed_preset_matches_librosa_mean_mfcc():
    rng = np.random.default_rng(0)
    sr = 44100
    t = np.arange(int(3.5 * sr)) / sr
    y = (0.3 * np.sin(2 * np.pi * 220 * t * (1 + 0.2 * t)) + 0.05 * rng.standard_normal(t.size)).astype(np.float32)
    mfcc = MFCCTransformer(**SEED_MFCC_PARAMS)
    out = mfcc.fit_transform([y])
    assert out.shape == (1, 259)
    window = y[int(0.5 * sr) : int(0.5 * sr) + 3 * sr]  # offset 0.5 s, duration 3 s
    expected = np.mean(librosa.feature.mfcc(y=window, sr=sr, n_mfcc=13), axis=0)
    np.testing.assert_allclose(out[0], expected, rtol=1e-3, atol=1e-3 * np.abs(expected).max())


def test_frames_and_deltas_match_librosa():
    y = tone(440.0, 1.0) + tone(1700.0, 1.0, amp=0.2, seed=3)
    mfcc = make_short(duration=1.0)  # 40 MFCCs, 64 mels
    out = mfcc.fit_transform([y])[0].reshape(120, -1)
    m = librosa.feature.mfcc(y=y, sr=SR, n_mfcc=40, n_mels=64, n_fft=512, hop_length=160)
    scale = np.abs(m).max()
    np.testing.assert_allclose(out[:40], m, rtol=0, atol=1e-4 * scale)
    for order in (1, 2):
        d = librosa.feature.delta(m, width=9, order=order, mode="nearest")
        np.testing.assert_allclose(out[40 * order : 40 * (order + 1)], d, rtol=0, atol=1e-4 * scale)


@pytest.mark.parametrize(
    ("sr", "n_fft", "n_mels"), [(16000, 512, 64), (16000, 401, 32), (44100, 2048, 128), (8000, 256, 40)]
)
def test_mel_basis_is_librosas_bit_for_bit(sr, n_fft, n_mels):
    ours = _mel_basis(sr, n_fft, n_mels).toarray()
    np.testing.assert_array_equal(ours, librosa.filters.mel(sr=sr, n_fft=n_fft, n_mels=n_mels))


@pytest.mark.slow
def test_first_prediction_does_not_import_numba():
    # the reason the mel basis is written here: librosa.filters would pull in numba on the first prediction
    code = (
        "import sys, speechface; from speechface.demo import demo_clips; "
        "speechface.SpeechToFace().predict([str(demo_clips()[0][0])]); print('numba' in sys.modules)"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, timeout=300)
    assert result.stdout.split()[-1] == "False"


# -- padding, cropping, silence --------------------------------------------------------


def test_short_clip_padded_and_long_clip_cropped(tmp_path):
    short = write_audio(tmp_path / "short.wav", tone(440.0, 0.1), SR, "PCM_16")
    long = write_audio(tmp_path / "long.wav", tone(440.0, 2.0), SR, "FLOAT")
    mfcc = make_short()
    out = mfcc.fit_transform([str(short), str(long)])
    assert out.shape == (2, 120 * N_FRAMES)
    # padding: the tail of the short clip is silence, i.e. the floor of its frames
    frames = out[0].reshape(120, N_FRAMES)
    np.testing.assert_allclose(frames[:, -5:], frames[:, -1:].repeat(5, axis=1))
    # cropping: a long clip equals its first 0.5 s
    np.testing.assert_allclose(out[1], mfcc.transform([tone(440.0, 2.0)[:8000]])[0], atol=1e-3)


def test_offset_skips_the_start():
    y = np.concatenate([tone(300.0, 0.5), tone(1500.0, 0.5)])
    with_offset = make_short(offset=0.5).fit_transform([y])
    np.testing.assert_allclose(with_offset, make_short().fit_transform([y[8000:]]), atol=1e-3)


@pytest.mark.parametrize("layout", ["frames", "mean_std", "coef_mean"])
def test_silence_gives_finite_output(layout):
    out = make_short(layout=layout).fit_transform([np.zeros(8000, np.float32), np.zeros(10, np.int16)])
    assert np.isfinite(out).all()


@pytest.fixture
def workers_always(monkeypatch):
    """Send even a few clips to joblib's worker processes (normally up to 16 stay in-process)."""
    monkeypatch.setattr("speechface.features.mfcc._IN_PROCESS", 0)


@pytest.fixture
def shared_dir(tmp_path, monkeypatch):
    """A folder standing in for /dev/shm, to see the shared result file come and go."""
    folder = tmp_path / "shm"
    folder.mkdir()
    monkeypatch.setattr("speechface.utils.shared_memory._SHARED_FS", str(folder))
    return folder


@pytest.mark.slow
def test_n_jobs_gives_same_result(clips, workers_always):
    serial = make_short().fit_transform(clips)
    parallel = MFCCTransformer(**SHORT, n_jobs=2).fit_transform(clips)
    # worker processes may round float32 sums differently in the last bit
    np.testing.assert_allclose(parallel, serial, rtol=1e-5, atol=1e-4)


def test_verbose_progress_bar_keeps_result(capsys):
    X = [tone(440.0, 0.5)]
    np.testing.assert_array_equal(
        MFCCTransformer(**SHORT, verbose=True).fit_transform(X), make_short().fit_transform(X)
    )


def test_in_cached_pipeline(tmp_path, clips):
    y = ["a", "b", "c"]
    cache = tmp_path / "cache"

    def steps():
        return [("mfcc", make_short(n_mfcc=13, deltas=0)), ("clf", KNeighborsClassifier(n_neighbors=1))]

    cached = Pipeline(steps(), memory=str(cache)).fit(clips, y)
    assert any(p.is_file() for p in cache.rglob("*")), "the pipeline should have cached the transformer"
    again = Pipeline(steps(), memory=str(cache)).fit(clips, y)  # from the cache
    plain = Pipeline(steps()).fit(clips, y)
    np.testing.assert_array_equal(again[0].transform(clips), plain[0].transform(clips))
    assert list(cached.predict(clips)) == list(plain.predict(clips)) == list(again.predict(clips)) == y


def test_clone_and_params_roundtrip():
    mfcc = make_short(n_mfcc=20, layout="mean", deltas=1)
    copy = clone(mfcc)
    assert copy.get_params() == mfcc.get_params()


# -- errors -----------------------------------------------------------------------------


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(n_mfcc=80, n_mels=64), "n_mfcc"),
        (dict(n_mfcc=0), "n_mfcc"),
        (dict(layout="median"), "layout"),
        (dict(duration=-1.0), "duration"),
        (dict(duration=0), "duration"),
        (dict(duration=1e-6), "duration"),  # less than one sample
        (dict(offset=-0.5), "offset"),
        (dict(deltas=3), "deltas"),
        (dict(sr=0), "sr"),
        (dict(n_fft=1), "n_fft"),
        (dict(hop_length=0), "hop_length"),
        (dict(input_sr=-8000), "input_sr"),
        (dict(duration=0.01, deltas=2), "deltas"),  # 2 frames: too few for deltas
        (dict(n_views=0), "n_views"),
        (dict(n_views=2, layout="mean"), "n_views"),
        (dict(augment="studio"), "augment"),
    ],
)
def test_bad_params_raise_value_error_naming_them(params, name):
    with pytest.raises(ValueError, match=name):
        MFCCTransformer(**params).fit([tone(440.0, 0.2)])


@pytest.mark.parametrize(
    "params, name",
    [(dict(n_mels=64.0), "n_mels"), (dict(sr="16000"), "sr"), (dict(vad="yes"), "vad"), (dict(n_views=2.0), "n_views")],
)
def test_bad_param_types(params, name):
    with pytest.raises(TypeError, match=name):
        MFCCTransformer(**params).fit([tone(440.0, 0.2)])


def test_single_path_is_a_type_error(clips):
    with pytest.raises(TypeError, match="list"):
        make_short().fit(clips[0])
    mfcc = make_short().fit(clips)
    with pytest.raises(TypeError, match="list"):
        mfcc.transform(clips[0])


def test_single_1d_waveform_is_rejected():
    with pytest.raises(ValueError, match="1-D"):
        make_short().fit(tone(440.0, 0.5))


def test_sparse_input_is_rejected():
    with pytest.raises(TypeError, match="sparse"):
        make_short().fit(scipy.sparse.csr_matrix(np.ones((2, 100))))


@pytest.mark.parametrize("empty", [[], (), np.array([], dtype=object)])
def test_empty_X(empty):
    with pytest.raises(ValueError, match="empty"):
        make_short().fit(empty)


def test_not_iterable_X():
    with pytest.raises(TypeError):
        make_short().fit(3)


def test_transform_before_fit(clips):
    with pytest.raises(NotFittedError):
        make_short().transform(clips)


def test_missing_file_in_batch_is_named(clips, tmp_path):
    missing = str(tmp_path / "missing-clip.wav")
    mfcc = make_short().fit(clips)
    with pytest.raises(FileNotFoundError, match="missing-clip.wav"):
        mfcc.transform([clips[0], missing, clips[1]])


def test_bad_file_in_batch_is_named(clips, tmp_path):
    bad = tmp_path / "garbage.wav"
    bad.write_text("not audio " * 30)
    with pytest.raises(InvalidAudioError, match="garbage.wav"):
        make_short().fit_transform([clips[0], str(bad)])


@pytest.mark.parametrize("rows_sent_back", [False, True], ids=["shared_array", "rows_sent_back"])
@pytest.mark.parametrize("layout", ["frames", "mean_std", "coef_mean"])
def test_workers_write_rows_in_order_and_the_shared_file_is_removed(
    clips, layout, rows_sent_back, workers_always, shared_dir, monkeypatch
):
    if rows_sent_back:  # as for Dask or Ray, whose workers may run on other machines
        monkeypatch.setattr("speechface.features.mfcc._SHARED_MEMORY_BACKENDS", ())
    X = [clips[0], tone(300.0, 1.0), clips[1], tone(700.0, 0.2), clips[2]]
    parallel = MFCCTransformer(**SHORT, layout=layout, n_jobs=2).fit_transform(X)
    assert type(parallel) is np.ndarray and parallel.dtype == np.float32
    np.testing.assert_allclose(parallel, make_short(layout=layout).fit_transform(X), rtol=1e-5, atol=1e-4)
    assert list(shared_dir.iterdir()) == []


def test_shared_file_falls_back_to_temp_folder_when_shm_is_small(shared_dir):
    from speechface.utils.shared_memory import _folder_for

    assert _folder_for(1000) == str(shared_dir)
    assert _folder_for(10**18) is None  # more than any RAM disk has free


def test_bad_file_in_parallel_batch_is_named(clips, tmp_path, workers_always, shared_dir):
    bad = tmp_path / "garbage.wav"
    bad.write_text("not audio " * 30)
    with pytest.raises(InvalidAudioError, match="garbage.wav"):
        MFCCTransformer(**SHORT, n_jobs=2).fit_transform([*clips, str(bad)])
    assert list(shared_dir.iterdir()) == []  # removed on failure too


def test_bad_waveform_in_batch_is_named_by_index():
    bad = tone(440.0, 0.5)
    bad[3] = np.nan
    with pytest.raises(InvalidAudioError, match=r"X\[2\]"):
        make_short().fit_transform([tone(440.0, 0.5), tone(300.0, 0.5), bad])


def test_nan_in_2d_array_is_rejected():
    X = np.stack([tone(440.0, 0.5), tone(300.0, 0.5)])
    X[1, 5] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        make_short().fit_transform(X)


def test_integer_pcm_rows_are_scaled_like_a_list_of_waveforms():
    pcm = (np.stack([tone(440.0, 0.6), tone(300.0, 0.6)]) * 20000).astype(np.int16)
    np.testing.assert_allclose(
        make_short().fit_transform(pcm), make_short().fit_transform(list(pcm)), rtol=1e-5, atol=1e-4
    )


# -- speech found by voice activity detection, views, augmentation --------------------------

SPEECH = dict(n_mfcc=None, n_mels=32, n_fft=512, hop_length=160, duration=1.0, vad=True)


def speech_mfcc(**params) -> MFCCTransformer:
    """A transformer with voice activity detection on the SPEECH analysis: one view, no augmentation unless given."""
    return MFCCTransformer(**{**SPEECH, "n_views": 1, "augment": None, **params})


@pytest.fixture(scope="module")
def speech():
    """Real speech at 16 kHz: the shipped demo clips."""
    from speechface.audio import load_audio
    from speechface.demo import demo_clips

    return [load_audio(path, sr=SR) for path, _ in demo_clips()[:3]]


def _quiet(seconds: float, seed: int = 0) -> np.ndarray:
    return (1e-4 * np.random.default_rng(seed).standard_normal(int(seconds * SR))).astype(np.float32)


def test_vad_reads_the_speech_wherever_it_starts(speech):
    mfcc = speech_mfcc().fit(speech)
    at_start = mfcc.transform([speech[0]])
    later = mfcc.transform([np.concatenate([_quiet(2.0), speech[0], _quiet(3.0)])])
    # the same speech, found 2 s later: nearly the same features (the speech pads differ by a frame or so)
    assert np.corrcoef(at_start.ravel(), later.ravel())[0, 1] > 0.95
    fixed = speech_mfcc(**{"vad": False, "offset": 0.0}).fit(speech)
    assert (
        np.corrcoef(
            fixed.transform([speech[0]]).ravel(), fixed.transform([np.concatenate([_quiet(2.0), speech[0]])]).ravel()
        )[0, 1]
        < 0.5
    )  # RAVDESS timing reads the silence


def test_short_speech_is_repeated_not_zero_padded(speech):
    mfcc = speech_mfcc(**{"duration": 3.0}).fit(speech)
    frames = mfcc.transform([speech[0][int(0.8 * SR) : int(1.4 * SR)]]).reshape(32, -1)
    # no frame is the silence floor (80 dB below the peak): every frame is speech
    assert frames.max(axis=0).min() > frames.max() - 60


def test_views_spread_over_a_long_take(speech):
    take = np.concatenate([speech[0], _quiet(1.0), speech[1], _quiet(1.0), speech[2]])
    mfcc = speech_mfcc(n_views=4).fit([take])
    rows = mfcc.transform([take]).reshape(4, -1)
    assert rows.shape[1] == 32 * mfcc.n_frames_
    assert np.linalg.matrix_rank(rows) == 4  # four different windows
    names = mfcc.get_feature_names_out()
    assert names[0] == "v0_mel0_t0" and names[-1] == f"v3_mel31_t{mfcc.n_frames_ - 1}" and len(names) == rows.size


def test_no_speech_raises_naming_the_clip(speech):
    from speechface.exceptions import NoSpeechError

    mfcc = speech_mfcc().fit(speech)
    with pytest.raises(NoSpeechError, match=r"no speech found in X\[1\]"):
        mfcc.transform([speech[0], np.zeros(2 * SR, np.float32)])


def test_augmented_training_views_are_seeded_and_transform_is_clean(speech):
    mfcc = speech_mfcc(n_views=3, augment="recordings", random_state=0)
    train = mfcc.fit_transform(speech)
    assert np.array_equal(train, clone(mfcc).fit_transform(speech))  # same seed, same views
    assert not np.array_equal(train, clone(mfcc).set_params(random_state=1).fit_transform(speech))
    clean = mfcc.transform(speech)
    assert train.shape == clean.shape and not np.allclose(train, clean)
    assert np.array_equal(clean, clone(mfcc).set_params(augment=None).fit_transform(speech))
    assert np.isfinite(train).all()


def test_augment_prob_leaves_a_share_of_the_training_views_clean(speech):
    mfcc = speech_mfcc(n_views=6, augment="recordings", random_state=0)
    rows = {p: clone(mfcc).set_params(augment_prob=p).fit_transform(speech) for p in (0, 0.5, 1)}
    views = {p: r.reshape(len(speech) * 6, -1) for p, r in rows.items()}  # a row holds its 6 views in turn
    clean = np.all(views[0.5] == views[0], axis=1)  # the same cuts, not augmented
    augmented = np.all(views[0.5] == views[1], axis=1)
    assert np.all(clean ^ augmented) and 0 < clean.sum() < len(clean)


@pytest.mark.parametrize("value", [-0.1, 1.5, "half"])
def test_augment_prob_range(speech, value):
    with pytest.raises((ValueError, TypeError), match="augment_prob"):
        speech_mfcc(augment="recordings", augment_prob=value).fit(speech)


@pytest.mark.slow
def test_augmented_views_same_with_workers(speech, workers_always):
    mfcc = speech_mfcc(n_views=2, augment="recordings", random_state=0)
    np.testing.assert_allclose(
        mfcc.fit_transform(speech * 6)[:18],
        clone(mfcc).set_params(n_jobs=2).fit_transform(speech * 6)[:18],
        rtol=1e-4,
        atol=1e-3,
    )


def test_training_reads_a_clip_without_speech_found_whole(speech):
    from speechface.exceptions import NoSpeechError

    clips = [speech[0], tone(440.0, 1.0)]  # a tone: no speech for the detector, but labelled as speech
    mfcc = speech_mfcc(augment="recordings", random_state=0)
    assert np.isfinite(mfcc.fit_transform(clips)).all()
    assert np.isfinite(clone(mfcc).set_params(augment=None).fit_transform(clips)).all()
    with pytest.raises(NoSpeechError, match=r"X\[1\]"):
        mfcc.transform(clips)
