import numpy as np
import pytest
import torch
from conftest import TINY_SER, tone
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.pipeline import Pipeline
from skorch.callbacks import EpochTimer
from torch import nn

from speechface import MFCCTransformer, make_seed_pipeline, make_ser_pipeline
from speechface.ser import EmotionCNN, load_ser_pipeline, save_ser_pipeline
from speechface.ser.persistence import FORMAT, FORMAT_VERSION
from speechface.utils.persistence import module_defaults as _module_defaults


@pytest.fixture(scope="module")
def saved(tmp_path_factory, fitted_ser_pipeline):
    path = tmp_path_factory.mktemp("model") / "ser.pt"
    save_ser_pipeline(fitted_ser_pipeline, path)
    return path


def test_round_trip_gives_identical_predictions(saved, fitted_ser_pipeline, ravdess_xy):
    X, _, _ = ravdess_xy
    loaded = load_ser_pipeline(saved)
    assert isinstance(loaded, Pipeline)
    assert [name for name, _ in loaded.steps] == ["mfcc", "cnn"]
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted_ser_pipeline.predict_proba(X))
    np.testing.assert_array_equal(loaded.predict(X), fitted_ser_pipeline.predict(X))
    np.testing.assert_array_equal(loaded["cnn"].classes_, fitted_ser_pipeline["cnn"].classes_)


def test_round_trip_keeps_params(saved, fitted_ser_pipeline):
    loaded = load_ser_pipeline(saved)
    original = fitted_ser_pipeline.get_params()
    module_defaults = {f"cnn__{k}": v for k, v in _module_defaults(EmotionCNN).items()}  # now stored explicitly
    for key, value in loaded.get_params().items():
        if key.startswith(("mfcc__", "cnn__")) and isinstance(value, (bool, int, float, str, type(None), type)):
            assert value == original.get(key, module_defaults.get(key)), key
    assert loaded["cnn"].device == "auto"


def test_loaded_pipeline_can_be_saved_again(saved, tmp_path, ravdess_xy):
    X, _, _ = ravdess_xy
    loaded = load_ser_pipeline(saved)
    save_ser_pipeline(loaded, tmp_path / "again.pt")
    np.testing.assert_array_equal(load_ser_pipeline(tmp_path / "again.pt").predict_proba(X), loaded.predict_proba(X))


def test_file_is_plain_weights(saved):
    state = torch.load(saved, map_location="cpu", weights_only=True)
    assert state["format"] == FORMAT and state["format_version"] == FORMAT_VERSION
    assert state["classifier"]["classes"] == ["happy", "sad"]
    assert all(isinstance(v, torch.Tensor) for v in state["classifier"]["state_dict"].values())


def test_no_temporary_files_left(tmp_path, fitted_ser_pipeline):
    save_ser_pipeline(fitted_ser_pipeline, tmp_path / "m.pt")
    assert [p.name for p in tmp_path.iterdir()] == ["m.pt"]


def test_int_labels_round_trip(tmp_path, ravdess_xy):
    X, y, _ = ravdess_xy
    yi = np.where(y == "happy", 3, 4)  # RAVDESS emotion codes as labels
    pipe = make_ser_pipeline(**{**TINY_SER, "cnn__max_epochs": 2}).fit(X, yi)
    save_ser_pipeline(pipe, tmp_path / "int.pt")
    loaded = load_ser_pipeline(tmp_path / "int.pt")
    np.testing.assert_array_equal(loaded["cnn"].classes_, [3, 4])
    assert loaded.predict(X).dtype.kind == "i"
    np.testing.assert_array_equal(loaded.predict(X), pipe.predict(X))


def test_seed_pipeline_round_trip(tmp_path, ravdess_xy):
    X, y, _ = ravdess_xy
    pipe = make_seed_pipeline(mfcc__duration=0.5, mfcc__offset=0.0, cnn__max_epochs=1, cnn__random_state=0)
    pipe.fit(X, y)
    save_ser_pipeline(pipe, tmp_path / "seed.pt")
    loaded = load_ser_pipeline(tmp_path / "seed.pt")
    assert loaded["cnn"].get_params()["optimizer"] is torch.optim.RMSprop
    np.testing.assert_array_equal(loaded.predict_proba(X), pipe.predict_proba(X))


def test_other_format_version(tmp_path, saved):
    state = torch.load(saved, weights_only=True)
    state["format_version"] = FORMAT_VERSION + 1
    path = tmp_path / "future.pt"
    torch.save(state, path)
    with pytest.raises(ValueError, match=f"version {FORMAT_VERSION + 1}"):
        load_ser_pipeline(path)


def test_other_torch_file(tmp_path):
    path = tmp_path / "weights.pt"
    torch.save({"weight": torch.zeros(3)}, path)
    with pytest.raises(ValueError, match="not a speechface"):
        load_ser_pipeline(path)


@pytest.mark.parametrize("content", [b"", b"random bytes \x00\x01\x02" * 10, np.random.default_rng(0).bytes(4096)])
def test_random_file(tmp_path, content):
    path = tmp_path / "junk.pt"
    path.write_bytes(content)
    with pytest.raises(ValueError, match="junk.pt"):
        load_ser_pipeline(path)


