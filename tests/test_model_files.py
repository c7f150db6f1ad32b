"""Model files keep their meaning: every parameter stored, old versions migrated, one load entry point."""

import ast
import copy
from pathlib import Path

import numpy as np
import pytest
import torch
from conftest import TINY_GAN, drawn_faces

import speechface
from speechface import MFCCTransformer, pretrained
from speechface.faces import ConditionalFaceGenerator, load_generator, save_generator
from speechface.metrics import load_face_classifier, save_face_classifier
from speechface.ser import EmotionCNN, load_ser_pipeline, save_ser_pipeline
from speechface.ser.persistence import V3_DEFAULTS

PACKAGE = Path(speechface.__file__).parent


def _with_defaults(monkeypatch, function, **defaults) -> None:
    """Change the defaults of some keyword arguments of ``function``, as a later version might."""
    names = [p for p in function.__code__.co_varnames[: function.__code__.co_argcount]]
    if function.__defaults__:
        positional = dict(zip(names[-len(function.__defaults__) :], function.__defaults__))
        changed = tuple(defaults.pop(k, v) for k, v in positional.items())
        monkeypatch.setattr(function, "__defaults__", changed)
    monkeypatch.setattr(function, "__kwdefaults__", {**(function.__kwdefaults__ or {}), **defaults})


def test_a_saved_pipeline_means_the_same_after_the_defaults_change(
    tmp_path, fitted_ser_pipeline, ravdess_xy, monkeypatch
):
    X = ravdess_xy[0]
    save_ser_pipeline(fitted_ser_pipeline, tmp_path / "ser.pt")
    expected = fitted_ser_pipeline.predict_proba(X)
    _with_defaults(monkeypatch, MFCCTransformer.__init__, sr=22050, layout="mean")
    _with_defaults(monkeypatch, EmotionCNN.__init__, normalize=None, kernel_size=3)
    assert MFCCTransformer().sr == 22050  # the defaults did change
    loaded = load_ser_pipeline(tmp_path / "ser.pt")
    assert loaded["mfcc"].sr == 16000 and loaded["cnn"].module__normalize == "mean"
    np.testing.assert_array_equal(loaded.predict_proba(X), expected)


def test_every_parameter_is_stored(tmp_path, fitted_ser_pipeline):
    save_ser_pipeline(fitted_ser_pipeline, tmp_path / "ser.pt")
    state = torch.load(tmp_path / "ser.pt", weights_only=True)
    assert set(state["mfcc_params"]) == set(MFCCTransformer().get_params())
    params = state["classifier"]["params"]
    for name in ("lr", "max_epochs", "class_weight", "module__normalize", "module__kernel_size", "module__crop"):
        assert name in params, name


def _as_version_3(state: dict) -> dict:
    """A version-4 state written as version 3 did: only the parameters that differ from its defaults."""

    def differing(params, defaults):
        return {k: v for k, v in params.items() if k not in defaults or defaults[k] != v}

    classifier = dict(state["classifier"])
    defaults = {**V3_DEFAULTS["classifier"], **V3_DEFAULTS["EmotionCNN"]}
    classifier["params"] = differing(classifier["params"], defaults)
    classifier.pop("class_weight")
    return {
        **state,
        "format_version": 3,
        "mfcc_params": differing(state["mfcc_params"], V3_DEFAULTS["mfcc"]),
        "classifier": classifier,
    }


def test_version_3_files_load_with_the_defaults_they_were_saved_under(
    tmp_path, fitted_ser_pipeline, ravdess_xy, monkeypatch
):
    X = ravdess_xy[0]
    save_ser_pipeline(fitted_ser_pipeline, tmp_path / "v4.pt")
    old = _as_version_3(torch.load(tmp_path / "v4.pt", weights_only=True))
    assert "sr" not in old["mfcc_params"] and "module__normalize" not in old["classifier"]["params"]
    torch.save(old, tmp_path / "v3.pt")
    _with_defaults(monkeypatch, MFCCTransformer.__init__, sr=22050)  # today's defaults do not matter
    _with_defaults(monkeypatch, EmotionCNN.__init__, normalize=None)
    np.testing.assert_array_equal(
        load_ser_pipeline(tmp_path / "v3.pt").predict_proba(X), fitted_ser_pipeline.predict_proba(X)
    )


def test_version_4_files_augmented_every_training_view(tmp_path, fitted_ser_pipeline, monkeypatch):
    save_ser_pipeline(copy.deepcopy(fitted_ser_pipeline).set_params(mfcc__augment_prob=0.25), tmp_path / "v5.pt")
    state = torch.load(tmp_path / "v5.pt", weights_only=True)
    assert state["mfcc_params"]["augment_prob"] == 0.25
    del state["mfcc_params"]["augment_prob"]
    torch.save({**state, "format_version": 4}, tmp_path / "v4.pt")
    _with_defaults(monkeypatch, MFCCTransformer.__init__, augment_prob=0.5)  # as a later default might be
    assert load_ser_pipeline(tmp_path / "v4.pt")["mfcc"].augment_prob == 1.0


