from pathlib import Path

import numpy as np
import pandas as pd
import pytest
from conftest import SR, ravdess_name, tone, write_audio, write_ravdess_tree
from sklearn.utils import Bunch

from speechface import load_ravdess
from speechface.datasets import parse_ravdess_filename
from speechface.exceptions import InvalidDatasetError
from speechface.labels import RAVDESS_EMOTIONS

FRAME_COLUMNS = ["path", "modality", "channel", "emotion", "intensity", "statement", "repetition", "actor", "gender"]


# -- parse_ravdess_filename ----------------------------------------------------------


def test_parse_all_fields():
    fields = parse_ravdess_filename("Actor_12/03-01-05-02-01-02-12.wav")
    assert fields == dict(
        modality=3,
        channel=1,
        emotion="angry",
        intensity=2,
        statement=1,
        repetition=2,
        actor=12,
        gender="female",
    )


@pytest.mark.parametrize("code", range(1, 9))
def test_parse_emotion_codes(code):
    assert parse_ravdess_filename(ravdess_name(code))["emotion"] == RAVDESS_EMOTIONS[code - 1]


@pytest.mark.parametrize("actor, gender", [(1, "male"), (2, "female"), (23, "male"), (24, "female")])
def test_parse_gender_from_actor(actor, gender):
    assert parse_ravdess_filename(Path("x") / ravdess_name(3, actor=actor, ext="flac"))["gender"] == gender


@pytest.mark.parametrize(
    "name",
    [
        "03-01-05-02-01-02.wav",  # 6 fields
        "03-01-05-02-01-02-12-01.wav",  # 8 fields
        "3-1-5-2-1-2-12.wav",  # one digit
        "speech.wav",
        "._03-01-05-02-01-02-12.wav",  # macOS resource fork
        "03-01-09-01-01-01-01.wav",  # emotion 09
        "03-01-00-01-01-01-01.wav",  # emotion 00
        "03-01-05-03-01-01-01.wav",  # intensity 03
        "03-01-05-01-03-01-01.wav",  # statement 03
        "03-01-05-01-01-03-01.wav",  # repetition 03
        "03-01-05-01-01-01-25.wav",  # actor 25
        "03-01-05-01-01-01-00.wav",  # actor 00
        "04-01-05-01-01-01-01.wav",  # modality 04
    ],
)
def test_parse_rejects_non_ravdess_names(name):
    with pytest.raises(InvalidDatasetError, match=name.replace(".", r"\.")):
        parse_ravdess_filename(name)


def test_parse_rejects_song_files():
    with pytest.raises(InvalidDatasetError, match="song"):
        parse_ravdess_filename(ravdess_name(3, channel=2))


# -- load_ravdess --------------------------------------------------------------------


def test_load_nested_tree(ravdess_tree):
    root, files = ravdess_tree
    bunch = load_ravdess(root)
    assert isinstance(bunch, Bunch)
    assert {"data", "target", "frame", "target_names", "DESCR"} <= set(bunch)
    assert len(bunch.data) == len(bunch.target) == len(bunch.frame) == len(files)  # README.txt ignored
    expected = {f["path"]: f["emotion"] for f in files}
    assert dict(zip(bunch.data, bunch.target)) == expected
    assert bunch.target_names == list(RAVDESS_EMOTIONS)
    assert isinstance(bunch.DESCR, str) and "RAVDESS" in bunch.DESCR


def test_load_includes_wav_and_flac(ravdess_root):
    suffixes = {Path(p).suffix for p in load_ravdess(ravdess_root).data}
    assert suffixes == {".wav", ".flac"}


def test_frame_columns_and_values(ravdess_tree):
    root, files = ravdess_tree
    frame = load_ravdess(root).frame
    assert isinstance(frame, pd.DataFrame)
    assert list(frame.columns) == FRAME_COLUMNS
    by_path = frame.set_index("path")
    for f in files:
        row = by_path.loc[f["path"]]
        assert row["emotion"] == f["emotion"]
        assert row["actor"] == f["actor"]
        assert row["gender"] == ("male" if f["actor"] % 2 else "female")
        assert row["modality"] == 3 and row["channel"] == 1
    for column in ("modality", "channel", "intensity", "statement", "repetition", "actor"):
        assert pd.api.types.is_integer_dtype(frame[column]), column
    assert sorted(frame["actor"].unique()) == [1, 2, 3, 4]
    assert set(frame["statement"]) == {1, 2}
    assert set(frame["repetition"]) == {1, 2}
    assert list(frame["emotion"].cat.categories) == list(RAVDESS_EMOTIONS)


