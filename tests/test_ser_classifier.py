import io

import joblib
import numpy as np
import pandas as pd
import pytest
import torch
from conftest import TINY_CLF
from expected_failures import EXPECTED_FAILED_CHECKS, expected_failed_checks
from sklearn.base import clone
from sklearn.exceptions import NotFittedError
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.estimator_checks import parametrize_with_checks

from speechface import SpeechEmotionClassifier
from speechface.labels import RAVDESS_EMOTIONS
from speechface.ser import EmotionCNN, SeedCNN
from speechface.ser.augment import crop_frames

N_CH, N_FR = 3, 8


def make_data(n=40, channels=N_CH, frames=N_FR, labels=("sad", "happy"), seed=0):
    """(X, y) of shape (n, channels, frames): noise, plus for the k-th label a strong
    alternating pattern on channel k (the network is shift-invariant over time, so the
    classes differ in which channel oscillates, not in when)."""
    rng = np.random.default_rng(seed)
    y = np.array([labels[i % len(labels)] for i in range(n)], dtype=object)
    X = rng.standard_normal((n, channels, frames)).astype(np.float32)
    alternating = 2.5 * (-1.0) ** np.arange(frames)
    for k, label in enumerate(labels):
        X[y == label, k * channels // len(labels), :] += alternating
    return X, y


def tiny(**params):
    return SpeechEmotionClassifier(**{**TINY_CLF, **params})


@pytest.fixture(scope="module")
def data():
    return make_data()


@pytest.fixture(scope="module")
def fitted(data):
    X, y = data
    return tiny().fit(X, y)


# -- sklearn's estimator checks -------------------------------------------------------

# module__normalize=None: the default per-utterance standardisation treats each row
# of the checks' tabular data as a time series, which (with 2 "frames") leaves only
# the sign of x1 - x0 and makes check_classifiers_train unlearnable; that is a
# modelling choice for speech, not an API property, so the checks use the raw input.
# batch_size=32: the checks' data sets are tiny (check_class_weight_classifiers has
# about 100 rows), so a batch of 64 leaves too few optimiser steps in 10 epochs.
_CHECK_PARAMS = dict(
    module__width=4,
    module__n_members=1,
    module__n_layers=1,
    module__normalize=None,
    max_epochs=10,
    lr=1e-2,
    batch_size=32,
    random_state=0,
)


@parametrize_with_checks(
    [
        SpeechEmotionClassifier(**_CHECK_PARAMS, train_split=None, patience=None),
        SpeechEmotionClassifier(**_CHECK_PARAMS, train_split=0.2, patience=3),  # early stopping
    ],
    expected_failed_checks=expected_failed_checks,
)
def test_sklearn_compatible(estimator, check):
    check(estimator)


@pytest.mark.slow
@parametrize_with_checks([SpeechEmotionClassifier(random_state=0)], expected_failed_checks=expected_failed_checks)
def test_sklearn_compatible_with_the_defaults(estimator, check):
    # about two minutes on one core: the default network, 40 epochs, on every check's data
    check(estimator)


def test_expected_failures_are_documented():
    assert EXPECTED_FAILED_CHECKS, "the dict is imported by the checks above"
    for name, reason in EXPECTED_FAILED_CHECKS.items():
        assert name.startswith("check_") and len(reason) > 40


# -- labels and probabilities ------------------------------------------------------------


def test_string_labels_in_and_out(data, fitted):
    X, y = data
    np.testing.assert_array_equal(fitted.classes_, ["happy", "sad"])
    pred = fitted.predict(X)
    assert pred.shape == (len(X),)
    assert set(pred) <= {"happy", "sad"}
    assert np.mean(pred == y) >= 0.9  # the two classes are easy to tell apart


def test_int_labels_in_and_out(data):
    X, y = data
    yi = np.where(y == "sad", 7, 2)
    clf = tiny().fit(X, yi)
    np.testing.assert_array_equal(clf.classes_, [2, 7])
    pred = clf.predict(X)
    assert pred.dtype.kind == "i"
    assert np.mean(pred == yi) >= 0.9


def test_predict_proba_rows_sum_to_one(data, fitted):
    X, _ = data
    proba = fitted.predict_proba(X)
    assert proba.shape == (len(X), 2)
    assert (proba >= 0).all() and (proba <= 1).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    np.testing.assert_array_equal(fitted.predict(X), fitted.classes_[proba.argmax(axis=1)])


def test_predict_proba_with_an_ensemble(data):
    X, y = data
    clf = tiny(module__n_members=3).fit(X, y)
    proba = clf.predict_proba(X)
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)
    assert clf.module_(torch.as_tensor(X[:2])).shape == (2, 3, 2)  # (batch, members, classes)


