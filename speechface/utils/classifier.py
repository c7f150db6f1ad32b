"""TorchClassifier: the skorch core the speech-emotion and face-expression classifiers share.

Label encoding (any labels in, the same labels out), class weights, seeding
from ``random_state``, ``device="auto"``, a stratified validation split for
early stopping, a cosine learning-rate cycle per training call, and
initialisation for inference only (a loaded model needs no optimizer). The
subclasses say how their input is checked and shaped (``_check_X``) and which
shape arguments their network takes (``_module_shape``).
"""

from __future__ import annotations

import contextlib

import numpy as np
import torch
from sklearn.utils import check_random_state
from sklearn.utils.class_weight import compute_class_weight
from sklearn.utils.multiclass import check_classification_targets
from sklearn.utils.validation import check_consistent_length, check_is_fitted, column_or_1d
from skorch import NeuralNetClassifier
from skorch.callbacks import EarlyStopping, EpochTimer, LRScheduler, PassthroughScoring, PrintLog
from skorch.dataset import ValidSplit

from speechface._validation import check_choice, check_scalar
from speechface.utils.device import resolve_device


def _silent(*args) -> None:
    """Sink for skorch messages that the classifier does not print."""


class CosineCycle(LRScheduler):
    """Cosine annealing of the learning rate from ``lr`` towards 0 over each training call.

    Every ``fit``, ``partial_fit`` or warm-start ``fit`` is one cycle of its
    own ``max_epochs`` epochs, starting again at ``lr`` (a warm restart), so
    that continued training is not stuck near a learning rate of zero, nor
    climbing back up a cosine that ran past its end.
    """

    def __init__(self):
        super().__init__(torch.optim.lr_scheduler.CosineAnnealingLR, T_max=1, last_epoch=-1)

    def on_train_begin(self, net, **kwargs):
        for group in net.optimizer_.param_groups:
            group["lr"] = group["initial_lr"] = net.lr
        self.T_max = net.max_epochs  # skorch passes the callback's attributes to the scheduler
        super().on_train_begin(net, **kwargs)


