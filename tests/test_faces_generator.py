"""ConditionalFaceGenerator on drawn faces: API, determinism, resuming, persistence, bad input."""

import joblib
import numpy as np
import pytest
import torch
from conftest import TINY_GAN, drawn_faces
from sklearn.base import clone
from sklearn.exceptions import NotFittedError

import speechface.faces.generator as generator_module
from speechface.faces import ConditionalFaceGenerator, load_generator, save_generator


@pytest.fixture(scope="module")
def faces():
    return drawn_faces(24)


@pytest.fixture(scope="module")
def fitted(faces):
    return ConditionalFaceGenerator(**TINY_GAN).fit(*faces)


def _weights(gen):
    return {k: v.clone() for k, v in gen.generator_.state_dict().items()}


def test_fit_returns_self_and_learns_state(faces):
    gen = ConditionalFaceGenerator(**TINY_GAN)
    assert gen.fit(*faces) is gen
    assert gen.classes_.tolist() == ["happy", "sad"]
    assert gen.n_images_seen_ == 48 and len(gen.history_) == 1
    assert set(gen.history_[0]) == {"epoch", "d_loss", "g_loss", "images_per_s"}


@pytest.mark.parametrize("label", ["happy", "HAPPY", " Happy", 3, np.int64(3)])
def test_sample_shape_dtype_and_label_forms(fitted, label):
    out = fitted.sample(label, 5, random_state=0)
    assert out.shape == (5, 48, 48) and out.dtype == np.uint8
    np.testing.assert_array_equal(out, fitted.sample("happy", 5, random_state=0))


def test_list_of_labels_gives_one_face_each(fitted):
    out = fitted.sample(["happy", "sad", 4], random_state=1)
    assert out.shape == (3, 48, 48)
    with pytest.raises(ValueError, match="single label"):
        fitted.sample(["happy", "sad"], n=2)


def test_same_seed_same_faces_other_seed_other_faces(fitted):
    a, b = fitted.sample("sad", 4, random_state=7), fitted.sample("sad", 4, random_state=7)
    np.testing.assert_array_equal(a, b)
    assert not np.array_equal(a, fitted.sample("sad", 4, random_state=8))


def test_same_random_state_same_fit(faces, fitted):
    again = ConditionalFaceGenerator(**TINY_GAN).fit(*faces)
    for key, value in _weights(fitted).items():
        torch.testing.assert_close(again.generator_.state_dict()[key], value, rtol=0, atol=0)


def test_n_zero_negative_fractional(fitted):
    assert fitted.sample("happy", 0).shape == (0, 48, 48)
    with pytest.raises(ValueError, match="n must be >= 0"):
        fitted.sample("happy", -1)
    with pytest.raises(TypeError, match="n must be an int"):
        fitted.sample("happy", 2.5)


def test_unknown_and_unfitted_labels(fitted):
    with pytest.raises(ValueError, match="unknown emotion 'joy'"):
        fitted.sample("joy")
    with pytest.raises(ValueError, match="code must be 0-6"):
        fitted.sample(9)
    with pytest.raises(ValueError, match=r"not fitted on \['angry'\]"):
        fitted.sample("angry")
    with pytest.raises(TypeError, match="FER-2013 labels"):
        fitted.sample(True)


def test_sample_before_fit():
    with pytest.raises(NotFittedError):
        ConditionalFaceGenerator().sample("happy")


@pytest.mark.parametrize(
    "images, error, message",
    [
        (np.zeros((4, 32, 32), np.uint8), ValueError, r"shape \(n, 48, 48\), got \(4, 32, 32\)"),
        (np.zeros((4, 2304), np.uint8), ValueError, "shape"),
        (np.zeros((0, 48, 48), np.uint8), ValueError, "empty"),
        (np.full((4, 48, 48), 300, np.int32), ValueError, "0-255"),
        (np.full((4, 48, 48), 2.0, np.float32), ValueError, r"\[0, 1\]"),
        (np.full((4, 48, 48), np.nan, np.float32), ValueError, "NaN"),
        (np.array([["a"] * 48] * 48 * 4).reshape(4, 48, 48), TypeError, "numeric"),
        ("faces.png", TypeError, "array"),
    ],
)
def test_bad_images(images, error, message):
    with pytest.raises(error, match=message):
        ConditionalFaceGenerator(**TINY_GAN).fit(images, ["happy"] * 4)


