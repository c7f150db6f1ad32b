"""SpeechEmotionClassifier: a skorch classifier over (channels x frames) speech features."""

from __future__ import annotations

import re

import numpy as np
import torch
from sklearn.utils.validation import check_array, validate_data
from skorch.utils import to_tensor

from speechface._validation import check_scalar
from speechface.ser.modules import EmotionCNN
from speechface.utils.classifier import TorchClassifier
from speechface.utils.losses import EnsembleCrossEntropy

_FRAME_NAME = re.compile(r"^(?:v(?P<view>\d+)_)?(?P<channel>.+)_t(?P<frame>\d+)$")


def _layout_from_names(names: np.ndarray) -> tuple[int, int]:
    """(views, channels) of ``[v<view>_]<channel>_t<frame>`` column names; (1, 1) if they are not such."""
    matches = [_FRAME_NAME.match(str(name)) for name in names]
    if not all(matches):
        return 1, 1
    return len(dict.fromkeys(m["view"] for m in matches)), len(dict.fromkeys(m["channel"] for m in matches))


def _same_names(columns, fitted) -> bool:
    """Whether a DataFrame's columns are the fitted feature names, in order: sklearn's own check, in one
    vectorised pass (its per-name uniqueness check takes about 100 ms a call at 100,000 columns)."""
    return fitted is not None and len(columns) == len(fitted) and bool((columns.to_numpy(dtype=object) == fitted).all())


class SpeechEmotionClassifier(TorchClassifier):
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
    max_epochs : int, default=60
        Epochs each training call runs (at most, with early stopping).
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
        ``"cosine"``: each training call (``fit``, ``partial_fit``, a
        warm-start ``fit``) anneals the learning rate from ``lr`` towards 0
        over its ``max_epochs`` epochs, starting again at ``lr``; None keeps
        it constant.
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
        max_epochs: int = 60,
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
            patience=patience,
            lr_schedule=lr_schedule,
            class_weight=class_weight,
            random_state=random_state,
            device=device,
            verbose=verbose,
            **kwargs,
        )
        self.n_channels = n_channels

    # -- the core's hooks -------------------------------------------------------------
    def _module_shape(self) -> dict:
        return {"in_channels": self.n_channels_, "n_frames": self.n_frames_}

    def _shape_state(self) -> dict:
        return {"n_views": self.n_views_, "n_channels": self.n_channels_, "n_frames": self.n_frames_}

    def _restore_shape(self, state: dict) -> None:
        self.n_channels_, self.n_frames_ = state["n_channels"], state["n_frames"]
        self.n_views_ = state.get("n_views", 1)  # files written before views existed hold one
        self.n_features_in_ = self.n_views_ * self.n_channels_ * self.n_frames_

    def _check_params(self) -> None:
        super()._check_params()
        if self.n_channels != "auto":
            check_scalar(self.n_channels, "n_channels", integer=True, min_value=1)

    def _check_X(self, X, reset: bool) -> np.ndarray:
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
                if reset or not _same_names(X.columns, getattr(self, "feature_names_in_", None)):
                    validate_data(self, X, reset=reset, skip_check_array=True)  # sets, or fails naming the mismatch
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
            raise ValueError(
                f"X has {views} views of {channels} channels, but the classifier was fitted on "
                f"{self.n_views_} of {self.n_channels_}"
            )
        shape = (
            (self.n_channels_, self.n_frames_)
            if self.n_views_ == 1
            else (self.n_views_, self.n_channels_, self.n_frames_)
        )
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

    def _proba_of_logits(self, logits: torch.Tensor) -> np.ndarray:
        """Probabilities averaged over the ensemble's members (and the views, stacked with them)."""
        return torch.softmax(logits.float(), dim=-1).mean(dim=1).numpy()

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities, averaged over the ensemble's members and the views.

        Parameters
        ----------
        X : array-like of shape (n_clips, n_features) or (n_clips, channels, frames)
            Features.

        Returns
        -------
        ndarray of shape (n_clips, n_classes)
            Probabilities in the order of ``classes_``.
        """
        return super().predict_proba(X)