def test_many_classes():
    X, y = make_data(n=48, channels=4, labels=RAVDESS_EMOTIONS[:4])
    clf = tiny(max_epochs=15).fit(X, y)
    np.testing.assert_array_equal(clf.classes_, sorted(RAVDESS_EMOTIONS[:4]))
    assert np.mean(clf.predict(X) == y) >= 0.75


@pytest.mark.parametrize("class_weight", ["balanced", None])
def test_classes_parameter_in_non_sorted_order(data, class_weight):
    # skorch's ``classes`` parameter (passed through **kwargs) fixes the label set,
    # e.g. all 8 RAVDESS emotions in their code order, even if some are not in y.
    X, y = data
    clf = tiny(classes=list(RAVDESS_EMOTIONS), class_weight=class_weight, max_epochs=16).fit(X, y)
    assert list(clf.classes_) == list(RAVDESS_EMOTIONS)
    assert clf.predict_proba(X).shape == (len(X), 8)
    assert np.mean(clf.predict(X) == y) >= 0.9


def test_frequency_stem_learns_patterns_in_different_bands():
    X, y = make_data(channels=16)  # the classes oscillate in band 0 and band 8
    clf = tiny(module__stem_channels=4).fit(X, y)
    assert clf.module_.members[0].stem.out_channels == 4 * 4  # 16 bands -> 8 -> 4 rows, 4 maps each
    assert np.mean(clf.predict(X) == y) >= 0.9


def test_crop_frames_takes_spans_of_the_input():
    x = torch.arange(20.0).repeat(64, 3, 1)  # every row counts frames 0..19
    center = crop_frames(x, 0.7, random=False)
    assert center.shape == (64, 3, 14)
    np.testing.assert_array_equal(center[0, 0], np.arange(3, 17))
    torch.manual_seed(0)
    spans = crop_frames(x, 0.7, random=True)
    starts = spans[:, 0, 0]
    np.testing.assert_array_equal(spans, starts[:, None, None] + torch.arange(14.0).expand(64, 3, 14))
    assert set(starts.tolist()) == set(range(7))  # every start from 0 to 20 - 14 occurs in 64 draws
    assert crop_frames(x, 0.01, random=True).shape == (64, 3, 1)


def test_crop_is_random_in_training_and_central_in_prediction():
    torch.manual_seed(0)
    net = EmotionCNN(8, 30, 2, width=4, n_members=1, stem_channels=0, spec_augment=0.0, crop=0.5)
    x = torch.randn(2, 8, 30)
    net.eval()
    edited = x.clone()
    edited[:, :, :7] += 100  # outside the central 15 frames (7..21)
    edited[:, :, 22:] -= 100
    torch.testing.assert_close(net(edited), net(x))
    centre = x[:, :, 7:22] - x[:, :, 7:22].mean(dim=2, keepdim=True)
    torch.testing.assert_close(net(x), net.members[0](centre).unsqueeze(1))
    net.train()
    assert not torch.equal(net(edited), net(x))


@pytest.mark.parametrize("value, error", [(0.0, ValueError), (1.5, ValueError), ("0.9", TypeError)])
def test_crop_range(data, value, error):
    X, y = data
    with pytest.raises(error, match="crop"):
        tiny(module__crop=value).fit(X, y)