class TorchClassifier(NeuralNetClassifier):
    """The shared core of speechface's skorch classifiers (not used directly).

    Parameters
    ----------
    module : type of torch.nn.Module
        The network; it receives the subclass's shape arguments, ``n_classes``
        and the ``module__*`` parameters.
    criterion : type of torch.nn.Module
        Loss; it receives ``weight`` when ``class_weight`` is set.
    optimizer : type of torch.optim.Optimizer
        Optimizer.
    lr : float
        Learning rate.
    max_epochs : int
        Epochs each training call runs (at most, with early stopping).
    batch_size : int
        Mini-batch size.
    train_split : float, callable or None
        None trains on all data; a float holds out that stratified fraction
        for early stopping; a callable is used as skorch's ``train_split``.
    patience : int or None
        With a validation set: stop after this many epochs without a better
        validation loss and keep the best weights; None disables it.
    lr_schedule : {"cosine"} or None
        ``"cosine"``: each training call anneals the learning rate from ``lr``
        towards 0 over its ``max_epochs`` (:class:`CosineCycle`); None keeps it constant.
    class_weight : "balanced", dict or None
        Loss weight per class: inversely to its frequency, as given, or equal.
    random_state : int, RandomState or None
        Seeds initialisation, shuffling, augmentation and the validation split.
    device : str
        ``"auto"`` uses CUDA when available, else the CPU; or any torch device.
    verbose : int
        Print a line per epoch when 1.
    **kwargs
        Other skorch parameters.
    """

    def __init__(
        self,
        module,
        *,
        criterion,
        optimizer,
        lr,
        max_epochs,
        batch_size,
        train_split,
        patience,
        lr_schedule,
        class_weight,
        random_state,
        device,
        verbose,
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
        self.patience = patience
        self.lr_schedule = lr_schedule
        self.class_weight = class_weight
        self.random_state = random_state

    # -- what a subclass says --------------------------------------------------------
    def _check_X(self, X, reset: bool) -> np.ndarray:
        """Validate ``X`` (learning its shape when ``reset``) and return the network's float32 input."""
        raise NotImplementedError

    def _module_shape(self) -> dict:
        """The shape arguments of the network, learnt from the data."""
        raise NotImplementedError

    def _shape_state(self) -> dict:
        """The learnt input shape, as plain values for a model file."""
        return {}

    def _restore_shape(self, state: dict) -> None:
        """Set the learnt input shape from :meth:`_shape_state`."""

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
            callbacks.append(("lr_scheduler", CosineCycle()))
        if self.patience is not None and self.train_split is not None:
            callbacks.append(("early_stopping", EarlyStopping(patience=self.patience, load_best=True, sink=_silent)))
        return callbacks

    def initialize_module(self):
        kwargs = self.get_params_for("module")
        kwargs.update(self._module_shape(), n_classes=len(self.classes_))
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
        self : TorchClassifier
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

    # -- labels and seeds -----------------------------------------------------------
    def _check_params(self) -> None:
        if not isinstance(self.class_weight, dict):
            check_choice(self.class_weight, "class_weight", ("balanced", None))
        check_scalar(self.patience, "patience", integer=True, min_value=1, allow_none=True)
        check_choice(self.lr_schedule, "lr_schedule", ("cosine", None))
        split = self.train_split
        if not (split is None or callable(split) or (isinstance(split, float) and 0.0 < split < 1.0)):
            raise ValueError(f"train_split must be None, a float in (0, 1) or a callable, got {split!r}")

    def _encode(self, y, reset: bool) -> np.ndarray:
        if y is None:
            raise ValueError(f"{type(self).__name__} requires y to be passed, but the target y is None")
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
        return None if self.random_state is None else int(check_random_state(self.random_state).randint(2**31 - 1))

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

        Each call runs ``max_epochs`` epochs; with ``lr_schedule="cosine"``
        they are one cosine cycle from ``lr``, also when training further.

        Parameters
        ----------
        X : array-like
            Training input, as the subclass documents.
        y : array-like of shape (n_samples,)
            Labels.
        **fit_params : dict
            Passed to the module's forward.

        Returns
        -------
        self : TorchClassifier
            The fitted classifier.
        """
        return self._train(X, y, reset=not (self.warm_start and self.initialized_), **fit_params)

    def partial_fit(self, X, y, classes=None, **fit_params):
        """Train for ``max_epochs`` more epochs (one more cosine cycle), initialising on the first call.

        Parameters
        ----------
        X : array-like
            Training input.
        y : array-like of shape (n_samples,)
            Labels.
        classes : ignored
            Present for API consistency; classes come from the first call's ``y``.
        **fit_params : dict
            Passed to the module's forward.

        Returns
        -------
        self : TorchClassifier
            The updated classifier.
        """
        return self._train(X, y, reset=not self.initialized_, **fit_params)

    def _train(self, X, y, reset: bool, **fit_params):
        """Check and encode the data, (re)initialise when ``reset``, train ``max_epochs``."""
        self._check_params()
        check_consistent_length(X, y)
        codes = self._encode(y, reset=reset)
        X_in = self._check_X(X, reset=reset)
        # continued training draws new shuffles and masks: the seed moves on with the epochs done
        with self._on_device(), self._seeded(offset=0 if reset else len(self.history)):
            if reset:
                self.initialize()
            elif not hasattr(self, "optimizer_"):  # loaded for inference, now trained further
                self._initialize_optimizer()
            super().partial_fit(X_in, codes, **fit_params)
        return self

    def _proba_of_logits(self, logits: torch.Tensor) -> np.ndarray:
        """Class probabilities of the network's ``(n, n_classes)`` logits."""
        return torch.softmax(logits.float(), dim=-1).numpy()

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities.

        Parameters
        ----------
        X : array-like
            Input, as the subclass documents.

        Returns
        -------
        ndarray of shape (n_samples, n_classes)
            Probabilities in the order of ``classes_``.
        """
        check_is_fitted(self)
        return self._proba_of_logits(self.forward(self._check_X(X, reset=False), training=False))

    def predict(self, X) -> np.ndarray:
        """The most probable class of each sample.

        Parameters
        ----------
        X : array-like
            Input, as the subclass documents.

        Returns
        -------
        ndarray of shape (n_samples,)
            Labels from ``classes_``.
        """
        proba = self.predict_proba(X)
        return np.asarray(self.classes_)[proba.argmax(axis=1)]

    def __sklearn_is_fitted__(self) -> bool:
        return bool(self.initialized_) and hasattr(self, "n_features_in_")

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.input_tags.allow_nan = False
        tags.non_deterministic = self.random_state is None
        return tags
