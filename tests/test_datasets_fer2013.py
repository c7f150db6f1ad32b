"""load_fer2013 on tiny generated CSVs and image folders in both FER-2013 forms."""

import numpy as np
import pytest
from conftest import draw_face
from PIL import Image

from speechface.datasets import load_fer2013
from speechface.labels import FER_EMOTIONS


def _faces(n: int) -> np.ndarray:
    return np.stack([draw_face("happy" if i % 2 else "sad", seed=i) for i in range(n)])


def _write_csv(path, faces, codes, usages, header="emotion,pixels,Usage"):
    lines = [header] + [f"{c},{' '.join(map(str, f.ravel()))},{u}" for f, c, u in zip(faces, codes, usages)]
    path.write_text("\n".join(lines) + "\n")
    return path


@pytest.fixture
def fer_csv(tmp_path):
    faces = _faces(9)
    codes = [0, 1, 2, 3, 4, 5, 6, 3, 4]
    usages = ["Training"] * 5 + ["PublicTest", "PrivateTest", "Training", "PrivateTest"]
    return _write_csv(tmp_path / "fer2013.csv", faces, codes, usages), faces, np.array(codes), usages


def _write_folders(root, faces, codes, suffix=".png"):
    for split in ("train", "test"):
        for emotion in FER_EMOTIONS:
            (root / split / emotion).mkdir(parents=True, exist_ok=True)
    for i, (face, code) in enumerate(zip(faces, codes)):
        split = "train" if i < 5 else "test"
        Image.fromarray(face).save(root / split / FER_EMOTIONS[code] / f"{split}_{i:03d}{suffix}")
    return root


def test_csv_reads_images_targets_and_splits(fer_csv):
    path, faces, codes, usages = fer_csv
    bunch = load_fer2013(path)
    np.testing.assert_array_equal(bunch.images, faces)
    np.testing.assert_array_equal(bunch.target, codes)
    assert bunch.images.dtype == np.uint8 and bunch.images.shape == (9, 48, 48)
    assert bunch.split.tolist() == ["train" if u == "Training" else "test" for u in usages]
    assert bunch.target_names == list(FER_EMOTIONS)
    assert bunch.source[0].endswith("fer2013.csv:2")


def test_csv_folder_and_split_filter(fer_csv):
    path, faces, codes, usages = fer_csv
    train = load_fer2013(path.parent, split="train")
    expected = [i for i, u in enumerate(usages) if u == "Training"]
    np.testing.assert_array_equal(train.images, faces[expected])
    images, target = load_fer2013(path, split="test", return_X_y=True)
    np.testing.assert_array_equal(target, codes[[i for i, u in enumerate(usages) if u != "Training"]])


def test_image_folders_lossless(tmp_path):
    faces, codes = _faces(8), np.array([0, 1, 2, 3, 4, 5, 6, 6])
    root = _write_folders(tmp_path, faces, codes)
    bunch = load_fer2013(root)
    assert sorted(bunch.split.tolist()) == ["test"] * 3 + ["train"] * 5
    for face, code, source in zip(bunch.images, bunch.target, bunch.source):
        i = int(source.rsplit("_", 1)[1][:3])
        np.testing.assert_array_equal(face, faces[i])
        assert code == codes[i]
    assert len(load_fer2013(root, split="test").images) == 3


def test_jpeg_folders(tmp_path):
    faces, codes = _faces(6), np.arange(6)
    bunch = load_fer2013(_write_folders(tmp_path, faces, codes, ".jpg"), split="train")
    assert bunch.images.shape == (5, 48, 48)
    assert np.abs(bunch.images.astype(int) - faces[:5].astype(int)).mean() < 8  # JPEG is lossy


def test_colour_image_is_converted_to_gray(tmp_path):
    root = _write_folders(tmp_path, _faces(2), [3, 4])
    rgb = np.stack([draw_face("happy", 7)] * 3, axis=-1)
    Image.fromarray(rgb).save(root / "train" / "happy" / "rgb.png")
    bunch = load_fer2013(root, split="train")
    np.testing.assert_array_equal(
        bunch.images[bunch.source == str(root / "train" / "happy" / "rgb.png")][0], draw_face("happy", 7)
    )


@pytest.mark.parametrize(
    "row, message",
    [
        ("3,1 2 3,Training", r"line 3: expected 2304 pixel values"),
        ("9," + " ".join(["0"] * 2304) + ",Training", r"line 3: emotion code 9"),
        ("x," + " ".join(["0"] * 2304) + ",Training", r"line 3: emotion must be an int"),
        ("3," + " ".join(["300"] * 2304) + ",Training", r"line 3: .*0-255"),
        ("3," + " ".join(["0"] * 2304) + ",Validation", r"line 3: Usage"),
    ],
)
def test_malformed_csv_row_is_named(tmp_path, row, message):
    path = _write_csv(tmp_path / "fer2013.csv", _faces(1), [3], ["Training"])
    path.write_text(path.read_text() + row + "\n")
    with pytest.raises(ValueError, match=message):
        load_fer2013(path)


def test_csv_without_columns(tmp_path):
    path = tmp_path / "other.csv"
    path.write_text("a,b\n1,2\n")
    with pytest.raises(ValueError, match="not a FER-2013 CSV"):
        load_fer2013(path)


def test_bad_image_is_named(tmp_path):
    root = _write_folders(tmp_path, _faces(2), [3, 4])
    (root / "train" / "sad" / "broken.jpg").write_bytes(b"not an image")
    with pytest.raises(ValueError, match="broken.jpg"):
        load_fer2013(root)


def test_wrong_size_image_is_named(tmp_path):
    root = _write_folders(tmp_path, _faces(2), [3, 4])
    Image.fromarray(np.zeros((64, 64), np.uint8)).save(root / "test" / "fear" / "big.png")
    with pytest.raises(ValueError, match=r"big.png.*64x64"):
        load_fer2013(root)


def test_missing_emotion_folder(tmp_path):
    root = _write_folders(tmp_path, _faces(2), [3, 4])
    (root / "train" / "disgust").rmdir()
    with pytest.raises(ValueError, match="disgust"):
        load_fer2013(root)


def test_missing_and_unrecognised_paths(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent"):
        load_fer2013(tmp_path / "absent")
    with pytest.raises(ValueError, match="neither fer2013.csv nor"):
        load_fer2013(tmp_path)
    with pytest.raises(ValueError, match="split"):
        load_fer2013(tmp_path, split="validation")