def test_cosine_schedule_anneals_the_learning_rate(data):
    X, y = data
    clf = tiny(max_epochs=6, lr=0.01).fit(X, y)
    lrs = clf.history[:, "event_lr"]
    np.testing.assert_allclose(lrs, 0.005 * (1 + np.cos(np.pi * np.arange(6) / 6)), rtol=1e-6)
    constant = tiny(max_epochs=3, lr=0.01, lr_schedule=None).fit(X, y)
    assert "event_lr" not in constant.history[-1]
    assert constant.optimizer_.param_groups[0]["lr"] == 0.01
    with pytest.raises(ValueError, match="lr_schedule"):
        tiny(lr_schedule="linear").fit(X, y)


@pytest.mark.parametrize("again", ["partial_fit", "warm_start"])
def test_each_training_call_is_one_cosine_cycle_from_lr(data, again):
    X, y = data
    clf = tiny(max_epochs=4, lr=0.01)
    cycle = 0.005 * (1 + np.cos(np.pi * np.arange(4) / 4))
    clf.fit(X, y)
    if again == "partial_fit":
        clf.set_params(max_epochs=3).partial_fit(X, y)
    else:
        clf.set_params(warm_start=True, max_epochs=3).fit(X, y)
    lrs = clf.history[:, "event_lr"]
    assert len(lrs) == 7  # trained further, not from scratch
    np.testing.assert_allclose(lrs[:4], cycle, rtol=1e-6)
    np.testing.assert_allclose(lrs[4:], 0.005 * (1 + np.cos(np.pi * np.arange(3) / 3)), rtol=1e-6)


def test_balanced_class_weight(data):
    X, y = data
    y = y.copy()
    y[:6] = "sad"  # imbalanced
    clf = tiny(max_epochs=1).fit(X, y)
    expected = compute_class_weight("balanced", classes=np.array(["happy", "sad"]), y=y)
    np.testing.assert_allclose(clf.criterion_.loss.weight.numpy(), expected, rtol=1e-6)
    assert tiny(max_epochs=1, class_weight=None).fit(X, y).criterion_.loss.weight is None


# -- randomness -----------------------------------------------------------------------


def test_random_state_makes_fits_identical(data, fitted):
    X, y = data
    again = tiny().fit(X, y)
    np.testing.assert_array_equal(again.predict_proba(X), fitted.predict_proba(X))
    for (name, a), (_, b) in zip(again.module_.state_dict().items(), fitted.module_.state_dict().items()):
        assert torch.equal(a, b), name


def test_random_state_with_validation_split_is_reproducible(data):
    X, y = data
    a = tiny(train_split=0.25, patience=2).fit(X, y)
    b = tiny(train_split=0.25, patience=2).fit(X, y)
    np.testing.assert_array_equal(a.predict_proba(X), b.predict_proba(X))
    assert a.history[:, "valid_loss"] == b.history[:, "valid_loss"]


def test_different_seeds_differ(data, fitted):
    X, y = data
    other = tiny(random_state=1).fit(X, y)
    assert not np.allclose(other.predict_proba(X), fitted.predict_proba(X))


def test_fit_does_not_change_global_torch_rng(data):
    X, y = data
    torch.manual_seed(123)
    expected = torch.rand(3)
    torch.manual_seed(123)
    tiny(max_epochs=1).fit(X, y)
    np.testing.assert_array_equal(torch.rand(3), expected)


# -- input types and shapes ---------------------------------------------------------------


def test_float64_and_int_inputs(data, fitted):
    X, y = data
    X2 = X.reshape(len(X), -1)
    from64 = tiny(n_channels=N_CH).fit(X2.astype(np.float64), y)  # same network as from float32
    np.testing.assert_array_equal(from64.predict_proba(X2.astype(np.float64)), fitted.predict_proba(X))
    Xi = np.round(X2 * 10).astype(np.int64)
    clf = tiny().fit(Xi, y)
    assert clf.predict(Xi).shape == (len(X),)
    np.testing.assert_allclose(clf.predict_proba(Xi), clf.predict_proba(Xi.astype(np.float32)))


