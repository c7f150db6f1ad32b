"""SpeechToFace with tiny components: label mapping, calm, faces, cloning, persistence, timelines."""

import copy

import joblib
import numpy as np
import pytest
from conftest import TINY_GAN, TINY_SER, drawn_faces, write_audio
from long_take import SR, long_take
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.model_selection import GridSearchCV, GroupKFold

from speechface import make_ser_pipeline
from speechface.demo import demo_clips
from speechface.exceptions import NoSpeechError
from speechface.faces import ConditionalFaceGenerator
from speechface.labels import RAVDESS_TO_FER
from speechface.speech_to_face import MIN_SPEECH_FRACTION, SpeechToFace, _speech_windows


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
    search = GridSearchCV(
        model, {"ser__cnn__module__n_layers": [1, 2]}, cv=GroupKFold(2), scoring=None, error_score="raise"
    )
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


@pytest.mark.parametrize("as_iterator", [False, True])
@pytest.mark.parametrize("n_clips, n_labels", [(5, 4), (4, 5)])
def test_score_refuses_clips_and_labels_of_different_lengths(fitted, ravdess_xy, as_iterator, n_clips, n_labels):
    X, y, _ = ravdess_xy
    clips = iter(X[:n_clips]) if as_iterator else X[:n_clips]
    with pytest.raises(ValueError, match=f"X has {n_clips} clips but y has {n_labels} labels"):
        fitted.score(clips, y[:n_labels])


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


# -- timeline ---------------------------------------------------------------------------

LEAD = 2.0  # seconds of silence before and after the long take
WINDOW, HOP = 1.0, 0.5


@pytest.fixture(scope="module")
def take():
    """(waveform, pauses): three demo clips, 1 s then 6 s of silence between them, 2 s around."""
    return long_take(3, [1.0, 6.0], lead=LEAD)


def _samples(seconds) -> np.ndarray:
    return np.round(np.asarray(seconds) * SR).astype(int)


def test_timeline_windows_cover_the_speech_in_order(fitted, take):
    y, pauses = take
    timeline = fitted.timeline(y, window=WINDOW, hop=HOP)
    start, end = timeline.start, timeline.end
    assert start[0] >= LEAD and end[-1] <= len(y) / SR - LEAD  # nothing from the silence around the speech
    assert np.all(np.diff(start) > 0) and np.all(end > start) and np.all(np.diff(end) > 0)
    steps = np.diff(start) / HOP
    np.testing.assert_allclose(steps, np.round(steps), atol=1e-3)  # on the grid of the hop
    np.testing.assert_allclose(end[:-1] - start[:-1], WINDOW, atol=1e-3)
    assert end[-1] - start[-1] <= WINDOW + 1e-3  # the last one ends with the speech
    long_pause = pauses[1]
    assert start[0] < long_pause[0] < long_pause[1] < end[-1]  # the grid crosses the long pause ...
    assert not np.any((start >= long_pause[0]) & (end <= long_pause[1]))  # ... and reads none of its silence
    assert timeline.proba.shape == (len(start), len(fitted.classes_))
    np.testing.assert_allclose(timeline.proba.sum(axis=1), 1.0, atol=1e-6)
    assert timeline.classes.tolist() == fitted.classes_.tolist()
    np.testing.assert_array_equal(timeline.emotion, fitted.classes_[timeline.proba.argmax(axis=1)])
    assert "faces" not in timeline


def test_timeline_defaults_to_the_analysis_window_and_half_of_it(fitted, take):
    timeline = fitted.timeline(take[0])
    duration = TINY_SER["mfcc__duration"]
    assert np.max(timeline.end - timeline.start) == pytest.approx(duration)
    assert np.min(np.diff(timeline.start)) == pytest.approx(duration / 2)


def test_speech_shorter_than_a_window_is_one_window(fitted):
    clip = demo_clips()[0][0]
    timeline = fitted.timeline(clip, window=10.0)
    assert len(timeline.start) == 1
    assert 0.5 < timeline.start[0] < timeline.end[0] < 3.7  # the sentence, not the silence around it


def test_windows_grid_and_the_speech_rule():
    # speech in samples [0, 100) and [1000, 1100); windows of 200 every 100
    windows = _speech_windows(np.array([[0, 100], [1000, 1100]]), 200, 100)
    np.testing.assert_array_equal(windows, [[0, 200], [900, 1100]])  # the pause's windows are dropped
    quarter = int(MIN_SPEECH_FRACTION * 200)
    kept = _speech_windows(np.array([[0, quarter], [1000, 1100]]), 200, 100)
    assert kept[0].tolist() == [0, 200]
    dropped = _speech_windows(np.array([[0, quarter - 1], [1000, 1100]]), 200, 100)
    assert dropped[0].tolist() == [900, 1100]
    np.testing.assert_array_equal(_speech_windows(np.array([[30, 150]]), 200, 100), [[30, 150]])
    np.testing.assert_array_equal(_speech_windows(np.array([[0, 450]]), 200, 150), [[0, 200], [150, 350], [300, 450]])


def test_timeline_reads_each_window_from_its_start_and_restores_the_pipeline(
    fitted, fitted_ser_pipeline, face_generator, take
):
    ser = copy.deepcopy(fitted_ser_pipeline).set_params(mfcc__offset=0.3, mfcc__input_sr=None)
    model = SpeechToFace(ser=ser, generator=face_generator)
    timeline = model.timeline(take[0], window=WINDOW, hop=HOP)
    windows = [take[0][a:b] for a, b in zip(_samples(timeline.start), _samples(timeline.end))]
    np.testing.assert_allclose(timeline.proba, fitted.predict_proba(windows), atol=1e-6)  # offset 0 there
    mfcc = ser.named_steps["mfcc"]
    assert (mfcc.offset, mfcc.input_sr) == (0.3, None)


def test_the_pipeline_is_never_changed_while_windows_are_read(fitted_ser_pipeline, face_generator, take, monkeypatch):
    ser = copy.deepcopy(fitted_ser_pipeline).set_params(mfcc__input_sr=None)
    model = SpeechToFace(ser=ser, generator=face_generator)
    proba = model._proba

    def checked(speech, X):
        assert ser.named_steps["mfcc"].input_sr is None  # another thread may be predicting with it
        assert speech.named_steps["mfcc"].input_sr == SR  # the copy reads the windows at their rate
        return proba(speech, X)

    monkeypatch.setattr(model, "_proba", checked)
    assert len(model.timeline(take[0]).start)


def test_timeline_faces(fitted, take):
    timeline = fitted.timeline(take[0], window=WINDOW, hop=HOP, n_faces=2, random_state=0)
    assert timeline.faces.shape == (len(timeline.start), 2, 48, 48) and timeline.faces.dtype == np.uint8
    np.testing.assert_array_equal(timeline.faces, fitted.sample_faces(timeline.emotion, 2, random_state=0))


def test_windows_the_speech_part_hears_no_speech_in_are_dropped(fitted, take, monkeypatch):
    y = take[0]
    whole = fitted.timeline(y, window=WINDOW, hop=HOP)
    a, b = _samples([whole.start[1], whole.end[1]])
    silent, proba = y[a:b], fitted._proba

    def no_speech_in_window_1(speech, X):
        if any(np.array_equal(x, silent) for x in X):
            raise NoSpeechError("no speech found in X[1]")
        return proba(speech, X)

    monkeypatch.setattr(fitted, "_proba", no_speech_in_window_1)
    timeline = fitted.timeline(y, window=WINDOW, hop=HOP)
    np.testing.assert_array_equal(timeline.start, np.delete(whole.start, 1))
    np.testing.assert_allclose(timeline.proba, np.delete(whole.proba, 1, axis=0), atol=1e-6)

    def no_speech_at_all(speech, X):
        raise NoSpeechError("no speech found in X[0]")

    monkeypatch.setattr(fitted, "_proba", no_speech_at_all)
    with pytest.raises(NoSpeechError, match="no speech found in the waveform by the speech pipeline"):
        fitted.timeline(y, window=WINDOW, hop=HOP)


