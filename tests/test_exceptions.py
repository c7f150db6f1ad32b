"""The public error types: importable from speechface.exceptions, ValueErrors, the very ones raised."""

import numpy as np
import pytest

import speechface
import speechface._validation
import speechface.exceptions
from speechface.audio import load_audio
from speechface.datasets import parse_ravdess_filename
from speechface.exceptions import InvalidAudioError, InvalidDatasetError, NoSpeechError, SpeechfaceError

NAMES = ("SpeechfaceError", "InvalidAudioError", "NoSpeechError", "InvalidDatasetError")


@pytest.mark.parametrize("name", NAMES)
def test_public_errors_are_value_errors_and_the_old_names_too(name):
    error = getattr(speechface.exceptions, name)
    assert issubclass(error, SpeechfaceError) and issubclass(error, ValueError)
    assert error.__module__ == "speechface.exceptions" and error.__doc__
    if name != "SpeechfaceError":
        assert getattr(speechface._validation, name) is error  # old imports keep working


def test_the_module_is_part_of_the_package():
    assert speechface.exceptions.__all__ == list(NAMES)
    assert issubclass(NoSpeechError, InvalidAudioError)


def test_the_library_raises_the_public_errors():
    with pytest.raises(InvalidAudioError, match="empty"):
        load_audio(np.zeros(0, np.float32), sr=16000, source_sr=16000)
    with pytest.raises(InvalidDatasetError, match="not a RAVDESS file name"):
        parse_ravdess_filename("clip.wav")
    silence = [np.zeros(16000, np.float32)]
    with pytest.raises(NoSpeechError, match=r"no speech found in X\[0\]"):
        speechface.MFCCTransformer(vad=True, input_sr=16000).fit(silence).transform(silence)
