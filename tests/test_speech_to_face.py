"""SpeechToFace with tiny components: label mapping, calm, faces, cloning, persistence."""

import joblib
import numpy as np
import pytest
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, GroupKFold

from conftest import TINY_GAN, TINY_SER, drawn_faces
from speechface import make_ser_pipeline
from speechface.faces import ConditionalFaceGenerator
from speechface.labels import RAVDESS_TO_FER
from speechface.speech_to_face import SpeechToFace


@pytest.fixture(scope="module")
def face_generator():
    return ConditionalFaceGenerator(**TINY_GAN).fit(*drawn_faces(16))


@pytest.fixture(scope="module")
def fitted(fitted_ser_pipeline, face_generator):
    return SpeechToFace(ser=fitted_ser_pipeline, generator=face_generator)


def test_fitted_components_work_without_fit(fitted, fitted_ser_pipeline, ravdess_xy):
    X, y, _ = ravdess_xy
    assert fitted.classes_.tolist() == ["happy", "sad"]
    np.testing.assert_array_equal(fitted.predict(X), fitted_ser_pipeline.predict(X))
    proba = fitted.predict_proba(X)
    np.testing.assert_allclose(proba, fitted_ser_pipeline.predict_proba(X), atol=1e-6)
    assert (fitted.predict(X) == y).mean() >= 0.9


def test_generate_shape_and_seed(fitted, ravdess_xy):
    X = ravdess_xy[0][:3]
    faces = fitted.generate(X, n_faces=2, random_state=0)
    assert faces.shape == (3, 2, 48, 48) and faces.dtype == np.uint8
    np.testing.assert_array_equal(faces, fitted.generate(X, n_faces=2, random_state=0))
    assert not np.array_equal(faces, fitted.generate(X, n_faces=2, random_state=1))
    with pytest.raises(ValueError, match="n_faces must be >= 1"):
        fitted.generate(X, n_faces=0)


def test_faces_follow_the_predicted_emotion(fitted, face_generator, ravdess_xy):
    X = ravdess_xy[0][:4]
    emotions = fitted.predict(X)
    rng = np.random.RandomState(5)
    expected = face_generator.sample(np.repeat(emotions, 1).tolist(), random_state=np.random.RandomState(5))
    np.testing.assert_array_equal(fitted.generate(X, random_state=rng)[:, 0], expected)


def _calm_pipeline(ravdess_xy):
    X, y, _ = ravdess_xy
    y_calm = np.where(y == "sad", "calm", y)  # low tones are "calm" here
    return make_ser_pipeline(**TINY_SER).fit(X, y_calm), X


def test_calm_is_left_out_by_default(ravdess_xy, face_generator):
    ser, X = _calm_pipeline(ravdess_xy)
    model = SpeechToFace(ser=ser, generator=face_generator)
    assert model.classes_.tolist() == ["happy"]
    np.testing.assert_allclose(model.predict_proba(X), 1.0)
    assert set(model.predict(X)) == {"happy"}


def test_calm_can_be_mapped_to_neutral(ravdess_xy):
    ser, X = _calm_pipeline(ravdess_xy)
    faces, labels = drawn_faces(16, emotions=("happy", "neutral"))
    generator = ConditionalFaceGenerator(**TINY_GAN).fit(faces, labels)
    model = SpeechToFace(ser=ser, generator=generator, label_map={**RAVDESS_TO_FER, "calm": "neutral"})
    assert model.classes_.tolist() == ["happy", "neutral"]
    np.testing.assert_array_equal(model.predict(X), np.where(ser.predict(X) == "calm", "neutral", "happy"))


def test_fit_clones_the_speech_part(ravdess_xy, face_generator):
    X, y, _ = ravdess_xy
    unfitted = make_ser_pipeline(**TINY_SER)
    model = SpeechToFace(ser=unfitted, generator=face_generator)
    with pytest.raises(NotFittedError, match="ser"):
        model.predict(X)
    assert model.fit(X, y) is model
    assert model.generator_ is face_generator
    with pytest.raises(NotFittedError):
        unfitted.predict(X)
    assert (model.predict(X) == y).mean() >= 0.9