def test_float_images_in_unit_range_match_uint8(faces):
    images, labels = faces
    a = ConditionalFaceGenerator(**TINY_GAN).fit(images[:16], labels[:16])
    b = ConditionalFaceGenerator(**TINY_GAN).fit(images[:16] / 255.0, labels[:16])
    np.testing.assert_allclose(a.sample("happy", 2, random_state=0), b.sample("happy", 2, random_state=0), atol=1)


def test_bad_labels(faces):
    images, labels = faces
    with pytest.raises(ValueError, match="differ in length"):
        ConditionalFaceGenerator(**TINY_GAN).fit(images, labels[:-1])
    with pytest.raises(ValueError, match="unknown emotion 'joy'"):
        ConditionalFaceGenerator(**TINY_GAN).fit(images, ["joy"] * len(images))


@pytest.mark.parametrize(
    "params, message",
    [
        ({"architecture": "big"}, "architecture"),
        ({"width": 0}, "width"),
        ({"lr": -1.0}, "lr"),
        ({"ema_decay": 1.0}, "ema_decay"),
        ({"batch_size": 2.5}, "batch_size"),
        ({"precision": "half"}, "precision"),
        ({"class_weight": "inverse"}, "class_weight"),
        ({"mode_seeking": -1.0}, "mode_seeking"),
        ({"lecam": -0.3}, "lecam"),
        ({"twin_classifier": "yes"}, "twin_classifier"),
    ],
)
def test_bad_params(faces, params, message):
    with pytest.raises((ValueError, TypeError), match=message):
        ConditionalFaceGenerator(**{**TINY_GAN, **params}).fit(*faces)


@pytest.mark.slow
def test_learns_the_condition():
    # happy faces are bright, sad ones dark: a working conditional GAN draws them so
    rng = np.random.default_rng(0)
    bright = rng.integers(180, 230, (64, 48, 48)).astype(np.uint8)
    dark = rng.integers(20, 70, (64, 48, 48)).astype(np.uint8)
    gen = ConditionalFaceGenerator(**{**TINY_GAN, "width": 8, "max_epochs": 8, "lr": 2e-3, "ema_decay": None})
    gen.fit(np.concatenate([bright, dark]), ["happy"] * 64 + ["sad"] * 64)
    assert gen.sample("happy", 32, random_state=0).mean() > gen.sample("sad", 32, random_state=0).mean() + 40


@pytest.mark.parametrize("class_weight, sad_share", [(None, 0.2), ("balanced", 0.5)])
def test_class_weight_sets_how_often_the_discriminator_sees_each_emotion(faces, class_weight, sad_share, monkeypatch):
    images, labels = faces
    keep = np.flatnonzero(labels == "happy").tolist() + np.flatnonzero(labels == "sad")[:6].tolist()
    seen = []
    losses = ConditionalFaceGenerator._losses

    def counting(self, real, codes, fake_codes, dtype):
        seen.append(codes.clone())
        return losses(self, real, codes, fake_codes, dtype)

    monkeypatch.setattr(ConditionalFaceGenerator, "_losses", counting)
    gen = ConditionalFaceGenerator(**{**TINY_GAN, "batch_size": 6, "max_epochs": 30}, class_weight=class_weight)
    gen.fit(images[keep], labels[keep])  # 24 happy, 6 sad: one face in five is sad
    shown = torch.cat(seen)
    assert len(shown) == 30 * 30
    assert abs((shown == 4).double().mean().item() - sad_share) < 0.05  # FER-2013 code 4: sad