def test_the_shipped_files_load_with_the_parameters_they_were_trained_with():
    ser = pretrained.ser()
    assert ser["mfcc"].get_params()["n_mfcc"] is None and ser["mfcc"].duration == 2.5 and ser["mfcc"].vad
    assert ser["cnn"].module__normalize == "mean" and ser["cnn"].module__stem_channels == 4
    generator = pretrained.generator()
    assert generator.architecture == "default" and generator.width == 32 and generator.precision == "bfloat16"
    judge = pretrained.face_judge()
    assert judge.criterion is torch.nn.CrossEntropyLoss and "n_channels" not in judge.get_params()


def test_class_weights_survive_loading_and_further_training(tmp_path, fitted_ser_pipeline, ravdess_xy):
    from speechface.ser.classifier import SpeechEmotionClassifier
    from speechface.utils.persistence import classifier_from_state, classifier_state

    X, y, _ = ravdess_xy
    features = np.asarray(fitted_ser_pipeline["mfcc"].transform(X))
    keep = np.r_[np.flatnonzero(y == "happy"), np.flatnonzero(y == "sad")[:2]]  # sad is rare
    clf = SpeechEmotionClassifier(
        module__width=4, module__n_members=1, module__n_layers=1, module__stem_channels=0, max_epochs=1, random_state=0
    ).fit(features[keep], y[keep])
    assert clf.class_weight_[1] > clf.class_weight_[0]
    loaded = classifier_from_state(
        SpeechEmotionClassifier, classifier_state(clf, {"EmotionCNN": EmotionCNN}), {"EmotionCNN": EmotionCNN}
    )
    np.testing.assert_array_equal(loaded.class_weight_, clf.class_weight_)
    loaded.partial_fit(features[keep], y[keep])
    np.testing.assert_allclose(loaded.criterion_.loss.weight.numpy(), clf.class_weight_)


def test_one_load_for_every_file(tmp_path, fitted_ser_pipeline):
    generator = ConditionalFaceGenerator(**TINY_GAN, checkpoint=tmp_path / "train.pt").fit(*drawn_faces(8))
    speechface.save(fitted_ser_pipeline, tmp_path / "ser.pt")
    speechface.save(generator, tmp_path / "gen.pt")
    speechface.save(pretrained.face_judge(), tmp_path / "judge.pt")
    kinds = {
        name: type(speechface.load(tmp_path / name)).__name__ for name in ("ser.pt", "gen.pt", "judge.pt", "train.pt")
    }
    assert kinds == {
        "ser.pt": "Pipeline",
        "gen.pt": "ConditionalFaceGenerator",
        "judge.pt": "FaceExpressionClassifier",
        "train.pt": "ConditionalFaceGenerator",
    }
    torch.save({"format": "someone.else", "x": 1}, tmp_path / "other.pt")
    with pytest.raises(ValueError, match="'someone.else' file, which speechface cannot load"):
        speechface.load(tmp_path / "other.pt")
    torch.save({"weight": torch.zeros(2)}, tmp_path / "plain.pt")
    with pytest.raises(ValueError, match="no 'format' entry"):
        speechface.load(tmp_path / "plain.pt")
    with pytest.raises(TypeError, match="cannot save a dict"):
        speechface.save({}, tmp_path / "d.pt")


def test_a_saved_generator_means_the_same_after_the_defaults_change(tmp_path, monkeypatch):
    generator = ConditionalFaceGenerator(**{k: v for k, v in TINY_GAN.items() if k != "width"}, width=8)
    generator.set_params(width=32).fit(*drawn_faces(8))  # the default width, so not stored before
    save_generator(generator, tmp_path / "gen.pt")
    _with_defaults(monkeypatch, ConditionalFaceGenerator.__init__, width=64, architecture="residual")
    loaded = load_generator(tmp_path / "gen.pt")
    difference = loaded.sample("sad", 3, random_state=0).astype(int) - generator.sample("sad", 3, random_state=0)
    assert np.abs(difference).max() <= 1  # the same network (memory layouts may round a pixel apart)


def test_a_saved_judge_round_trips(tmp_path):
    judge = pretrained.face_judge()
    save_face_classifier(judge, tmp_path / "judge.pt")
    faces = pretrained.generator().sample(["sad", "happy", "fear"], random_state=0)
    np.testing.assert_array_equal(
        load_face_classifier(tmp_path / "judge.pt").predict_proba(faces), judge.predict_proba(faces)
    )


def _imports(folder: Path) -> set[str]:
    names = set()
    for path in folder.glob("*.py"):
        for node in ast.walk(ast.parse(path.read_text())):
            if isinstance(node, ast.ImportFrom) and node.module:
                names.add(node.module)
            elif isinstance(node, ast.Import):
                names.update(alias.name for alias in node.names)
    return names


@pytest.mark.parametrize("half", ["faces", "metrics"])
def test_the_face_half_never_imports_the_speech_half(half):
    speech = {
        n
        for n in _imports(PACKAGE / half)
        if n.startswith(("speechface.ser", "speechface.features", "speechface.audio"))
    }
    assert not speech, f"speechface/{half} imports {sorted(speech)}"
