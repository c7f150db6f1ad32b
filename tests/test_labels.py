import numpy as np
import pytest

from speechface.labels import (
    FER_EMOTIONS,
    RAVDESS_EMOTIONS,
    RAVDESS_TO_FER,
    check_emotion_names,
    ravdess_emotion,
)


def test_ravdess_vocabulary_in_code_order():
    # RAVDESS file-name codes 01-08, in order (Livingstone & Russo 2018)
    assert RAVDESS_EMOTIONS == (
        "neutral",
        "calm",
        "happy",
        "sad",
        "angry",
        "fearful",
        "disgust",
        "surprised",
    )
    assert isinstance(RAVDESS_EMOTIONS, tuple)


def test_fer_vocabulary_in_label_order():
    # FER-2013 integer labels 0-6
    assert FER_EMOTIONS == ("angry", "disgust", "fear", "happy", "sad", "surprise", "neutral")
    assert isinstance(FER_EMOTIONS, tuple)


def test_ravdess_to_fer_maps_calm_to_none():
    assert set(RAVDESS_TO_FER) == set(RAVDESS_EMOTIONS)
    assert RAVDESS_TO_FER["calm"] is None


@pytest.mark.parametrize("name", [e for e in RAVDESS_EMOTIONS if e != "calm"])
def test_ravdess_to_fer_maps_every_other_emotion_to_a_fer_name(name):
    assert RAVDESS_TO_FER[name] in FER_EMOTIONS


def test_ravdess_to_fer_is_a_bijection_onto_fer():
    targets = [v for v in RAVDESS_TO_FER.values() if v is not None]
    assert sorted(targets) == sorted(FER_EMOTIONS)  # every FER emotion, each once


@pytest.mark.parametrize(
    "ravdess, fer",
    [
        ("neutral", "neutral"),
        ("happy", "happy"),
        ("sad", "sad"),
        ("angry", "angry"),
        ("fearful", "fear"),
        ("disgust", "disgust"),
        ("surprised", "surprise"),
    ],
)
def test_ravdess_to_fer_pairs(ravdess, fer):
    assert RAVDESS_TO_FER[ravdess] == fer


@pytest.mark.parametrize("code", range(1, 9))
def test_ravdess_emotion_int_and_str_codes(code):
    expected = RAVDESS_EMOTIONS[code - 1]
    assert ravdess_emotion(code) == expected
    assert ravdess_emotion(f"{code:02d}") == expected
    assert ravdess_emotion(str(code)) == expected
    assert ravdess_emotion(np.int64(code)) == expected


def test_ravdess_emotion_known_codes():
    assert ravdess_emotion("01") == "neutral"
    assert ravdess_emotion("03") == "happy"
    assert ravdess_emotion(5) == "angry"
    assert ravdess_emotion("08") == "surprised"


@pytest.mark.parametrize("code", [0, 9, -1, "00", "09", "10", "", "x", "happy", None, 3.5, "3.5", True, float("nan")])
def test_ravdess_emotion_rejects_bad_codes(code):
    with pytest.raises(ValueError, match="01-08"):
        ravdess_emotion(code)


def test_check_emotion_names_normalises_case_and_space():
    assert check_emotion_names([" Happy", "SAD", "calm "], RAVDESS_EMOTIONS) == ["happy", "sad", "calm"]


def test_check_emotion_names_unknown_name():
    with pytest.raises(ValueError, match="'bored'"):
        check_emotion_names(["happy", "bored"], RAVDESS_EMOTIONS)
    # calm is RAVDESS only
    with pytest.raises(ValueError, match="calm"):
        check_emotion_names(["calm"], FER_EMOTIONS)


def test_check_emotion_names_non_string():
    with pytest.raises(TypeError, match="str"):
        check_emotion_names(["happy", 3], RAVDESS_EMOTIONS)