def test_mode_seeking_pairs_emotions_and_spreads_the_faces_of_one(faces, monkeypatch):
    drawn = []
    forward = generator_module.ARCHITECTURES["default"][0].forward

    def recording(self, z, codes):
        drawn.append(codes.clone())
        return forward(self, z, codes)

    with monkeypatch.context() as patch:
        patch.setattr(generator_module.ARCHITECTURES["default"][0], "forward", recording)
        ConditionalFaceGenerator(**TINY_GAN, mode_seeking=1.0).fit(*faces)
    steps = drawn[:3]  # 48 faces in batches of 16 (then sampling's calls)
    assert all(len(c) == 16 and torch.equal(c[:8], c[8:]) for c in steps)  # faces i and 8 + i share an emotion

    def spread(mode_seeking, seed):
        params = {**TINY_GAN, "max_epochs": 10, "random_state": seed}
        happy = ConditionalFaceGenerator(**params, mode_seeking=mode_seeking).fit(*faces).sample("happy", 16, 0)
        happy = happy.reshape(16, -1).astype(float)
        return np.abs(happy[:, None] - happy[None]).mean()

    plain, seeking = (np.mean([spread(w, seed) for seed in range(3)]) for w in (0.0, 20.0))
    assert seeking > plain + 3  # measured: 35.3 and 41.7 grey levels apart


def test_twin_classifier_learns_generated_faces_and_comes_and_goes_on_warm_start(faces, tmp_path):
    plain = ConditionalFaceGenerator(**TINY_GAN, warm_start=True).fit(*faces)
    assert plain.discriminator_.twin is None
    plain.set_params(twin_classifier=True, max_epochs=2).fit(*faces)  # the head is added, and trained
    assert plain.discriminator_.twin.weight in set(plain._optimizers[1].param_groups[0]["params"])
    twin = ConditionalFaceGenerator(**TINY_GAN, twin_classifier=True, checkpoint=tmp_path / "t.pt").fit(*faces)
    before = twin.discriminator_.twin.weight.detach().clone()
    resumed = ConditionalFaceGenerator.from_checkpoint(tmp_path / "t.pt")
    torch.testing.assert_close(resumed.discriminator_.twin.weight, before)
    twin.set_params(warm_start=True, max_epochs=2).fit(*faces)
    assert (twin.discriminator_.twin.weight - before).abs().max() > 1e-4  # it learns the generated faces
    plain.set_params(twin_classifier=False, max_epochs=3).fit(*faces)
    assert plain.discriminator_.twin is None


def test_twin_term_pushes_the_generator_away_from_the_twin_heads_verdict(faces):
    gen = ConditionalFaceGenerator(**TINY_GAN, twin_classifier=True).fit(*faces)
    for opt in gen._optimizers:  # no step changes a weight: both passes see the same networks
        for group in opt.param_groups:
            group["lr"] = 0.0
    twin = gen.discriminator_.twin
    with torch.no_grad():  # a twin head sure of "angry" for every face: a large cross-entropy on the rest
        twin.weight.zero_()
        twin.bias.copy_(torch.where(torch.arange(len(twin.bias)) == 0, 30.0, 0.0))
    real = torch.zeros(8, 1, 48, 48).contiguous(memory_format=torch.channels_last)
    codes = fake_codes = torch.tensor([1, 2, 3, 4, 5, 6, 1, 2])

    def g_loss(with_twin: bool) -> float:
        gen.discriminator_.twin = twin if with_twin else None
        torch.manual_seed(0)
        return gen._losses(real, codes, fake_codes, None)[1]

    # the generator's loss subtracts the twin's cross-entropy (about 30 here): it seeks faces the twin misreads
    assert g_loss(True) == pytest.approx(g_loss(False) - gen.aux_weight * 30.0, abs=0.1)


def test_lecam_penalty_pulls_each_score_toward_the_other_sides_moving_average():
    gen = ConditionalFaceGenerator(**TINY_GAN, lecam=0.3)
    gen._score_means = None
    real, fake = torch.tensor([2.0, 0.0]), torch.tensor([-1.0, -3.0])
    # first batch: the averages are its means, 1 and -2; real scores above -2 and fake below 1 are penalised
    assert gen._lecam_penalty(real, fake).item() == pytest.approx((16 + 4) / 2 + (4 + 16) / 2)
    torch.testing.assert_close(gen._score_means, torch.tensor([1.0, -2.0]))
    # the next batch moves the averages by 1% of the way (decay 0.99); a real score below a_fake costs nothing
    penalty = gen._lecam_penalty(torch.tensor([-5.0, -3.0]), torch.tensor([5.0, 3.0]))
    torch.testing.assert_close(gen._score_means, torch.tensor([0.99 * 1 + 0.01 * -4, 0.99 * -2 + 0.01 * 4]))
    assert penalty.item() == pytest.approx(0.0)


