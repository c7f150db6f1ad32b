"""The speechface command, run in-process on tiny model files and generated data."""

import numpy as np
import pytest
from conftest import TINY_GAN, drawn_faces, write_audio
from long_take import SR, write_long_take
from PIL import Image

from speechface.cli import generate, main
from speechface.cli.evaluate import actor_set
from speechface.exceptions import NoSpeechError
from speechface.faces import ConditionalFaceGenerator, load_generator, save_generator
from speechface.ser import load_ser_pipeline, save_ser_pipeline
from speechface.speech_to_face import SpeechToFace


@pytest.fixture(scope="module")
def model_files(tmp_path_factory, fitted_ser_pipeline):
    folder = tmp_path_factory.mktemp("models")
    save_ser_pipeline(fitted_ser_pipeline, folder / "ser.pt")
    save_generator(ConditionalFaceGenerator(**TINY_GAN).fit(*drawn_faces(16)), folder / "gen.pt")
    return ["--ser", str(folder / "ser.pt"), "--generator", str(folder / "gen.pt")]


def test_help_of_every_subcommand(capsys):
    for command in ("demo", "generate", "timeline", "train-ser", "train-gan", "evaluate"):
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


def test_generate_writes_faces_png_in_a_folder(model_files, ravdess_xy, tmp_path, capsys):
    assert main(["generate", ravdess_xy[0][0], "-o", str(tmp_path), "--n-faces", "1", *model_files]) == 0
    assert capsys.readouterr().out.strip().splitlines()[-1] == f"faces: {tmp_path / 'faces.png'}"
    with Image.open(tmp_path / "faces.png") as sheet:
        assert sheet.format == "PNG"


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
        (["timeline", "missing.wav", "-o", "x.png"], "audio file not found: 'missing.wav'"),
        (["timeline", "x.wav", "-o", "x.png", "--window", "1", "--hop", "2"], "hop must be <= window (1.0 s)"),
        (["generate", "x.wav", "-o", "x.png", "--seed", "-1"], "--seed must be between 0 and 2**32 - 1, got -1"),
    ],
)
def test_user_mistakes_are_one_line_and_exit_2(argv, message, capsys, tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err and len(err.strip().splitlines()) == 1


def _numpy_refuses_a_shape(args):
    np.reshape(np.arange(3), (2, 2))  # a ValueError from inside numpy, not a message of ours


def _builtin_error_in_speechface_code(args):
    from speechface._validation import check_choice

    check_choice(np.arange(3), "mode", ("a", "b"))  # `in` raises on the array: a bug, not a raise of ours


def _missing_key(args):
    return {}["model"]


def _missing_attribute(args):
    return args.no_such_option


@pytest.mark.parametrize(
    "bug, error",
    [
        (_numpy_refuses_a_shape, ValueError),
        (_builtin_error_in_speechface_code, ValueError),
        (lambda args: len(args.audio[0]) + "s", TypeError),
        (_missing_key, KeyError),
        (_missing_attribute, AttributeError),
        (lambda args: 1 / 0, ZeroDivisionError),
    ],
    ids=["numpy", "builtin-in-speechface", "type", "key", "attribute", "zero-division"],
)
def test_internal_errors_are_not_hidden_as_user_mistakes(bug, error, monkeypatch):
    monkeypatch.setattr(generate, "run", bug)
    with pytest.raises(error):
        main(["generate", "x.wav", "-o", "x.png"])


def test_errors_of_speechface_exceptions_are_one_line_and_exit_2(monkeypatch, capsys):
    def no_speech(args):
        raise NoSpeechError("no speech found in 'x.wav'")

    monkeypatch.setattr(generate, "run", no_speech)
    assert main(["generate", "x.wav", "-o", "x.png"]) == 2
    assert capsys.readouterr().err == "speechface generate: error: no speech found in 'x.wav'\n"


def test_keyboard_interrupt_exits_130(monkeypatch, capsys):
    def interrupted(args):
        raise KeyboardInterrupt

    monkeypatch.setattr(generate, "run", interrupted)
    assert main(["generate", "x.wav", "-o", "x.png"]) == 130
    assert capsys.readouterr().err == "speechface generate: interrupted\n"


def test_timeline_draws_a_png_and_prints_each_window(model_files, tmp_path, capsys):
    take = write_long_take(tmp_path / "take.wav", n_clips=2)
    assert main(["timeline", str(take), "-o", str(tmp_path), "--seed", "0", *model_files]) == 0
    lines = capsys.readouterr().out.strip().splitlines()
    ser, generator = (model_files[i] for i in (1, 3))
    expected = SpeechToFace(load_ser_pipeline(ser), load_generator(generator)).timeline(str(take))
    assert len(lines) == len(expected.start) + 1 and lines[-1] == f"timeline: {tmp_path / 'timeline.png'}"
    for line, start, end, emotion in zip(lines, expected.start, expected.end, expected.emotion):
        span, said, p = line.split("\t")
        assert span.split() == [f"{start:.2f}-{end:.2f}", "s"] and said == emotion and 0.5 <= float(p) <= 1
    with Image.open(tmp_path / "timeline.png") as png:
        assert png.format == "PNG" and png.width > 1000 and png.height > 550, png.size
        with_faces = png.size
    out = tmp_path / "plain.png"
    assert main(["timeline", str(take), "-o", str(out), "--no-faces", "--window", "1", "-q", *model_files]) == 0
    assert "timeline:" not in capsys.readouterr().out
    with Image.open(out) as png:
        assert png.width > 1000 and png.height < with_faces[1] - 100  # no row of faces


def test_timeline_of_silence_is_a_one_line_error(model_files, tmp_path, capsys):
    quiet = write_audio(tmp_path / "quiet.wav", np.zeros(3 * SR, np.float32), SR, "PCM_16")
    assert main(["timeline", str(quiet), "-o", str(tmp_path / "t.png"), *model_files]) == 2
    err = capsys.readouterr().err
    assert f"no speech found in '{quiet}'" in err and len(err.strip().splitlines()) == 1
    assert not (tmp_path / "t.png").exists()


def test_bad_option_values_exit_2(capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["generate", "x.wav", "-o", "x.png", "--n-faces", "two"])
    assert exit_info.value.code == 2


@pytest.mark.slow
def test_train_ser_and_evaluate(tmp_path, capsys):
    # real speech in a RAVDESS layout (the demo clips, actors 21-24): the default front end finds it
    import shutil

    from speechface.demo import demo_clips

    root = tmp_path / "speech"
    for path, _ in demo_clips():
        folder = root / f"Actor_{path.stem[-2:]}"
        folder.mkdir(parents=True, exist_ok=True)
        shutil.copy(path, folder / path.name)
    out = tmp_path / "ser.pt"
    assert main(["train-ser", str(root), "-o", str(out), "--actors", "21-23", "--quiet"]) == 0
    model = load_ser_pipeline(out)
    assert len(model.classes_) == 6  # the six emotions of actors 21-23's demo clips
    assert main(["evaluate", "--ravdess", str(root), "--actors", "24", "--ser", str(out)]) == 0
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


def test_demo_soft_faces_and_every_emotion_sheet(model_files, tmp_path, capsys):
    sheet, every = tmp_path / "demo.png", tmp_path / "every.png"
    argv = ["demo", "-o", str(sheet), "--n-faces", "3", "--soft", "--every-emotion", str(every), *model_files]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert f"the same faces in every emotion: {every}" in out
    model = SpeechToFace(load_ser_pipeline(model_files[1]), load_generator(model_files[3]))
    with Image.open(every) as png, Image.open(sheet) as demo:
        assert png.height == 2 * len(model.classes_) * (48 + 2)  # one row per emotion, scale 2
        assert demo.height == 2 * 8 * (48 + 2)  # one row per demo clip


def test_demo_writes_both_sheets_in_folders(model_files, tmp_path, capsys):
    every = tmp_path / "every"
    every.mkdir()
    assert main(["demo", "-o", str(tmp_path), "--n-faces", "1", "--every-emotion", str(every), *model_files]) == 0
    out = capsys.readouterr().out
    assert f"faces: {tmp_path / 'speechface_demo.png'} (" in out
    assert f"the same faces in every emotion: {every / 'every_emotion.png'}" in out
    for png in (tmp_path / "speechface_demo.png", every / "every_emotion.png"):
        with Image.open(png) as sheet:
            assert sheet.format == "PNG"
