import io

import joblib
import numpy as np
import pandas as pd
import pytest
from conftest import EMOTION_FREQ, TINY_SER, tone
from sklearn.base import clone
from sklearn.model_selection import GridSearchCV, GroupKFold
from sklearn.pipeline import Pipeline

from speechface import MFCCTransformer, SpeechEmotionClassifier, make_seed_pipeline, make_ser_pipeline
from speechface.demo import demo_clips
from speechface.ser import SEED_CLASSIFIER_PARAMS, SEED_MFCC_PARAMS, SeedCNN


def test_make_ser_pipeline_structure():
    pipe = make_ser_pipeline()
    assert isinstance(pipe, Pipeline)
    assert [name for name, _ in pipe.steps] == ["mfcc", "cnn"]
    assert isinstance(pipe["mfcc"], MFCCTransformer) and isinstance(pipe["cnn"], SpeechEmotionClassifier)
    # pandas output, so that the classifier sees the <channel>_t<frame> layout
    assert pipe["mfcc"].get_params() == MFCCTransformer().get_params()  # the recommended features are its defaults
    out = pipe["mfcc"].fit_transform([demo_clips()[0][0]])
    assert isinstance(out, pd.DataFrame)


def test_default_front_end_reads_speech_of_any_length_and_timing():
    """The recommended pipeline, a tiny network, on real speech: short, long, shifted, noisy clips all get an answer."""
    from speechface.audio import load_audio

    clips, labels = zip(*demo_clips())
    pipe = make_ser_pipeline(
        mfcc__n_views=2,
        mfcc__random_state=0,
        cnn__module__width=4,
        cnn__module__n_members=1,
        cnn__module__n_layers=1,
        cnn__max_epochs=2,
        cnn__random_state=0,
        cnn__batch_size=8,
    )
    np.random.seed(3)
    pipe.fit(list(clips) * 2, list(labels) * 2)
    assert np.random.rand() == np.random.RandomState(3).rand()  # the augmentation left NumPy's global generator alone
    speech = [load_audio(c, sr=16000) for c in clips[:2]]
    rng = np.random.default_rng(0)
    onset = int(0.9 * 16000)
    X = [
        speech[0][onset : onset + int(0.3 * 16000)],  # 0.3 s of speech
        np.concatenate([speech[0], np.zeros(16000, np.float32)] * 6 + [speech[1]]),  # a long take, about 25 s
        np.concatenate([np.zeros(3 * 16000, np.float32), speech[1]]),  # starts late
        speech[1] + 0.05 * rng.standard_normal(len(speech[1])).astype(np.float32),  # noisy
    ]
    proba = pipe.set_params(mfcc__input_sr=16000).predict_proba(X)
    assert proba.shape == (4, 8) and np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_make_ser_pipeline_applies_params():
    pipe = make_ser_pipeline(mfcc__n_mfcc=20, cnn__module__n_layers=4, cnn__max_epochs=3)
    assert pipe["mfcc"].n_mfcc == 20
    assert pipe.get_params()["cnn__module__n_layers"] == 4
    assert pipe["cnn"].max_epochs == 3
    with pytest.raises(ValueError):
        make_ser_pipeline(mfcc__no_such_param=1)


def test_ser_pipeline_fits_ravdess_files(ravdess_xy, fitted_ser_pipeline):
    X, y, _ = ravdess_xy
    pipe = fitted_ser_pipeline
    cnn = pipe["cnn"]
    np.testing.assert_array_equal(cnn.classes_, ["happy", "sad"])
    assert (cnn.n_channels_, cnn.n_frames_) == (13 * 3, 51)  # inferred from the column names
    pred = pipe.predict(X)
    assert pred.shape == (len(X),) and set(pred) <= {"happy", "sad"}
    assert np.mean(pred == y) >= 0.8  # high vs low tones
    proba = pipe.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_ser_pipeline_predicts_waveforms(fitted_ser_pipeline):
    X = [tone(EMOTION_FREQ[3] * 1.05, 0.8, seed=99), tone(EMOTION_FREQ[4] * 1.05, 0.8, seed=98)]
    pred = fitted_ser_pipeline.predict(X)
    assert pred.shape == (2,) and set(pred) <= {"happy", "sad"}


def test_grid_search_grouped_by_actor(ravdess_xy):
    X, y, actors = ravdess_xy
    grid = {"cnn__module__n_layers": [1, 2], "mfcc__n_mfcc": [13, 20]}
    search = GridSearchCV(
        make_ser_pipeline(**{**TINY_SER, "cnn__max_epochs": 4}),
        grid,
        cv=GroupKFold(n_splits=2),
        scoring="accuracy",
        error_score="raise",
    )
    search.fit(X, y, groups=actors)
    assert search.best_params_ in [
        {"cnn__module__n_layers": layers, "mfcc__n_mfcc": n} for layers in (1, 2) for n in (13, 20)
    ]
    assert len(search.cv_results_["params"]) == 4
    assert np.isfinite(search.cv_results_["mean_test_score"]).all()
    best = search.best_estimator_
    assert best["mfcc"].n_mfcc == search.best_params_["mfcc__n_mfcc"]
    assert best["cnn"].n_channels_ == 3 * search.best_params_["mfcc__n_mfcc"]
    pred = search.predict(X)
    assert pred.shape == (len(X),) and set(pred) <= {"happy", "sad"}


def test_make_seed_pipeline_structure():
    pipe = make_seed_pipeline()
    assert [name for name, _ in pipe.steps] == ["mfcc", "cnn"]
    mfcc_params = pipe["mfcc"].get_params()
    assert {k: mfcc_params[k] for k in SEED_MFCC_PARAMS} == SEED_MFCC_PARAMS
    cnn_params = pipe["cnn"].get_params()
    assert {k: cnn_params[k] for k in SEED_CLASSIFIER_PARAMS} == SEED_CLASSIFIER_PARAMS
    assert pipe["cnn"].module is SeedCNN


def test_make_seed_pipeline_fits_tiny_data(ravdess_xy):
    X, y, _ = ravdess_xy
    pipe = make_seed_pipeline(mfcc__duration=0.5, mfcc__offset=0.0, cnn__max_epochs=2, cnn__random_state=0)
    pipe.fit(X, y)
    cnn = pipe["cnn"]
    assert (cnn.n_channels_, cnn.n_frames_) == (1, 1 + int(0.5 * 44100) // 512)
    assert isinstance(cnn.module_, SeedCNN)
    pred = pipe.predict(X)
    assert pred.shape == (len(X),) and set(pred) <= {"happy", "sad"}


def test_pipeline_joblib_round_trip(ravdess_xy, fitted_ser_pipeline):
    X, _, _ = ravdess_xy
    buffer = io.BytesIO()
    joblib.dump(fitted_ser_pipeline, buffer)
    buffer.seek(0)
    loaded = joblib.load(buffer)
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted_ser_pipeline.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), fitted_ser_pipeline.predict(X))


def test_cloned_pipeline_refits_identically(ravdess_xy, fitted_ser_pipeline):
    X, y, _ = ravdess_xy
    copy = clone(fitted_ser_pipeline)
    assert isinstance(copy["mfcc"].fit_transform(X[:1]), pd.DataFrame)  # output config kept
    copy.fit(X, y)
    np.testing.assert_array_equal(copy.predict_proba(X), fitted_ser_pipeline.predict_proba(X))