def test_lecam_changes_training_and_its_averages_resume_from_the_checkpoint(faces, tmp_path):
    plain = ConditionalFaceGenerator(**TINY_GAN).fit(*faces)
    path = tmp_path / "lecam.pt"
    regularised = ConditionalFaceGenerator(**TINY_GAN, lecam=1.0, checkpoint=path).fit(*faces)
    assert plain._score_means is None and regularised._score_means.shape == (2,)
    before = plain.discriminator_.state_dict()
    assert any(not torch.equal(v, before[k]) for k, v in regularised.discriminator_.state_dict().items())
    torch.testing.assert_close(ConditionalFaceGenerator.from_checkpoint(path)._score_means, regularised._score_means)


def test_seed_architecture(faces):
    gen = ConditionalFaceGenerator("seed", **TINY_GAN).fit(*faces)
    assert gen.sample("sad", 3).shape == (3, 48, 48)


def test_warm_start_continues_up_to_max_epochs_in_all(faces, fitted):
    gen = clone(fitted).set_params(warm_start=True).fit(*faces)
    before = _weights(gen)
    gen.set_params(max_epochs=3).fit(*faces)
    assert gen.n_images_seen_ == 144 and [h["epoch"] for h in gen.history_] == [1, 2, 3]
    assert any(not torch.equal(before[k], v) for k, v in gen.generator_.state_dict().items())


def test_warm_start_trains_at_the_current_learning_rate(faces):
    gen = ConditionalFaceGenerator(**TINY_GAN, warm_start=True).fit(*faces)
    before = {k: v.detach().clone() for k, v in gen.discriminator_.named_parameters()}
    gen.set_params(lr=1e-30, max_epochs=2).fit(*faces)  # steps far below float32 resolution
    for k, v in gen.discriminator_.named_parameters():
        torch.testing.assert_close(v.detach(), before[k], rtol=0, atol=1e-12)
    gen.set_params(lr=1e-3, max_epochs=3).fit(*faces)
    assert max((v.detach() - before[k]).abs().max() for k, v in gen.discriminator_.named_parameters()) > 1e-4


def test_a_fit_with_nothing_left_to_train_says_so(faces, fitted, tmp_path):
    gen = clone(fitted).set_params(warm_start=True).fit(*faces)
    before = _weights(gen)
    with pytest.warns(UserWarning, match="trained 1 epochs already .max_epochs=1.: nothing to do"):
        gen.fit(*faces)
    assert gen.n_images_seen_ == 48 and all(torch.equal(before[k], v) for k, v in _weights(gen).items())
    path = tmp_path / "ckpt.pt"
    ConditionalFaceGenerator(**TINY_GAN, checkpoint=path).fit(*faces)
    with pytest.warns(UserWarning, match="nothing to do"):  # the same command run again
        again = ConditionalFaceGenerator(**TINY_GAN, checkpoint=path).fit(*faces)
    assert again.n_images_seen_ == 48


def test_resuming_from_a_checkpoint_says_where_and_trains_to_max_epochs(faces, tmp_path, capsys):
    path = tmp_path / "ckpt.pt"
    ConditionalFaceGenerator(**TINY_GAN, checkpoint=path).fit(*faces)
    capsys.readouterr()
    resumed = ConditionalFaceGenerator(**{**TINY_GAN, "max_epochs": 3, "verbose": 1}, checkpoint=path).fit(*faces)
    assert [h["epoch"] for h in resumed.history_] == [1, 2, 3]
    assert f"resuming from '{path}' at epoch 2, step 3, to train until epoch 3" in capsys.readouterr().err


def test_interrupted_fit_resumes_where_an_uninterrupted_one_ends(faces, tmp_path, monkeypatch):
    params = {**TINY_GAN, "max_epochs": 2, "checkpoint_every": 2}
    whole = ConditionalFaceGenerator(**params).fit(*faces)
    path = tmp_path / "ckpt.pt"
    real_save, saves = generator_module.save_checkpoint, []

    def save_then_die(*args, **kwargs):
        real_save(*args, **kwargs)
        saves.append(1)
        if len(saves) == 2:  # killed right after the second checkpoint (step 4 of 6)
            raise KeyboardInterrupt

    monkeypatch.setattr(generator_module, "save_checkpoint", save_then_die)
    with pytest.raises(KeyboardInterrupt):
        ConditionalFaceGenerator(**params, checkpoint=path).fit(*faces)
    monkeypatch.setattr(generator_module, "save_checkpoint", real_save)
    resumed = ConditionalFaceGenerator(**params, checkpoint=path).fit(*faces)
    assert resumed.n_images_seen_ == whole.n_images_seen_
    for key, value in _weights(whole).items():
        torch.testing.assert_close(resumed.generator_.state_dict()[key], value, rtol=0, atol=0)
    assert [p.name for p in tmp_path.iterdir()] == ["ckpt.pt"]


def test_checkpoint_from_another_run_is_refused(faces, tmp_path):
    path = tmp_path / "ckpt.pt"
    ConditionalFaceGenerator(**TINY_GAN, checkpoint=path).fit(*faces)
    with pytest.raises(ValueError, match="different run.*width"):
        ConditionalFaceGenerator(**{**TINY_GAN, "width": 8}, checkpoint=path).fit(*faces)


def test_joblib_round_trip(fitted, tmp_path):
    joblib.dump(fitted, tmp_path / "gen.joblib")
    loaded = joblib.load(tmp_path / "gen.joblib")
    np.testing.assert_array_equal(loaded.sample("sad", 3, random_state=2), fitted.sample("sad", 3, random_state=2))


def test_weights_file_round_trip(fitted, tmp_path):
    save_generator(fitted, tmp_path / "gen.pt")
    state = torch.load(tmp_path / "gen.pt", weights_only=True)
    assert all(isinstance(v, torch.Tensor) for v in state["state_dict"].values())
    loaded = load_generator(tmp_path / "gen.pt")
    assert loaded.get_params() == {**fitted.get_params()}
    np.testing.assert_array_equal(loaded.sample("happy", 3, random_state=2), fitted.sample("happy", 3, random_state=2))
    with pytest.raises(ValueError, match="weights-only"):
        loaded.set_params(warm_start=True).fit(*drawn_faces(2))


def test_weights_file_from_gpu_device_loads_on_cpu(fitted, tmp_path):
    save_generator(fitted, tmp_path / "gen.pt")
    state = torch.load(tmp_path / "gen.pt", weights_only=True)
    state["params"]["device"] = "cuda"
    torch.save(state, tmp_path / "gpu.pt")
    loaded = load_generator(tmp_path / "gpu.pt")
    if not torch.cuda.is_available():
        assert next(loaded.generator_.parameters()).device.type == "cpu"


def test_weights_file_version_and_foreign_files(fitted, tmp_path):
    save_generator(fitted, tmp_path / "gen.pt")
    state = torch.load(tmp_path / "gen.pt", weights_only=True)
    state["format_version"] = 99
    torch.save(state, tmp_path / "future.pt")
    with pytest.raises(ValueError, match="version 99"):
        load_generator(tmp_path / "future.pt")
    (tmp_path / "junk.pt").write_bytes(b"junk")
    with pytest.raises(ValueError, match="junk.pt"):
        load_generator(tmp_path / "junk.pt")
    with pytest.raises(TypeError, match="ConditionalFaceGenerator"):
        save_generator(object(), tmp_path / "x.pt")


def test_from_checkpoint_gives_the_fitted_generator(faces, tmp_path):
    path = tmp_path / "ckpt.pt"
    fitted = ConditionalFaceGenerator(**TINY_GAN, checkpoint=path).fit(*faces)
    restored = ConditionalFaceGenerator.from_checkpoint(path)
    assert restored.get_params() == fitted.get_params() | {"checkpoint": str(path)}
    assert restored.n_images_seen_ == fitted.n_images_seen_ and restored.history_ == fitted.history_
    np.testing.assert_array_equal(restored.sample("sad", 4, random_state=3), fitted.sample("sad", 4, random_state=3))