def test_grid_search_and_joblib(ravdess_xy, face_generator, tmp_path):
    X, y, actors = ravdess_xy
    model = SpeechToFace(ser=make_ser_pipeline(**TINY_SER), generator=face_generator)
    search = GridSearchCV(model, {"ser__cnn__module__n_layers": [1, 2]}, cv=GroupKFold(2), scoring=None,
                          error_score="raise")
    search.fit(X, y, groups=actors)
    assert search.best_params_["ser__cnn__module__n_layers"] in (1, 2)
    best = search.best_estimator_
    joblib.dump(best, tmp_path / "s2f.joblib")
    loaded = joblib.load(tmp_path / "s2f.joblib")
    np.testing.assert_array_equal(loaded.predict_proba(X), best.predict_proba(X))
    np.testing.assert_array_equal(loaded.generate(X[:2], random_state=0), best.generate(X[:2], random_state=0))
    assert clone(model).get_params()["ser__cnn__module__n_layers"] == TINY_SER["cnn__module__n_layers"]


def test_bad_label_maps(fitted_ser_pipeline, face_generator, ravdess_xy):
    X = ravdess_xy[0][:2]
    with pytest.raises(ValueError, match="no entry.*happy"):
        SpeechToFace(fitted_ser_pipeline, face_generator, label_map={"sad": "sad"}).predict(X)
    with pytest.raises(ValueError, match="not FER-2013 emotions.*joy"):
        SpeechToFace(fitted_ser_pipeline, face_generator, label_map={"happy": "joy", "sad": "sad"}).predict(X)
    with pytest.raises(TypeError, match="mapping"):
        SpeechToFace(fitted_ser_pipeline, face_generator, label_map=["happy"]).predict(X)


def test_generator_missing_an_emotion(ravdess_xy):
    X, y, _ = ravdess_xy
    only_happy = ConditionalFaceGenerator(**TINY_GAN).fit(*drawn_faces(16, emotions=("happy",)))
    with pytest.raises(ValueError, match=r"cannot draw \['sad'\]"):
        SpeechToFace(make_ser_pipeline(**TINY_SER), only_happy).fit(X, y)


def test_unfitted_generator_is_refused(fitted_ser_pipeline, ravdess_xy):
    with pytest.raises(NotFittedError, match="generator"):
        SpeechToFace(fitted_ser_pipeline, ConditionalFaceGenerator()).generate(ravdess_xy[0][:1])


def test_score_maps_labels_and_leaves_out_calm(fitted, ravdess_xy):
    X, y, _ = ravdess_xy
    assert fitted.score(X, y) == pytest.approx(np.mean(fitted.predict(X) == y))
    y_calm = y.copy()
    y_calm[:4] = "calm"
    assert fitted.score(X, y_calm) == pytest.approx(np.mean(fitted.predict(X[4:]) == y[4:]))
    with pytest.raises(ValueError, match="no entry.*joy"):
        fitted.score(X[:1], ["joy"])


@pytest.mark.parametrize("batch_size", [1, 3, 1000])
def test_batches_give_the_same_answer_for_sequences_and_iterators(fitted, ravdess_xy, batch_size):
    X, _, _ = ravdess_xy
    whole = fitted.predict_proba(X)
    batched = fitted.set_params(batch_size=batch_size)
    try:
        np.testing.assert_allclose(batched.predict_proba(list(X)), whole, atol=1e-6)
        np.testing.assert_allclose(batched.predict_proba(path for path in X), whole, atol=1e-6)
    finally:
        fitted.set_params(batch_size=128)


def test_bad_batch_size_and_where_a_bad_clip_lies(fitted_ser_pipeline, ravdess_xy):
    X, _, _ = ravdess_xy
    with pytest.raises(ValueError, match="batch_size must be >= 1, got 0"):
        SpeechToFace(ser=fitted_ser_pipeline, batch_size=0).predict(X)
    model = SpeechToFace(ser=fitted_ser_pipeline, batch_size=2)
    clips = [np.zeros(16000, np.float32)] * 3 + [np.full(16000, np.nan, np.float32)]
    with pytest.raises(ValueError, match=r"X\[1\]' contains NaN.*batch of clips from X\[2\] on"):
        model.predict(clips)
    with pytest.raises(ValueError, match="empty"):
        model.predict(iter([]))


def test_memory_is_bounded_by_the_batch_not_the_number_of_clips(fitted_ser_pipeline, wav_16k):
    import tracemalloc

    model = SpeechToFace(ser=fitted_ser_pipeline, batch_size=16)
    model.predict_proba([str(wav_16k)] * 16)  # warm up

    def peak(n_clips):
        tracemalloc.start()
        model.predict_proba(str(wav_16k) for _ in range(n_clips))
        peak = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()
        return peak

    small, large = peak(32), peak(512)
    # unbatched (batch_size=100000) the peak here grows from 0.7 MB to 8.4 MB
    assert large < small + 2e6, (small, large)
