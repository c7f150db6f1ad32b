"""SpeechEmotionClassifier: a skorch classifier over (channels x frames) features."""

from __future__ import annotations

import contextlib
import re

import numpy as np
import torch
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, EpochTimer, LRScheduler, PassthroughScoring, PrintLog
from skorch.dataset import ValidSplit
from skorch.utils import to_tensor
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import (
    check_array,
    check_consistent_length,
    check_is_fitted,
    column_or_1d,
    validate_data,
)

from speechface._validation import check_choice, check_scalar
from speechface.ser.modules import EmotionCNN, EnsembleCrossEntropy
from speechface.utils import resolve_device

_FRAME_NAME = re.compile(r"^(?:v(?P<view>\d+)_)?(?P<channel>.+)_t(?P<frame>\d+)$")


def _silent(*args) -> None:
    """Sink for skorch messages that the classifier does not print."""


def _layout_from_names(names: np.ndarray) -> tuple[int, int]:
    """(views, channels) of ``[v<view>_]<channel>_t<frame>`` column names; (1, 1) if they are not such."""
    matches = [_FRAME_NAME.match(str(name)) for name in names]
    if not all(matches):
        return 1, 1
    return len(dict.fromkeys(m["view"] for m in matches)), len(dict.fromkeys(m["channel"] for m in matches))