def test_single_faces_match_batch_statistics(faces):
    # sampling uses batch-norm statistics re-estimated after training, so that one face drawn
    # alone looks like faces drawn in a training batch
    gen = ConditionalFaceGenerator(**{**TINY_GAN, "width": 8, "max_epochs": 3, "lr": 2e-3}).fit(*faces)
    z = torch.randn(256, gen.latent_dim, generator=torch.Generator().manual_seed(1))
    y = torch.full((256,), 3)
    network = gen.generator_
    with torch.no_grad():
        network.train()
        batch_mode = network(z, y)
        network.eval()
        sampled = network(z, y)
    assert abs(batch_mode.mean().item() - sampled.mean().item()) < 0.1
    assert abs(batch_mode.std().item() - sampled.std().item()) < 0.1


def test_compact_checkpoint_without_optimizer_states_resumes(faces, tmp_path):
    from speechface.faces.checkpoint import load_checkpoint, save_checkpoint

    path = tmp_path / "ckpt.pt"
    ConditionalFaceGenerator(**TINY_GAN, checkpoint=path).fit(*faces)
    state = {k: v for k, v in load_checkpoint(path).items() if k not in ("format", "format_version", "optimizers")}
    save_checkpoint(path, state)
    resumed = ConditionalFaceGenerator(**{**TINY_GAN, "max_epochs": 2}, checkpoint=path).fit(*faces)
    assert resumed.n_images_seen_ == 96 and [h["epoch"] for h in resumed.history_] == [1, 2]