def test_3d_input(data, fitted):
    X, _ = data
    assert (fitted.n_channels_, fitted.n_frames_, fitted.n_features_in_) == (N_CH, N_FR, N_CH * N_FR)
    # the 2-D form is the 3-D one flattened channel-major
    np.testing.assert_array_equal(fitted.predict_proba(X.reshape(len(X), -1)), fitted.predict_proba(X))


def test_2d_ndarray_is_one_channel_unless_told(data):
    X, y = data
    X2 = X.reshape(len(X), -1)
    one = tiny(max_epochs=1).fit(X2, y)
    assert (one.n_channels_, one.n_frames_) == (1, N_CH * N_FR)
    told = tiny(n_channels=N_CH).fit(X2, y)
    assert (told.n_channels_, told.n_frames_) == (N_CH, N_FR)


def test_n_channels_inferred_from_dataframe_columns(data, fitted):
    X, y = data
    columns = [f"mfcc{c}_t{t}" for c in range(N_CH) for t in range(N_FR)]
    df = pd.DataFrame(X.reshape(len(X), -1), columns=columns)
    clf = tiny().fit(df, y)
    assert (clf.n_channels_, clf.n_frames_) == (N_CH, N_FR)
    np.testing.assert_array_equal(clf.feature_names_in_, columns)
    # same layout, same seed: the same network as from the 3-D array
    np.testing.assert_allclose(clf.predict_proba(df), fitted.predict_proba(X), rtol=1e-5, atol=1e-6)
    # the fast name check at predict time still refuses other names and another order, naming the mismatch
    with pytest.raises(ValueError, match="unseen at fit time"):
        clf.predict(df.rename(columns={columns[-1]: "bogus"}))
    with pytest.raises(ValueError, match="same order"):
        clf.predict(df[columns[::-1]])


def _member_proba(clf, X3):
    with torch.no_grad():
        return torch.softmax(clf.module_.eval()(torch.as_tensor(X3)), dim=-1).mean(dim=1).numpy()


def test_views_averaged_when_predicting(data):
    X, y = data
    rng = np.random.default_rng(1)
    other = X + rng.standard_normal(X.shape).astype(np.float32)
    X4 = np.stack([X, other], axis=1)  # (clips, 2 views, channels, frames)
    clf = tiny().fit(X4, y)
    assert (clf.n_views_, clf.n_channels_, clf.n_frames_) == (2, N_CH, N_FR)
    expected = (_member_proba(clf, X) + _member_proba(clf, other)) / 2
    np.testing.assert_allclose(clf.predict_proba(X4), expected, rtol=1e-5, atol=1e-6)
    with pytest.raises(ValueError, match="expecting 48 features"):
        clf.predict_proba(X)  # one view where the classifier was fitted on two


def test_training_draws_one_view_per_clip_and_step(data):
    X, y = data
    # view 0 holds the signal, view 1 pure noise: drawing a view per clip and step, training still learns
    X4 = np.stack([X, np.random.default_rng(2).standard_normal(X.shape).astype(np.float32)], axis=1)
    clf = tiny(max_epochs=20).fit(X4, y)
    assert np.mean(clf.predict(np.stack([X, X], axis=1)) == y) > 0.9
    clf.module_.train()
    with torch.no_grad(), clf._on_device():
        assert clf.infer(torch.as_tensor(X4)).shape == (len(X), 1, 2)  # one view's logits in training


def test_views_inferred_from_dataframe_columns(data):
    X, y = data
    X4 = np.stack([X, X[::-1]], axis=1)
    columns = [f"v{v}_mel{c}_t{t}" for v in range(2) for c in range(N_CH) for t in range(N_FR)]
    clf = tiny(max_epochs=1).fit(pd.DataFrame(X4.reshape(len(X), -1), columns=columns), y)
    assert (clf.n_views_, clf.n_channels_, clf.n_frames_) == (2, N_CH, N_FR)


