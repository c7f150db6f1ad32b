"""The bad-input matrix: every audio case (``bad_inputs.py``) through every audio entry point.

Entry points: ``MFCCTransformer``, the shipped SER pipeline, ``SpeechToFace``,
the ``speechface generate`` command and the web app's upload. Each case gives a
well-formed result or a clear error naming the problem and the file; one bad
file in a batch names that file. Wrong Python types and empty inputs, and
hypothesis properties over waveforms and labels, follow. The generator's and
loaders' own bad inputs are in their test modules.
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pytest
from bad_inputs import BROKEN, NO_SPEECH, VALID, AudioCase, write_cases
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from speechface import MFCCTransformer, SpeechToFace, pretrained
from speechface.app import App, AppError
from speechface.cli import main
from speechface.labels import FER_EMOTIONS, RAVDESS_EMOTIONS

CASES = VALID + NO_SPEECH + BROKEN
#: the fixed-window transformer (RAVDESS timing, no voice activity detection): every clip, silence
#: included, gives features; the recommended front end (voice activity detection) is the pipeline's
FIXED_WINDOW = dict(n_mfcc=40, duration=3.0, vad=False, n_views=1, augment=None)
WIDTH = 40 * 151  # 40 MFCCs x 151 frames


@pytest.fixture(scope="module")
def paths(tmp_path_factory) -> dict[str, Path]:
    return write_cases(tmp_path_factory.mktemp("audio_cases"))


@pytest.fixture(scope="module")
def models():
    ser = pretrained.ser()
    return {
        "transformer": MFCCTransformer(**FIXED_WINDOW).fit(["unused.wav"]),
        "pipeline": ser,
        "speech_to_face": SpeechToFace(ser=ser, generator=pretrained.generator()),
    }


def _run(entry: str, models: dict, clips):
    """Send ``clips`` through the library entry point ``entry``; return its result."""
    if entry == "transformer":
        return models["transformer"].transform(clips)
    if entry == "pipeline":
        return models["pipeline"].predict(clips)
    if entry == "speech_to_face":
        return models["speech_to_face"].generate(clips, n_faces=1, random_state=0)
    raise AssertionError(entry)


def _check_result(entry: str, result, n: int) -> None:
    if entry == "transformer":
        assert result.shape == (n, WIDTH) and result.dtype == np.float32 and np.isfinite(result).all()
    elif entry == "pipeline":
        assert result.shape == (n,) and set(result) <= set(RAVDESS_EMOTIONS)
    else:
        assert result.shape == (n, 1, 48, 48) and result.dtype == np.uint8


@pytest.mark.parametrize("entry", ["transformer", "pipeline", "speech_to_face"])
@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_library_entry_points(entry, case: AudioCase, paths, models):
    case = case.outcome(finds_speech=entry != "transformer")
    path = str(paths[case.name])
    if case.error is None:
        _check_result(entry, _run(entry, models, [path]), 1)
        return
    with pytest.raises(case.error, match=re.escape(case.message)) as info:
        _run(entry, models, [path])
    assert path in str(info.value)
    # in a batch, the bad file is the one named
    good = str(paths["8khz"])
    with pytest.raises(case.error) as info:
        _run(entry, models, [good, good, path, good])
    assert path in str(info.value) and good not in str(info.value)


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_command(case: AudioCase, paths, tmp_path, capsys):
    good, bad = str(paths["8khz"]), str(paths[case.name])
    out = tmp_path / "faces.png"
    code = main(["generate", good, bad, "-o", str(out), "--n-faces", "1", "--seed", "0", "-q"])
    captured = capsys.readouterr()
    if case.error is None:
        assert code == 0 and out.stat().st_size > 0
        assert [line.split("\t")[0] for line in captured.out.splitlines()] == [good, bad]
        return
    assert code == 2 and not out.exists()
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("speechface generate: error:")  # no traceback
    assert case.message in lines[0] and bad in lines[0]


#: a browser uploads bytes (no missing files or folders); the page's own wording where it differs
WEB = {c.name: c for c in CASES if c.name not in ("missing", "directory")}
WEB.update(
    {
        name: AudioCase(name, AppError, message)
        for name, message in [
            ("ten_minutes", "600.0 s long; the limit is 60 s"),
            ("empty", "the upload is empty"),
            ("not_audio", "not an audio file"),
            ("header_only", "holds no samples"),
        ]
    }
)


@pytest.mark.parametrize("case", list(WEB.values()), ids=list(WEB))
def test_web_upload(case: AudioCase, paths, models):
    app = App(model=models["speech_to_face"], max_upload_bytes=50 * 2**20, max_seconds=60.0)
    data = paths[case.name].read_bytes()
    if case.error is None:
        result = app.predict(data, n_faces=1, seed=0)
        assert result["emotion"] in FER_EMOTIONS and len(result["faces"]) == 1
        return
    with pytest.raises(AppError, match=re.escape(case.message)) as info:
        app.predict(data, n_faces=1, seed=0)
    assert "/" not in str(info.value)  # never a server path


@pytest.mark.parametrize(
    ("X", "error", "message"),
    [
        (5, TypeError, "sequence of file paths or waveforms, got int"),
        ("clip.wav", TypeError, "single path 'clip.wav'"),
        ([5], TypeError, "file path or a 1-D numpy array, got int"),
        ([None], TypeError, "got NoneType"),
        ([], ValueError, "empty"),
        (np.zeros(16000), ValueError, "1-D numeric array"),
        ([np.zeros((2, 100))], ValueError, "must be 1-D"),
        ([np.array(["a", "b"])], TypeError, "must be numeric"),
        ([np.array([], dtype=np.float32)], ValueError, "is empty"),
        ([np.array([0.1, np.nan] * 100)], ValueError, "NaN or infinite"),
    ],
    ids=[
        "int",
        "single path",
        "int clip",
        "None clip",
        "empty list",
        "one 1-D array",
        "2-D clip",
        "string clip",
        "empty clip",
        "NaN clip",
    ],
)
@pytest.mark.parametrize("entry", ["transformer", "pipeline", "speech_to_face"])
def test_wrong_types_and_empty_inputs(entry, X, error, message, models):
    with pytest.raises(error, match=message):
        _run(entry, models, X)


@pytest.mark.parametrize(("n_faces", "error"), [(0, ValueError), (-1, ValueError), (1.5, TypeError), ("2", TypeError)])
def test_speech_to_face_n_faces(n_faces, error, models, paths):
    with pytest.raises(error, match="n_faces"):
        models["speech_to_face"].generate([str(paths["8khz"])], n_faces=n_faces)


# -- properties -------------------------------------------------------------------------------

waveforms = st.integers(1, 48000).flatmap(lambda n: arrays(np.float32, n, elements=st.floats(-1, 1, width=32)))


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(y=waveforms, rate=st.sampled_from([8000, 11025, 16000, 22050, 44100, 48000, 96000]))
def test_any_finite_waveform_at_any_rate_gives_finite_features(y, rate):
    X = MFCCTransformer(**FIXED_WINDOW, input_sr=rate).fit([y]).transform([y])
    assert X.shape == (1, WIDTH) and np.isfinite(X).all()


@pytest.mark.slow
@settings(max_examples=30, deadline=None)
@given(y=waveforms, position=st.floats(0, 1), bad=st.sampled_from([np.nan, np.inf, -np.inf]))
def test_any_non_finite_sample_is_named(y, position, bad):
    y = y.copy()
    y[int(position * (y.size - 1))] = bad  # inside the 3 s window read from offset 0
    with pytest.raises(ValueError, match=r"X\[1\].*NaN or infinite"):
        MFCCTransformer(**FIXED_WINDOW, offset=0.0).fit([y]).transform([np.zeros(100, np.float32), y])


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(label=st.one_of(st.text(max_size=12), st.integers(-10, 20), st.floats(allow_nan=True), st.none()))
def test_any_label_is_a_face_or_a_clear_error(label, models):
    generator = models["speech_to_face"]._face_part()
    known = (isinstance(label, str) and label.strip().lower() in FER_EMOTIONS) or (
        isinstance(label, (int, float)) and label in range(7)
    )  # 3.0 is code 3, as in a float label array
    if known:
        assert generator.sample(label, 1, random_state=0).shape == (1, 48, 48)
        return
    with pytest.raises((ValueError, TypeError), match="emotion|label|code"):
        generator.sample(label, 1, random_state=0)
