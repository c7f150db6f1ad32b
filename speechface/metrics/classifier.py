"""FaceExpressionClassifier: the FER-2013 expression classifier the face metrics use as judge."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted, validate_data

from speechface.faces.generator import SIDE, check_faces
from speechface.metrics.modules import FaceCNN
from speechface.utils.classifier import TorchClassifier


class FaceExpressionClassifier(TorchClassifier):
    """A skorch classifier of facial expressions on 48x48 grayscale faces.

    A sibling of :class:`~speechface.SpeechEmotionClassifier` on the same core
    (label encoding, class weights, early stopping, ``random_state``,
    ``device="auto"``) over a small image CNN. ``X`` holds faces as the face
    generator takes them: uint8 pixels 0-255 or floats in [0, 1], shaped
    ``(n, 48, 48)``, ``(n, 48, 48, 1)`` or flattened ``(n, 2304)``; anything
    else is refused with a message. Labels are FER-2013 codes or names.

    Parameters
    ----------
    module : type of torch.nn.Module, default=FaceCNN
        The network; ``module__width`` and ``module__dropout`` set its size.
    criterion : type of torch.nn.Module, default=torch.nn.CrossEntropyLoss
        Loss.
    optimizer : type of torch.optim.Optimizer, default=torch.optim.AdamW
        Optimizer.
    lr : float, default=2e-3
        Learning rate.
    max_epochs : int, default=20
        Epochs each training call runs (at most, with early stopping).
    batch_size : int, default=128
        Mini-batch size.
    train_split : float, callable or None, default=0.1
        Stratified validation fraction for early stopping, a skorch split, or None.
    patience : int or None, default=4
        Early-stopping patience in epochs; None disables it.
    lr_schedule : {"cosine"} or None, default="cosine"
        ``"cosine"``: each training call anneals the learning rate from ``lr``
        towards 0 over its ``max_epochs``; None keeps it constant.
    class_weight : "balanced", dict or None, default="balanced"
        Loss weight per class.
    random_state : int, RandomState or None, default=None
        Seed for repeatable fits.
    device : str, default="auto"
        ``"auto"`` uses CUDA when available, else the CPU.
    verbose : int, default=0
        Print a line per epoch when 1.
    **kwargs
        Other skorch parameters.
    """

    def __init__(
        self,
        module=FaceCNN,
        *,
        criterion=torch.nn.CrossEntropyLoss,
        optimizer=torch.optim.AdamW,
        lr: float = 2e-3,
        max_epochs: int = 20,
        batch_size: int = 128,
        train_split=0.1,
        patience: int | None = 4,
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

    def _module_shape(self) -> dict:
        return {}

    def _restore_shape(self, state: dict) -> None:
        self.n_features_in_ = SIDE * SIDE

    def _check_X(self, X, reset: bool) -> np.ndarray:
        """Faces, checked as the generator checks them, as float32 ``(n, 1, 48, 48)`` in [-1, 1]."""
        array = X if hasattr(X, "shape") else np.asarray(X)
        if getattr(array, "ndim", 0) == 2:  # flattened faces, as scikit-learn's tools pass them
            validate_data(self, array, reset=reset, skip_check_array=True)
            if array.shape[1] != SIDE * SIDE:
                raise ValueError(f"flattened faces must have {SIDE * SIDE} values per row, got {array.shape[1]}")
            array = np.asarray(array).reshape(len(array), SIDE, SIDE)
        elif reset:
            self.n_features_in_ = SIDE * SIDE
        return check_faces(array)

    def embed(self, X) -> np.ndarray:
        """The network's pooled features of each face, the space the Frechet distance uses.

        Parameters
        ----------
        X : array-like of shape (n, 48, 48) or (n, 2304)
            Faces: uint8 pixels 0-255 or floats in [0, 1].

        Returns
        -------
        ndarray of shape (n, n_features)
            Features, float64.
        """
        check_is_fitted(self)
        faces = self._check_X(X, reset=False)
        module = self.module_
        device = next(module.parameters()).device
        module.eval()
        with torch.no_grad():
            parts = [
                module.embed(torch.as_tensor(faces[i : i + 512], device=device)).cpu()
                for i in range(0, len(faces), 512)
            ]
        return torch.cat(parts).double().numpy()