@pytest.mark.parametrize("precision, dtype", [("float32", torch.float32), ("bfloat16", torch.bfloat16)])
def test_precision_sets_the_forward_dtype_and_keeps_float32_weights(faces, precision, dtype, monkeypatch):
    seen = []
    real_build = ConditionalFaceGenerator._build

    def build_and_watch(self, device):
        real_build(self, device)
        self._generator.out.register_forward_hook(lambda module, args, out: seen.append(out.dtype))

    monkeypatch.setattr(ConditionalFaceGenerator, "_build", build_and_watch)
    gen = ConditionalFaceGenerator(**TINY_GAN, precision=precision).fit(*faces)
    assert set(seen[: len(faces[0]) // TINY_GAN["batch_size"]]) == {dtype}  # training steps
    assert all(p.dtype == torch.float32 for p in gen.generator_.parameters())
    assert all(p.dtype == torch.float32 for p in gen.discriminator_.parameters())
    assert np.isfinite(gen.history_[0]["d_loss"]) and gen.sample("sad", 2).dtype == np.uint8


def test_auto_precision():
    from speechface.faces.generator import autocast_dtype

    assert autocast_dtype("float32", "cpu") is None and autocast_dtype("bfloat16", "cpu") is torch.bfloat16
    expected = torch.bfloat16 if torch.ops.mkldnn._is_mkldnn_bf16_supported() else None
    assert autocast_dtype("auto", "cpu") is expected


def test_spectral_norm_power_iteration_stays_float32_under_autocast():
    from speechface.faces.modules import ResidualFaceDiscriminator, _Float32SpectralNorm

    disc = ResidualFaceDiscriminator(7, 4)
    conv = disc.features[0].conv1
    assert any(isinstance(h, _Float32SpectralNorm) for h in conv._forward_pre_hooks.values())
    with torch.autocast("cpu", dtype=torch.bfloat16):
        disc(torch.randn(2, 1, 48, 48), torch.tensor([0, 1]))
    assert conv.weight.dtype == torch.float32 and conv.weight_u.dtype == torch.float32


def test_residual_architecture_fits_samples_and_round_trips(faces, tmp_path):
    gen = ConditionalFaceGenerator("residual", **TINY_GAN).fit(*faces)
    assert type(gen.generator_).__name__ == "ResidualFaceGenerator"
    save_generator(gen, tmp_path / "gen.pt")
    np.testing.assert_array_equal(
        load_generator(tmp_path / "gen.pt").sample("sad", 3, random_state=1), gen.sample("sad", 3, random_state=1)
    )


def test_truncation_narrows_the_faces_and_is_checked(fitted):
    spread = {
        psi: fitted.sample("happy", 64, random_state=0, truncation=psi).astype(float).std(axis=0).mean()
        for psi in (1.0, 0.1)
    }
    assert spread[0.1] < 0.5 * spread[1.0]
    np.testing.assert_array_equal(
        fitted.sample("happy", 3, random_state=0, truncation=1.0), fitted.sample("happy", 3, random_state=0)
    )
    for bad in (0, 1.5, "half"):
        with pytest.raises((ValueError, TypeError), match="truncation"):
            fitted.sample("happy", 2, truncation=bad)


def test_one_hot_weights_are_the_hard_label_and_blends_lie_between(fitted):
    hard = fitted.sample("sad", 4, random_state=0)
    np.testing.assert_array_equal(fitted.sample([0.0, 1.0], 4, random_state=0), hard)  # classes_ happy, sad
    np.testing.assert_array_equal(fitted.sample({"sad": 2.0}, 4, random_state=0), hard)
    happy = fitted.sample("happy", 4, random_state=0)
    blend = fitted.sample({"happy": 0.5, "sad": 0.5}, 4, random_state=0)
    np.testing.assert_array_equal(blend, fitted.sample(np.array([[0.5, 0.5]] * 4), random_state=0))
    assert not np.array_equal(blend, hard) and not np.array_equal(blend, happy)


@pytest.mark.parametrize(
    "weights, message",
    [
        ([0.5, -0.5], "non-negative"),
        ([0.0, 0.0], "not all be 0"),
        ([0.2, 0.3, 0.5], "2 values per face"),
        ({"angry": 1.0}, "not fitted on 'angry'"),
        ([np.nan, 1.0], "finite"),
    ],
)
def test_bad_emotion_weights(fitted, weights, message):
    with pytest.raises(ValueError, match=message):
        fitted.sample(weights, 2)


def test_every_emotion_draws_one_face_in_each(fitted):
    grid = fitted.sample_every_emotion(3, random_state=4)
    assert grid.shape == (3, 2, 48, 48) and grid.dtype == np.uint8
    for k, emotion in enumerate(fitted.classes_):
        alone = fitted.sample(emotion, 3, random_state=4).astype(int)
        assert np.abs(grid[:, k].astype(int) - alone).max() <= 1  # the same noise; batch size aside


def test_morph_runs_from_one_emotion_to_the_other(fitted):
    strip = fitted.morph("happy", "sad", n_steps=5, n=2, random_state=6)
    assert strip.shape == (2, 5, 48, 48)
    for step, emotion in ((0, "happy"), (-1, "sad")):
        alone = fitted.sample(emotion, 2, random_state=6).astype(int)
        assert np.abs(strip[:, step].astype(int) - alone).max() <= 1
    assert not np.array_equal(strip[:, 2], strip[:, 0])
    with pytest.raises(ValueError, match="n_steps"):
        fitted.morph("happy", "sad", n_steps=1)
    with pytest.raises(TypeError, match="one emotion"):
        fitted.morph(["happy", "sad"], "sad")


def test_compact_checkpoint_is_small_and_resumes(faces, tmp_path):
    from speechface.faces.checkpoint import compact_checkpoint, load_checkpoint

    path, small = tmp_path / "ckpt.pt", tmp_path / "small.pt"
    ConditionalFaceGenerator(**{**TINY_GAN, "width": 16}, checkpoint=path).fit(*faces)
    compact_checkpoint(path, small)
    assert small.stat().st_size < 0.4 * path.stat().st_size
    state = load_checkpoint(small)
    assert "optimizers" not in state and state["ema"]["start.weight"].dtype == torch.float16
    resumed = ConditionalFaceGenerator(**{**TINY_GAN, "width": 16, "max_epochs": 2}, checkpoint=small).fit(*faces)
    assert [h["epoch"] for h in resumed.history_] == [1, 2]
    assert resumed.generator_.start.weight.dtype == torch.float32