class SpeechEmotionClassifier(NeuralNetClassifier):
    """A skorch neural-net classifier of speech emotions over MFCC frames.

    ``X`` is a 2-D array whose rows are (channels x frames) matrices flattened
    channel-major, as :class:`~speechface.MFCCTransformer` writes with
    ``layout="frames"``, or a 3-D array ``(n_clips, channels, frames)``.
    A row may hold several views of the clip (``MFCCTransformer(n_views=...)``,
    column names ``v<view>_<channel>_t<frame>``; or a 4-D array ``(n_clips,
    views, channels, frames)``): training draws one view per clip and step,
    and prediction averages the probabilities over every view.
    Labels may be strings (emotion names) or ints; ``predict`` returns them as given.

    Parameters
    ----------
    module : type of torch.nn.Module, default=EmotionCNN
        The network; it receives ``in_channels``, ``n_frames`` and ``n_classes``
        from the data, and ``module__*`` parameters (e.g. ``module__n_layers``).
    n_channels : "auto" or int, default="auto"
        Rows of each flattened matrix. ``"auto"`` reads them (and the views)
        from column names ``[v<view>_]<channel>_t<frame>`` (a DataFrame from
        ``MFCCTransformer`` with ``set_output(transform="pandas")``), else
        treats each row as one channel of one view.
    criterion : type of torch.nn.Module, default=EnsembleCrossEntropy
        Loss over the module's ``(batch, members, classes)`` logits.
    optimizer : type of torch.optim.Optimizer, default=torch.optim.AdamW
        Optimizer.
    lr : float, default=3e-3
        Learning rate.
    max_epochs : int, default=40
        Epochs to train (at most, with early stopping).
    batch_size : int, default=64
        Mini-batch size.
    train_split : float, callable or None, default=None
        None trains on all data for ``max_epochs``; a float holds out that
        stratified fraction as a validation set for early stopping; a callable
        is used as skorch's ``train_split``.
    patience : int or None, default=10
        With a validation set: stop after this many epochs without a better
        validation loss and keep the best weights; None disables early stopping.
    lr_schedule : {"cosine"} or None, default="cosine"
        ``"cosine"`` anneals the learning rate from ``lr`` towards 0 over
        ``max_epochs`` epochs (torch's ``CosineAnnealingLR``); None keeps it constant.
    class_weight : "balanced", dict or None, default="balanced"
        Loss weight per class: inversely to its frequency, as given, or equal.
    random_state : int, RandomState or None, default=None
        Seeds weight initialisation, shuffling, augmentation and the validation
        split, so that equal seeds give equal fits.
    device : str, default="auto"
        ``"auto"`` uses CUDA when available, else the CPU; or any torch device.
    verbose : int, default=0
        Print a line per epoch when 1.
    **kwargs
        Other skorch parameters (``module__*``, ``optimizer__*``, ``iterator_train__*``,
        ``callbacks``, ``warm_start`` ...).

    Attributes
    ----------
    classes_ : ndarray
        The class labels.
    n_views_ : int
        Views per clip in the input.
    n_channels_ : int
        Channels of the network's input.
    n_frames_ : int
        Frames of the network's input.
    n_features_in_ : int
        Width of the 2-D input seen in ``fit``.
    module_ : torch.nn.Module
        The trained network.
    """

    def __init__(
        self,
        module=EmotionCNN,
        *,
        n_channels="auto",
        criterion=EnsembleCrossEntropy,
        optimizer=torch.optim.AdamW,
        lr: float = 3e-3,
        max_epochs: int = 40,
        batch_size: int = 64,
        train_split=None,
        patience: int | None = 10,
        lr_schedule: str | None = "cosine",
        class_weight: str | dict | None = "balanced",
        random_state=None,
        device: str = "auto",
        verbose: int = 0,
        **kwargs,
    ):
        super().__init__(
            module,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            device=device,
            verbose=verbose,
            **kwargs,
        )
        self.n_channels = n_channels
        self.patience = patience
        self.lr_schedule = lr_schedule
        self.class_weight = class_weight
        self.random_state = random_state

    # -- skorch hooks -------------------------------------------------------------
    @property
    def _default_callbacks(self):
        callbacks = [
            ("epoch_timer", EpochTimer()),
            ("train_loss", PassthroughScoring(name="train_loss", on_train=True)),
            ("valid_loss", PassthroughScoring(name="valid_loss")),
            ("print_log", PrintLog()),
        ]
        if isinstance(self.lr_schedule, str) and self.lr_schedule == "cosine":  # checked in fit
            callbacks.append(
                ("lr_scheduler", LRScheduler(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=self.max_epochs))
            )
        if self.patience is not None and self.train_split is not None:
            callbacks.append(
                ("early_stopping", EarlyStopping(patience=self.patience, load_best=True, sink=_silent))
            )
        return callbacks

    def initialize_module(self):
        kwargs = self.get_params_for("module")
        kwargs.update(in_channels=self.n_channels_, n_frames=self.n_frames_, n_classes=len(self.classes_))
        self.module_ = self.initialized_instance(self.module, kwargs)
        return self

    def initialize_criterion(self):
        kwargs = self.get_params_for("criterion")
        if self.class_weight_ is not None:
            kwargs["weight"] = torch.as_tensor(self.class_weight_, dtype=torch.float32)
        self.criterion_ = self.initialized_instance(self.criterion, kwargs)
        return self

    def initialize_for_inference(self):
        """Initialise everything but the optimizer, which is made when training starts.

        Creating a torch optimizer imports torch's compiler stack (over a second
        of start-up); a model loaded to predict does not need one.

        Returns
        -------
        self : SpeechEmotionClassifier
            The initialised classifier.
        """
        self._initialize_virtual_params()
        self._initialize_callbacks()
        self._initialize_module()
        self._initialize_criterion()
        self._initialize_history()
        self._validate_params()
        self.initialized_ = True
        return self

    def get_split_datasets(self, X, y=None, **fit_params):
        if not isinstance(self.train_split, float):
            return super().get_split_datasets(X, y, **fit_params)
        dataset = self.get_dataset(X, y)
        split = ValidSplit(self.train_split, stratified=True, random_state=self._seed)
        return split(dataset, y, **fit_params)

    def check_data(self, X, y):
        """Labels are checked and encoded in :meth:`fit`; nothing to do here."""

    def get_loss(self, y_pred, y_true, *args, **kwargs):
        return super(NeuralNetClassifier, self).get_loss(y_pred, y_true, *args, **kwargs)

    # -- device="auto" ------------------------------------------------------------
    @contextlib.contextmanager
    def _on_device(self):
        """Resolve ``device="auto"`` for the duration of a call, keeping the parameter."""
        requested = self.device
        self.device = resolve_device(requested)
        try:
            yield
        finally:
            self.device = requested

    def forward_iter(self, X, training=False, device="cpu"):
        with self._on_device():
            yield from super().forward_iter(X, training=training, device=device)

    def __setstate__(self, state):
        requested = state["device"]
        state["device"] = resolve_device(requested)
        super().__setstate__(state)  # falls back to the CPU where CUDA is missing
        if isinstance(requested, str) and requested == "auto":
            self.device = requested

    def set_params(self, **params):
        with self._on_device():  # skorch may re-initialise the module here
            return super().set_params(**params)

    def load_params(self, *args, **kwargs):
        with self._on_device():
            return super().load_params(*args, **kwargs)

    # -- data ---------------------------------------------------------------------
    def _check_params(self) -> None:
        if self.n_channels != "auto":
            check_scalar(self.n_channels, "n_channels", integer=True, min_value=1)
        if not isinstance(self.class_weight, dict):
            check_choice(self.class_weight, "class_weight", ("balanced", None))
        check_scalar(self.patience, "patience", integer=True, min_value=1, allow_none=True)
        check_choice(self.lr_schedule, "lr_schedule", ("cosine", None))
        split = self.train_split
        if not (split is None or callable(split) or (isinstance(split, float) and 0.0 < split < 1.0)):
            raise ValueError(f"train_split must be None, a float in (0, 1) or a callable, got {split!r}")

    def _as_3d(self, X, reset: bool) -> np.ndarray:
        """Validate X and reshape it to (n_clips, channels, frames), or (n_clips, views, channels, frames), float32."""
        if isinstance(X, np.ndarray) and X.ndim in (3, 4):
            X3 = validate_data(self, X.reshape(len(X), -1), reset=reset, dtype=np.float32)
            views, channels = (1, *X.shape[1:2]) if X.ndim == 3 else X.shape[1:3]
            if self.n_channels != "auto" and self.n_channels != channels:
                raise ValueError(f"X has {channels} channels (axis {X.ndim - 2}), but n_channels={self.n_channels!r}")
        else:
            if hasattr(X, "columns") and hasattr(X, "to_numpy"):
                # a DataFrame of thousands of columns: check names and width here, values below,
                # as check_array's per-column dtype checks would take 100 ms for one clip
                validate_data(self, X, reset=reset, skip_check_array=True)
                X3 = check_array(X.to_numpy(), dtype=np.float32)
            else:
                X3 = validate_data(self, X, reset=reset, dtype=np.float32)
            if reset:
                names = getattr(self, "feature_names_in_", None)
                views, channels = (1, 1) if names is None else _layout_from_names(names)
                if self.n_channels != "auto":
                    channels = self.n_channels
            else:
                views, channels = self.n_views_, self.n_channels_
        if not X3.flags.writeable:  # e.g. a view of a copy-on-write DataFrame
            X3 = X3.copy()
        width = X3.shape[1]
        if width % (views * channels):
            raise ValueError(f"X has {width} features, not a multiple of {views} views x n_channels={channels}")
        if reset:
            self.n_views_, self.n_channels_, self.n_frames_ = views, channels, width // (views * channels)
        elif (views, channels) != (self.n_views_, self.n_channels_):
            raise ValueError(f"X has {views} views of {channels} channels, but the classifier was fitted on "
                             f"{self.n_views_} of {self.n_channels_}")
        shape = (self.n_channels_, self.n_frames_) if self.n_views_ == 1 else (self.n_views_, self.n_channels_,
                                                                               self.n_frames_)
        return X3.reshape(len(X3), *shape)

    def infer(self, x, **fit_params):
        """The module's logits; with views, those of one random view per clip in training, of all of them else.

        Predicting, the views' logits are stacked along the members' axis, so
        that the probabilities are averaged over members and views alike.
        """
        x = to_tensor(x, device=self.device)
        if x.dim() != 4:
            return super().infer(x, **fit_params)
        if self.module_.training:
            pick = torch.randint(x.shape[1], (len(x),), device=x.device)
            return super().infer(x[torch.arange(len(x), device=x.device), pick], **fit_params)
        logits = super().infer(x.flatten(0, 1), **fit_params)
        return logits.unflatten(0, x.shape[:2]).flatten(1, 2)

    def _encode(self, y, reset: bool) -> np.ndarray:
        if y is None:
            raise ValueError("SpeechEmotionClassifier requires y to be passed, but the target y is None")
        y = column_or_1d(y, warn=True)
        check_classification_targets(y)
        if reset:
            self.classes_inferred_ = np.unique(y)
        classes = np.asarray(self.classes_)
        order = np.argsort(classes)
        positions = np.searchsorted(classes, y, sorter=order).clip(0, len(classes) - 1)
        codes = order[positions]
        unknown = np.unique(y[classes[codes] != y])
        if unknown.size:
            raise ValueError(f"y contains labels not among the classes {classes.tolist()}: {unknown.tolist()}")
        if reset:
            self.class_weight_ = self._class_weights(classes, y)
        return codes.astype(np.int64)

    def _class_weights(self, classes: np.ndarray, y: np.ndarray) -> np.ndarray | None:
        """Loss weight of each class in ``classes``; 1 for classes absent from ``y``."""
        if self.class_weight is None:
            return None
        present = np.isin(classes, y)
        weights = np.ones(len(classes))
        weights[present] = compute_class_weight(self.class_weight, classes=classes[present], y=y)
        return weights

    @property
    def _seed(self) -> int | None:
        return None if self.random_state is None else int(
            check_random_state(self.random_state).randint(2**31 - 1))

    @contextlib.contextmanager
    def _seeded(self, offset: int = 0):
        """Seed torch from ``random_state`` (plus ``offset``, e.g. epochs already trained)."""
        if self.random_state is None:
            yield
            return
        devices = list(range(torch.cuda.device_count())) if torch.cuda.is_available() else []
        with torch.random.fork_rng(devices=devices):
            torch.manual_seed(self._seed + offset)
            yield

    # -- public API -----------------------------------------------------------------
    def fit(self, X, y, **fit_params):
        """Train the network from scratch (or further, with ``warm_start=True``).

        Parameters
        ----------
        X : array-like of shape (n_clips, n_features) or (n_clips, channels, frames)
            Features, e.g. from :class:`~speechface.MFCCTransformer`.
        y : array-like of shape (n_clips,)
            Emotion labels.
        **fit_params : dict
            Passed to the module's forward.

        Returns
        -------
        self : SpeechEmotionClassifier
            The fitted classifier.
        """
        return self._train(X, y, reset=not (self.warm_start and self.initialized_), **fit_params)

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs, initialising on the first call.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_features) or (n_clips, channels, frames)
            Features.
        y : array-like of shape (n_clips,)
            Emotion labels.
        classes : ignored
            Present for API consistency; classes come from the first call's ``y``.
        **fit_params : dict
            Passed to the module's forward.

        Returns
        -------
        self : SpeechEmotionClassifier
            The updated classifier.
        """
        return self._train(X, y, reset=not self.initialized_, **fit_params)

    def _train(self, X, y, reset: bool, **fit_params):
        """Check and encode the data, (re)initialise when ``reset``, train ``max_epochs``."""
        self._check_params()
        check_consistent_length(X, y)
        codes = self._encode(y, reset=reset)
        X3 = self._as_3d(X, reset=reset)
        # continued training draws new shuffles and masks: the seed moves on with the epochs done
        with self._on_device(), self._seeded(offset=0 if reset else len(self.history)):
            if reset:
                self.initialize()
            elif not hasattr(self, "optimizer_"):  # loaded for inference, now trained further
                self._initialize_optimizer()
            super().partial_fit(X3, codes, **fit_params)
        return self

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, averaged over the ensemble's members.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_features) or (n_clips, channels, frames)
            Features.

        Returns
        -------
        ndarray of shape (n_clips, n_classes)
            Probabilities in the order of ``classes_``.
        """
        check_is_fitted(self)
        X3 = self._as_3d(X, reset=False)
        logits = self.forward(X3, training=False)
        return torch.softmax(logits.float(), dim=-1).mean(dim=1).numpy()

    def predict(self, X) -> np.ndarray:
        """Most probable emotion of each clip.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_features) or (n_clips, channels, frames)
            Features.

        Returns
        -------
        ndarray of shape (n_clips,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return np.asarray(self.classes_)[proba.argmax(axis=1)]

    def __sklearn_is_fitted__(self) -> bool:
        return bool(self.initialized_) and hasattr(self, "n_frames_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags
