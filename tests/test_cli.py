"""The speechface command, run in-process on tiny model files and generated data."""

import numpy as np
import pytest
from PIL import Image

from conftest import TINY_GAN, drawn_faces
from speechface.cli import main
from speechface.cli.evaluate import actor_set
from speechface.faces import ConditionalFaceGenerator, load_generator, save_generator
from speechface.ser import load_ser_pipeline, save_ser_pipeline


@pytest.fixture(scope="module")
def model_files(tmp_path_factory, fitted_ser_pipeline):
    folder = tmp_path_factory.mktemp("models")
    save_ser_pipeline(fitted_ser_pipeline, folder / "ser.pt")
    save_generator(ConditionalFaceGenerator(**TINY_GAN).fit(*drawn_faces(16)), folder / "gen.pt")
    return ["--ser", str(folder / "ser.pt"), "--generator", str(folder / "gen.pt")]


def test_help_of_every_subcommand(capsys):
    for command in ("demo", "generate", "train-ser", "train-gan", "evaluate"):
        with pytest.raises(SystemExit) as exit_info:
            main([command, "--help"])
        assert exit_info.value.code == 0
        assert f"usage: speechface {command}" in capsys.readouterr().out


def test_generate_writes_a_sheet(model_files, ravdess_xy, tmp_path, capsys):
    paths = list(ravdess_xy[0][:3])
    out = tmp_path / "faces.png"
    assert main(["generate", *paths, "-o", str(out), "--n-faces", "2", "--seed", "1", "--quiet", *model_files]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    assert [line.split("\t")[0] for line in lines] == paths
    assert all(line.split("\t")[1] in ("happy", "sad") for line in lines)
    with Image.open(out) as sheet:
        assert sheet.height == 3 * 50 * 2  # three rows of 48 px faces plus padding, doubled


def test_demo_on_the_shipped_clips(model_files, tmp_path, capsys):
    out = tmp_path / "demo.png"
    assert main(["demo", "-o", str(out), "--n-faces", "2", *model_files]) == 0
    printed = capsys.readouterr().out
    for emotion in ("neutral", "calm", "happy", "sad", "angry", "fearful", "disgust", "surprised"):
        assert f" {emotion} " in printed
    assert "clips with a FER twin right" in printed and out.is_file()


@pytest.mark.parametrize(
    "argv, message",
    [
        (["generate", "missing.wav", "-o", "x.png"], "audio file not found: 'missing.wav'"),
        (["evaluate"], "nothing to evaluate"),
        (["evaluate", "--ravdess", "nowhere"], "RAVDESS folder not found"),
        (["train-ser", "nowhere", "-o", "m.pt"], "RAVDESS folder not found"),
        (["train-gan", "nowhere", "-o", "m.pt"], "FER-2013 path not found"),
        (["generate", "x.wav", "-o", "x.png", "--ser", "nope.pt"], "model file not found"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def test_bad_option_values_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "x.wav", "-o", "x.png", "--n-faces", "two"])
    assert exit_info.value.code == 2


def test_train_ser_and_evaluate(ravdess_root, tmp_path, capsys):
    out = tmp_path / "ser.pt"
    assert main(["train-ser", str(ravdess_root), "-o", str(out), "--actors", "1-3", "--quiet"]) == 0
    model = load_ser_pipeline(out)
    assert sorted(model.classes_) == ["happy", "sad"]
    assert main(["evaluate", "--ravdess", str(ravdess_root), "--actors", "3", "--ser", str(out)]) == 0
    assert "acc8" in capsys.readouterr().out


def test_train_gan_from_a_csv(tmp_path, capsys):
    faces, labels = drawn_faces(8)
    codes = np.where(labels == "happy", 3, 4)
    rows = ["emotion,pixels,Usage"] + [f"{c},{' '.join(map(str, f.ravel()))},Training" for f, c in zip(faces, codes)]
    (tmp_path / "fer2013.csv").write_text("\n".join(rows) + "\n")
    out = tmp_path / "gen.pt"
    argv = ["train-gan", str(tmp_path), "-o", str(out), "--epochs", "1", "--width", "4", "--quiet"]
    assert main(argv) == 0
    assert load_generator(out).classes_.tolist() == ["happy", "sad"]


def test_actor_specs():
    assert actor_set("21-24") == {21, 22, 23, 24}
    assert actor_set("1,3,5-6") == {1, 3, 5, 6}
    for bad in ("x", "0-3", "20-30", ""):
        with pytest.raises(ValueError, match="actors"):
            actor_set(bad)