def test_pickled_object_is_refused(tmp_path):
    # a pickle with arbitrary objects must not be loaded (weights_only)
    path = tmp_path / "pickle.pt"
    torch.save({"format": FORMAT, "format_version": FORMAT_VERSION, "obj": MFCCTransformer()}, path)
    with pytest.raises(ValueError, match="pickle.pt"):
        load_ser_pipeline(path)


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="absent.pt"):
        load_ser_pipeline(tmp_path / "absent.pt")


class _CustomModule(nn.Module):
    def __init__(self, in_channels, n_frames, n_classes):
        super().__init__()
        self.linear = nn.Linear(in_channels * n_frames, n_classes)

    def forward(self, x):
        return self.linear(x.flatten(1)).unsqueeze(1)


class EmotionCNNLookalike(EmotionCNN):
    """A subclass is not the built-in class either."""


@pytest.mark.parametrize("module", [_CustomModule, EmotionCNNLookalike])
def test_custom_module_is_refused(tmp_path, ravdess_xy, module):
    X, y, _ = ravdess_xy
    params = {k: v for k, v in TINY_SER.items() if not k.startswith("cnn__module__")}
    pipe = make_ser_pipeline(**{**params, "cnn__module": module, "cnn__max_epochs": 1}).fit(X, y)
    path = tmp_path / "custom.pt"
    with pytest.raises(ValueError, match="module"):
        save_ser_pipeline(pipe, path)
    assert not path.exists()
    assert list(tmp_path.iterdir()) == []


def test_callbacks_are_refused(tmp_path, fitted_ser_pipeline):
    pipe = clone(fitted_ser_pipeline).set_params(cnn__callbacks=[("timer", EpochTimer())], cnn__max_epochs=1)
    pipe.fit([tone(1200.0, 0.5), tone(300.0, 0.5)], np.array(["happy", "sad"], dtype=object))
    with pytest.raises(ValueError, match="callbacks"):
        save_ser_pipeline(pipe, tmp_path / "cb.pt")


def test_unfitted_pipeline_is_refused(tmp_path):
    with pytest.raises(NotFittedError):
        save_ser_pipeline(make_ser_pipeline(), tmp_path / "u.pt")


def test_wrong_pipeline_shape_is_refused(tmp_path, fitted_ser_pipeline):
    with pytest.raises(TypeError):
        save_ser_pipeline(fitted_ser_pipeline["cnn"], tmp_path / "x.pt")
    with pytest.raises(TypeError):
        save_ser_pipeline(Pipeline([("a", MFCCTransformer()), ("b", MFCCTransformer())]), tmp_path / "x.pt")


def test_numpy_scalar_params_round_trip(tmp_path, ravdess_xy):
    X, y, _ = ravdess_xy
    pipe = make_ser_pipeline(**{**TINY_SER, "cnn__lr": np.float64(5e-3)}).fit(X, y)
    save_ser_pipeline(pipe, tmp_path / "m.pt")
    loaded = load_ser_pipeline(tmp_path / "m.pt")
    assert loaded["cnn"].lr == 5e-3 and type(loaded["cnn"].lr) is float
    np.testing.assert_allclose(loaded.predict_proba(X), pipe.predict_proba(X), atol=1e-6)


def _as_saved_on_a_gpu(path, out):
    """Copy a torch file with its tensors' locations rewritten to cuda:0, as torch.save on a GPU writes them."""
    import zipfile

    with zipfile.ZipFile(path) as source, zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as target:
        for info in source.infolist():
            data = source.read(info.filename)
            if info.filename.endswith("/data.pkl"):
                assert b"X\x03\x00\x00\x00cpu" in data  # tensor locations, stored as pickled strings
                data = data.replace(b"X\x03\x00\x00\x00cpu", b"X\x06\x00\x00\x00cuda:0")
            target.writestr(info, data)
    return out


@pytest.mark.skipif(torch.cuda.is_available(), reason="checks loading CUDA tensors on a machine without CUDA")
def test_files_saved_on_a_gpu_load_on_the_cpu(saved, tmp_path, fitted_ser_pipeline, ravdess_xy):
    from speechface import pretrained
    from speechface.faces import load_generator, save_generator
    from speechface.metrics import load_face_classifier

    X, _, _ = ravdess_xy
    ser = _as_saved_on_a_gpu(saved, tmp_path / "ser_gpu.pt")
    with pytest.raises(RuntimeError, match="CUDA"):  # what a plain torch.load does with such a file
        torch.load(ser, weights_only=True)
    np.testing.assert_array_equal(load_ser_pipeline(ser).predict(X), fitted_ser_pipeline.predict(X))

    save_generator(pretrained.generator(), tmp_path / "gen.pt")
    generator = load_generator(_as_saved_on_a_gpu(tmp_path / "gen.pt", tmp_path / "gen_gpu.pt"))
    assert next(generator.generator_.parameters()).device.type == "cpu"
    np.testing.assert_array_equal(
        generator.sample("happy", 2, random_state=0), pretrained.generator().sample("happy", 2, random_state=0)
    )

    judge = load_face_classifier(
        _as_saved_on_a_gpu(pretrained.__path__[0] + "/face_judge.pt", tmp_path / "judge_gpu.pt")
    )
    faces = pretrained.generator().sample(["sad", "happy"], random_state=0)
    np.testing.assert_array_equal(judge.predict(faces), pretrained.face_judge().predict(faces))
