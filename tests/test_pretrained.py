import numpy as np
import pytest
from conftest import SR
from sklearn.pipeline import Pipeline

import speechface.pretrained
from speechface import SpeechToFace
from speechface.demo import demo_clips
from speechface.labels import FER_EMOTIONS, RAVDESS_EMOTIONS


@pytest.fixture(scope="module")
def ser():
    return speechface.pretrained.ser()


def test_ser_loads_a_fitted_pipeline(ser):
    assert isinstance(ser, Pipeline)
    assert [name for name, _ in ser.steps] == ["mfcc", "cnn"]


def test_ser_classes_are_the_8_ravdess_emotions(ser):
    assert sorted(ser.classes_) == sorted(RAVDESS_EMOTIONS)
    assert len(ser.classes_) == 8


def test_ser_predicts_ravdess_emotions_on_waveforms(ser):
    from speechface.audio import load_audio

    speech = load_audio(demo_clips()[4][0], sr=SR)
    rng = np.random.default_rng(0)
    X = [
        speech,
        np.concatenate([np.zeros(2 * SR, np.float32), speech]),  # starts 2 s later
        speech + (0.02 * rng.standard_normal(len(speech))).astype(np.float32),
    ]  # in noise
    pred = ser.predict(X)
    assert pred.shape == (3,)
    assert set(pred) <= set(RAVDESS_EMOTIONS)
    proba = ser.predict_proba(X)
    assert proba.shape == (3, 8)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    # the speech is found where it is: the same answer (voice activity frames of 32 ms may cut it a few ms apart)
    assert pred[1] == pred[0]
    np.testing.assert_allclose(proba[1], proba[0], atol=0.1)


def test_ser_says_no_speech_for_noise_alone(ser):
    from speechface.exceptions import NoSpeechError

    noise = (0.1 * np.random.default_rng(0).standard_normal(SR * 2)).astype(np.float32)
    with pytest.raises(NoSpeechError, match=r"no speech found in X\[1\]"):
        ser.predict([str(demo_clips()[0][0]), noise])


def test_shipped_generator_draws_every_fer_emotion():
    generator = speechface.pretrained.generator()
    assert generator.classes_.tolist() == list(FER_EMOTIONS)
    faces = generator.sample("happy", 3, random_state=0)
    assert faces.shape == (3, 48, 48) and faces.dtype == np.uint8
    np.testing.assert_array_equal(faces, generator.sample("happy", 3, random_state=0))
    assert faces.std() > 10  # not a blank image


def test_shipped_judge_knows_the_seven_fer_codes():
    judge = speechface.pretrained.face_judge()
    assert judge.classes_.tolist() == list(range(7))
    proba = judge.predict_proba(speechface.pretrained.generator().sample("sad", 4, random_state=0))
    assert proba.shape == (4, 7)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_demo_clips_are_one_per_ravdess_emotion_of_the_test_actors():
    clips = demo_clips()
    assert sorted(emotion for _, emotion in clips) == sorted(RAVDESS_EMOTIONS)
    assert all(int(path.stem[-2:]) >= 21 for path, _ in clips)


def test_speech_to_face_works_out_of_the_box():
    model = SpeechToFace()
    clips = [str(path) for path, _ in demo_clips()]
    assert "calm" not in model.classes_ and set(model.classes_) == set(FER_EMOTIONS)
    assert set(model.predict(clips)) <= set(FER_EMOTIONS)
    faces = model.generate(clips[:2], n_faces=3, random_state=0)
    assert faces.shape == (2, 3, 48, 48) and faces.dtype == np.uint8