def test_dataframe_with_other_column_names_is_one_channel(data):
    X, y = data
    df = pd.DataFrame(X.reshape(len(X), -1), columns=[f"f{i}" for i in range(N_CH * N_FR)])
    clf = tiny(max_epochs=1).fit(df, y)
    assert (clf.n_channels_, clf.n_frames_) == (1, N_CH * N_FR)


def test_single_frame_input_gives_finite_probabilities(data):
    # e.g. MFCCTransformer(layout="mean") features with n_channels set to their width:
    # one frame per clip; the default per-utterance normalisation must not produce NaN
    X, y = data
    means = X.mean(axis=2)  # (n, channels): one frame
    clf = tiny(n_channels=N_CH).fit(means, y)
    assert clf.n_frames_ == 1
    assert np.isfinite(clf.history[:, "train_loss"]).all()
    proba = clf.predict_proba(means)
    assert np.isfinite(proba).all()
    np.testing.assert_allclose(proba.sum(axis=1), 1.0, atol=1e-5)


def test_width_not_multiple_of_n_channels(data):
    X, y = data
    with pytest.raises(ValueError, match="n_channels"):
        tiny(n_channels=5).fit(X.reshape(len(X), -1), y)


def test_wrong_width_at_predict(data, fitted):
    X, _ = data
    with pytest.raises(ValueError, match="features"):
        fitted.predict(X.reshape(len(X), -1)[:, :-1])
    with pytest.raises(ValueError, match="features"):
        fitted.predict_proba(np.zeros((2, N_CH * N_FR + N_FR), np.float32))