def test_timeline_refuses_silence_collections_and_bad_windows(fitted, tmp_path):
    quiet = write_audio(tmp_path / "quiet.wav", np.zeros(5 * SR, np.float32), SR, "PCM_16")
    with pytest.raises(NoSpeechError, match=r"no speech found in '.*quiet\.wav'"):
        fitted.timeline(quiet)
    with pytest.raises(ValueError, match="no speech found in the waveform"):
        fitted.timeline(np.zeros(5 * SR, np.float32))
    with pytest.raises(TypeError, match="timeline reads one clip; got a list of 2"):
        fitted.timeline([str(quiet), str(quiet)])
    with pytest.raises(TypeError, match=r"timeline reads one clip; got an array of shape \(2, 16000\)"):
        fitted.timeline(np.zeros((2, SR), np.float32))
    sparse, _ = long_take(2, [30.0])  # two sentences half a minute apart
    with pytest.raises(NoSpeechError, match="no 30.0 s window of the waveform is at least 25% speech"):
        fitted.timeline(sparse, window=30.0)
    clip = demo_clips()[0][0]
    for kwargs, message in [
        (dict(window=0), "window must be > 0, got 0"),
        (dict(window=-1.0), "window must be > 0"),
        (dict(window=1e-6), "window=1e-06 s is shorter than one sample at 16000 Hz"),
        (dict(hop=0), "hop must be > 0"),
        (dict(window=1.0, hop=1.5), r"hop must be <= window \(1.0 s\)"),
        (dict(n_faces=-1), "n_faces must be >= 0"),
    ]:
        with pytest.raises(ValueError, match=message):
            fitted.timeline(clip, **kwargs)
    with pytest.raises(TypeError, match="window must be a number"):
        fitted.timeline(clip, window="2")


def test_soft_faces_blend_the_heard_emotions(fitted_ser_pipeline, face_generator, ravdess_xy):
    X = ravdess_xy[0][:4]
    soft = SpeechToFace(ser=fitted_ser_pipeline, generator=face_generator, soft=True)
    proba = soft.predict_proba(X)
    assert ((proba > 0.01) & (proba < 0.99)).any()  # some clip is heard as a blend
    faces = soft.generate(X, n_faces=2, random_state=3)
    expected = face_generator.sample(np.repeat(proba, 2, axis=0), random_state=3)  # classes_ match here
    np.testing.assert_array_equal(faces, expected.reshape(4, 2, 48, 48))
    hard = SpeechToFace(ser=fitted_ser_pipeline, generator=face_generator).generate(X, n_faces=2, random_state=3)
    assert not np.array_equal(faces, hard)
    with pytest.raises(ValueError, match="soft"):
        SpeechToFace(ser=fitted_ser_pipeline, generator=face_generator, soft="yes").generate(X)


def test_soft_timeline_faces(fitted_ser_pipeline, face_generator, take):
    soft = SpeechToFace(ser=fitted_ser_pipeline, generator=face_generator, soft=True)
    result = soft.timeline(take[0], window=WINDOW, hop=HOP, n_faces=1, random_state=0)
    expected = face_generator.sample(result.proba, random_state=0)
    np.testing.assert_array_equal(result.faces[:, 0], expected)


def test_every_emotion_is_one_face_per_noise_in_each_emotion(fitted, face_generator):
    grid = fitted.every_emotion(3, random_state=2)
    assert grid.shape == (2, 3, 48, 48)
    np.testing.assert_array_equal(grid, face_generator.sample_every_emotion(3, random_state=2).transpose(1, 0, 2, 3))
    with pytest.raises(ValueError, match="n_faces"):
        fitted.every_emotion(0)


def test_sample_faces_of_weights_and_their_shape_check(fitted, face_generator):
    weights = np.array([[0.7, 0.3], [0.0, 1.0]])
    faces = fitted.sample_faces(weights, n_faces=2, random_state=1)
    np.testing.assert_array_equal(
        faces[:, :, :, :].reshape(4, 48, 48), face_generator.sample(np.repeat(weights, 2, axis=0), random_state=1)
    )
    with pytest.raises(ValueError, match=r"shape \(n, 2\)"):
        fitted.sample_faces(np.ones((2, 3)))
