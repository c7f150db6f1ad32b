"""The face judge and the scores it gives, on drawn faces."""

import numpy as np
import pytest
import torch
from conftest import drawn_faces

from speechface.metrics import (
    FaceExpressionClassifier,
    conditional_accuracy,
    diversity,
    frechet_distance,
    labels_in_proportion,
    load_face_classifier,
    save_face_classifier,
)

TINY_JUDGE = dict(
    module__width=4, max_epochs=40, batch_size=16, lr=1e-2, train_split=None, patience=None, random_state=0
)


@pytest.fixture(scope="module")
def judge():
    faces, labels = drawn_faces(40)
    return FaceExpressionClassifier(**TINY_JUDGE).fit(faces, labels)


def test_judge_tells_smiles_from_frowns(judge):
    faces, labels = drawn_faces(20, seed=5000)  # unseen faces
    assert judge.score(faces, labels) >= 0.9
    assert judge.classes_.tolist() == ["happy", "sad"]


def test_judge_accepts_flat_rows_and_embeds(judge):
    faces, _ = drawn_faces(3, seed=7000)
    np.testing.assert_array_equal(judge.predict(faces.reshape(len(faces), -1)), judge.predict(faces))
    assert judge.embed(faces).shape == (6, 16)


class _StubGenerator:
    """Draws happy faces for every label: right half the time with classes happy and sad."""

    classes_ = np.array(["happy", "sad"])

    def sample(self, label, n=1, random_state=None, truncation=1.0):
        return drawn_faces(n, emotions=("happy",), seed=9000)[0]


def test_judge_reads_faces_as_the_generator_takes_them(judge):
    faces, _ = drawn_faces(4, seed=7100)
    np.testing.assert_allclose(judge.predict_proba(faces / 255.0), judge.predict_proba(faces), atol=1e-5)
    np.testing.assert_array_equal(judge.predict(faces[..., None]), judge.predict(faces))


@pytest.mark.parametrize(
    "bad, error, message",
    [
        (lambda f: f.astype(np.float64), ValueError, r"float images must be in \[0, 1\]"),
        (lambda f: f[:, :40, :40], ValueError, r"shape \(n, 48, 48\)"),
        (lambda f: f.reshape(len(f), -1)[:, :100], ValueError, "expecting 2304 features"),
        (lambda f: f.astype(np.int16) - 300, ValueError, "0-255"),
        (lambda f: np.where(f > 0, np.nan, 0.5), ValueError, "NaN"),
    ],
)
def test_judge_refuses_what_the_generator_refuses(judge, bad, error, message):
    faces, _ = drawn_faces(2, seed=7200)
    with pytest.raises(error, match=message):
        judge.predict(bad(faces))


def test_conditional_accuracy(judge):
    scores = conditional_accuracy(_StubGenerator(), judge, n_per_class=20)
    assert scores["happy"] >= 0.9 and scores["sad"] <= 0.1
    assert scores["macro"] == pytest.approx((scores["happy"] + scores["sad"]) / 2)


def test_frechet_distance(judge):
    faces, labels = drawn_faces(30, seed=100)
    other, _ = drawn_faces(30, seed=200)
    same = frechet_distance(judge, faces, faces)
    assert abs(same) < 1e-6
    near = frechet_distance(judge, faces, other)
    far = frechet_distance(judge, faces, 255 - other)
    assert 0 < near < far
    assert near == pytest.approx(frechet_distance(judge, other, faces), rel=1e-6)
    with pytest.raises(ValueError, match="more than 16 faces"):
        frechet_distance(judge, faces[:10], other)


def test_labels_in_proportion_follows_the_mix():
    names = labels_in_proportion(["happy"] * 5 + ["sad"] * 2 + [1], 100)
    assert len(names) == 100
    assert dict(zip(*np.unique(names, return_counts=True))) == {"happy": 62, "sad": 25, "disgust": 13}
    assert names.tolist() == sorted(names.tolist(), key=["disgust", "happy", "sad"].index)  # FER_EMOTIONS order
    assert labels_in_proportion([3, 4, 4], 7).tolist() == ["happy"] * 2 + ["sad"] * 5  # 2.33 and 4.67, rounded
    for bad in (0, 2.5, True):
        with pytest.raises(ValueError, match="positive integer"):
            labels_in_proportion(["happy"], bad)
    with pytest.raises(ValueError, match="empty"):
        labels_in_proportion([], 3)


def test_frechet_distance_counts_the_mix_of_emotions(judge):
    faces, labels = drawn_faces(60, seed=400)  # 60 happy, then 60 sad
    reference = np.concatenate([faces[:45], faces[60:75]])  # three happy faces to one sad
    reference_labels = np.concatenate([labels[:45], labels[60:75]])
    other, _ = drawn_faces(60, seed=500)
    mixed = labels_in_proportion(reference_labels, 60)
    index = np.concatenate([np.arange((mixed == "happy").sum()), 60 + np.arange((mixed == "sad").sum())])
    balanced = np.concatenate([other[:30], other[60:90]])
    assert frechet_distance(judge, other[index], reference) < frechet_distance(judge, balanced, reference)


def test_diversity_exposes_collapse(judge):
    faces, labels = drawn_faces(20, seed=300)
    collapsed = np.repeat(faces[[0, 20]], 20, axis=0)
    assert diversity(judge, collapsed, labels) == pytest.approx(0, abs=1e-6)
    assert diversity(judge, faces, labels) > 0.1
    with pytest.raises(ValueError, match="two faces"):
        diversity(judge, faces[:1], labels[:1])


def test_judge_file_round_trip(judge, tmp_path):
    save_face_classifier(judge, tmp_path / "judge.pt")
    assert all(
        isinstance(v, torch.Tensor)
        for v in torch.load(tmp_path / "judge.pt", weights_only=True)["classifier"]["state_dict"].values()
    )
    loaded = load_face_classifier(tmp_path / "judge.pt")
    faces, _ = drawn_faces(5, seed=400)
    np.testing.assert_array_equal(loaded.predict_proba(faces), judge.predict_proba(faces))
    np.testing.assert_array_equal(loaded.embed(faces), judge.embed(faces))
    with pytest.raises(TypeError, match="FaceExpressionClassifier"):
        save_face_classifier(object(), tmp_path / "x.pt")