def test_wrong_channels_at_predict(data, fitted):
    with pytest.raises(ValueError, match="channels"):
        fitted.predict(np.zeros((2, N_CH + 1, N_FR * N_CH // (N_CH + 1)), np.float32))


def test_nan_input_rejected(data):
    X, y = data
    X = X.copy()
    X[0, 0, 0] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        tiny().fit(X, y)


@pytest.mark.parametrize(
    "params, name",
    [
        (dict(n_channels=0), "n_channels"),
        (dict(class_weight="inverse"), "class_weight"),
        (dict(patience=0), "patience"),
        (dict(train_split=1.5), "train_split"),
    ],
)
def test_bad_params(data, params, name):
    X, y = data
    with pytest.raises(ValueError, match=name):
        tiny(**params).fit(X, y)


# -- fitting ------------------------------------------------------------------------------


def test_max_epochs_and_history(data, fitted):
    assert len(fitted.history) == TINY_CLF["max_epochs"]
    assert all(np.isfinite(fitted.history[:, "train_loss"]))


def test_early_stopping_records_validation_loss(data):
    X, y = data
    clf = tiny(train_split=0.25, patience=2, max_epochs=40, lr=5e-2).fit(X, y)
    assert 1 <= len(clf.history) <= 40
    assert all(np.isfinite(clf.history[:, "valid_loss"]))


def test_partial_fit_continues_training(data):
    X, y = data
    clf = tiny(max_epochs=2).partial_fit(X, y)
    before = {k: v.clone() for k, v in clf.module_.state_dict().items()}
    clf.partial_fit(X, y)
    assert len(clf.history) == 4
    assert any(not torch.equal(before[k], v) for k, v in clf.module_.state_dict().items())


def test_partial_fit_calls_draw_new_shuffles(data, monkeypatch):
    # each call moves the seed on by the epochs done, instead of replaying the first call's shuffles
    X, y = data
    seeds, real_seed = [], torch.manual_seed
    monkeypatch.setattr(torch, "manual_seed", lambda seed: seeds.append(seed) or real_seed(seed))
    clf = tiny(max_epochs=2).partial_fit(X, y)
    clf.partial_fit(X, y)
    assert len(seeds) == 2 and seeds[1] == seeds[0] + 2


def test_three_d_input_must_match_n_channels(data):
    X, y = data
    X3 = np.asarray(X, dtype=np.float32).reshape(len(X), -1)[:, None, :]
    with pytest.raises(ValueError, match="n_channels=2"):
        tiny(n_channels=2).fit(X3, y)


def test_unseen_label_in_partial_fit(data):
    X, y = data
    clf = tiny(max_epochs=1).partial_fit(X, y)
    with pytest.raises(ValueError, match="angry"):
        clf.partial_fit(X[:4], np.array(["angry", "sad", "sad", "happy"], dtype=object))


def test_refit_resets(data):
    X, y = data
    clf = tiny(max_epochs=2).fit(X, y)
    yi = np.where(y == "sad", 0, 1)
    clf.fit(X.reshape(len(X), -1)[:, : N_FR * 2], yi)  # other width, other labels
    np.testing.assert_array_equal(clf.classes_, [0, 1])
    assert clf.n_features_in_ == 2 * N_FR and len(clf.history) == 2


def test_verbose(data, capsys):
    X, y = data
    tiny(max_epochs=2).fit(X, y)
    assert capsys.readouterr().out == ""
    tiny(max_epochs=2, verbose=1).fit(X, y)
    assert "train_loss" in capsys.readouterr().out


def test_seed_cnn_module():
    X, y = make_data(n=20, channels=1, frames=32)
    clf = SpeechEmotionClassifier(module=SeedCNN, max_epochs=2, train_split=None, random_state=0)
    clf.fit(X[:, 0, :], y)  # 1 channel, 32 frames
    assert isinstance(clf.module_, SeedCNN)
    assert clf.predict_proba(X[:, 0, :]).shape == (20, 2)


# -- device, fitted state, persistence --------------------------------------------------------


def test_device_auto_is_kept(data, fitted):
    X, _ = data
    assert fitted.get_params()["device"] == "auto"
    fitted.predict(X)
    assert fitted.device == "auto" and fitted.get_params()["device"] == "auto"
    expected = "cuda" if torch.cuda.is_available() else "cpu"
    assert next(fitted.module_.parameters()).device.type == expected


def test_predict_before_fit_is_not_fitted_error(data):
    X, _ = data
    with pytest.raises(NotFittedError):
        tiny().predict_proba(X)
    with pytest.raises(NotFittedError):
        tiny().predict(X)


def test_joblib_round_trip(data, fitted):
    X, _ = data
    buffer = io.BytesIO()
    joblib.dump(fitted, buffer)
    buffer.seek(0)
    loaded = joblib.load(buffer)
    np.testing.assert_array_equal(loaded.predict_proba(X), fitted.predict_proba(X))
    np.testing.assert_array_equal(loaded.classes_, fitted.classes_)
    assert loaded.get_params()["device"] == "auto"


def test_clone(data, fitted):
    X, y = data
    copy = clone(fitted)
    assert copy.get_params()["module__width"] == TINY_CLF["module__width"]
    assert {k: v for k, v in copy.get_params().items() if not k.startswith("_")}.keys() == {
        k for k in fitted.get_params() if not k.startswith("_")
    }
    assert not hasattr(copy, "n_frames_")
    with pytest.raises(NotFittedError):
        copy.predict_proba(X)
    np.testing.assert_array_equal(copy.fit(X, y).predict_proba(X), fitted.predict_proba(X))


def test_set_params_module_param(data):
    X, y = data
    clf = tiny().set_params(module__n_layers=2, module__width=6)
    clf.fit(X, y)
    n_convs = sum(isinstance(m, torch.nn.Conv1d) for m in clf.module_.modules())
    assert n_convs == 2
    assert clf.module_.members[0].features[0].out_channels == 6


def test_set_params_on_fitted_keeps_device_auto(data):
    X, y = data
    clf = tiny().fit(X, y)
    clf.set_params(module__dropout=0.2)  # skorch re-initialises the module here
    assert clf.get_params()["device"] == "auto"
    assert clf.module_.members[0].head[0].p == 0.2


@pytest.mark.parametrize("value, error", [(-0.1, ValueError), (1.0, ValueError), ("0.1", TypeError)])
def test_spec_augment_range(data, value, error):
    X, y = data
    with pytest.raises(error, match="spec_augment"):
        tiny(module__spec_augment=value).fit(X, y)
