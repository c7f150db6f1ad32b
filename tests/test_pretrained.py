from importlib.resources import files

import numpy as np
import pytest
from sklearn.pipeline import Pipeline

import speechface.pretrained
from conftest import SR, tone
from speechface.labels import RAVDESS_EMOTIONS

MODEL = files("speechface.pretrained") / "ser.pt"


@pytest.fixture(scope="module")
def ser():
    if not MODEL.is_file():
        pytest.skip("speechface/pretrained/ser.pt is not shipped yet (the trained model is added later)")
    return speechface.pretrained.ser()


def test_ser_loads_a_fitted_pipeline(ser):
    assert isinstance(ser, Pipeline)
    assert [name for name, _ in ser.steps] == ["mfcc", "cnn"]


def test_ser_classes_are_the_8_ravdess_emotions(ser):
    assert sorted(ser.classes_) == sorted(RAVDESS_EMOTIONS)
    assert len(ser.classes_) == 8


def test_ser_predicts_ravdess_emotions_on_waveforms(ser):
    rng = np.random.default_rng(0)
    X = [tone(220.0, 3.5), tone(880.0, 3.5, amp=0.9), (0.1 * rng.standard_normal(SR * 2)).astype(np.float32)]
    pred = ser.predict(X)
    assert pred.shape == (3,)
    assert set(pred) <= set(RAVDESS_EMOTIONS)
    proba = ser.predict_proba(X)
    assert proba.shape == (3, 8)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