def test_data_and_target_are_parallel_object_arrays(ravdess_root):
    bunch = load_ravdess(ravdess_root)
    assert isinstance(bunch.data, np.ndarray) and isinstance(bunch.target, np.ndarray)
    assert all(isinstance(p, str) and Path(p).is_file() for p in bunch.data)
    assert all(isinstance(t, str) for t in bunch.target)
    np.testing.assert_array_equal(bunch.data, bunch.frame["path"].to_numpy())
    for path, target in zip(bunch.data, bunch.target):
        assert target == parse_ravdess_filename(path)["emotion"]


def test_return_X_y(ravdess_root):
    bunch = load_ravdess(ravdess_root)
    X, y = load_ravdess(ravdess_root, return_X_y=True)
    np.testing.assert_array_equal(X, bunch.data)
    np.testing.assert_array_equal(y, bunch.target)


def test_load_flat_layout(tmp_path):
    files = write_ravdess_tree(tmp_path, flat=True)
    assert not any(p.is_dir() for p in tmp_path.iterdir())
    bunch = load_ravdess(str(tmp_path))  # str path too
    assert sorted(bunch.data) == sorted(f["path"] for f in files)
    assert sorted(bunch.frame["actor"].unique()) == [1, 2, 3, 4]


def test_upper_case_suffix(tmp_path):
    write_audio(tmp_path / ravdess_name(4, ext="WAV"), tone(300.0, 0.2), SR)
    assert list(load_ravdess(tmp_path).target) == ["sad"]


@pytest.mark.parametrize(
    "bad_name",
    [ravdess_name(3, channel=2), "recording.wav", ravdess_name(9), "03-01-05-02-01-02.flac"],
)
def test_invalid_file_raises_naming_it(tmp_path, bad_name):
    write_ravdess_tree(tmp_path, short_clip=False)
    write_audio(tmp_path / "Actor_01" / bad_name, tone(300.0, 0.2), SR)
    with pytest.raises(InvalidDatasetError, match=bad_name.replace(".", r"\.")):
        load_ravdess(tmp_path)


def test_song_file_error_says_song(tmp_path):
    write_audio(tmp_path / ravdess_name(5, channel=2, actor=7), tone(300.0, 0.2), SR)
    with pytest.raises(InvalidDatasetError, match="song"):
        load_ravdess(tmp_path)


def test_on_invalid_warn_skips_with_warning(tmp_path):
    files = write_ravdess_tree(tmp_path, short_clip=False)
    song = ravdess_name(3, channel=2)
    write_audio(tmp_path / "Actor_01" / song, tone(300.0, 0.2), SR)
    write_audio(tmp_path / "other.flac", tone(300.0, 0.2), SR)
    with pytest.warns(UserWarning, match="2 file") as record:
        bunch = load_ravdess(tmp_path, on_invalid="warn")
    message = str(record[0].message)
    assert song in message and "other.flac" in message
    assert sorted(bunch.data) == sorted(f["path"] for f in files)


def test_on_invalid_warn_with_only_invalid_files_still_errors(tmp_path):
    write_audio(tmp_path / "recording.wav", tone(300.0, 0.2), SR)
    with pytest.warns(UserWarning, match="recording.wav"), pytest.raises(InvalidDatasetError, match="no RAVDESS"):
        load_ravdess(tmp_path, on_invalid="warn")


def test_on_invalid_must_be_known(ravdess_root):
    with pytest.raises(ValueError, match="on_invalid"):
        load_ravdess(ravdess_root, on_invalid="ignore")


def test_missing_folder(tmp_path):
    missing = tmp_path / "nowhere"
    with pytest.raises(FileNotFoundError, match="nowhere"):
        load_ravdess(missing)


def test_file_instead_of_folder(tmp_path):
    path = write_audio(tmp_path / ravdess_name(3), tone(300.0, 0.2), SR)
    with pytest.raises(NotADirectoryError, match=ravdess_name(3).replace(".", r"\.")):
        load_ravdess(path)


def test_empty_folder(tmp_path):
    with pytest.raises(InvalidDatasetError, match="no RAVDESS"):
        load_ravdess(tmp_path)


def test_folder_without_audio(tmp_path):
    (tmp_path / "Actor_01").mkdir()
    (tmp_path / "Actor_01" / "notes.txt").write_text("x")
    with pytest.raises(InvalidDatasetError, match="no RAVDESS"):
        load_ravdess(tmp_path)
