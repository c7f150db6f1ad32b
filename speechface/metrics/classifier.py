"""FaceExpressionClassifier: the FER-2013 expression classifier the face metrics use as judge."""

from __future__ import annotations

import numpy as np
import torch
from sklearn.utils.validation import check_is_fitted

from speechface.metrics.modules import FaceCNN
from speechface.ser.classifier import SpeechEmotionClassifier
from speechface.ser.modules import EnsembleCrossEntropy


class FaceExpressionClassifier(SpeechEmotionClassifier):
    """A skorch classifier of facial expressions on 48x48 grayscale faces.

    The same core as :class:`~speechface.SpeechEmotionClassifier` (label
    encoding, early stopping, ``random_state``, ``device="auto"``) over a small
    image CNN. ``X`` holds faces with pixel values 0-255, as an array
    ``(n, 48, 48)`` or flattened ``(n, 2304)``; labels are FER-2013 codes or names.

    Parameters
    ----------
    module : type of torch.nn.Module, default=FaceCNN
        The network; ``module__width`` and ``module__dropout`` set its size.
    n_channels : int, default=48
        Image rows, used to unflatten 2-D input.
    criterion : type of torch.nn.Module, default=EnsembleCrossEntropy
        Loss.
    optimizer : type of torch.optim.Optimizer, default=torch.optim.AdamW
        Optimizer.
    lr : float, default=2e-3
        Learning rate.
    max_epochs : int, default=20
        Most epochs to train.
    batch_size : int, default=128
        Mini-batch size.
    train_split : float, callable or None, default=0.1
        Stratified validation fraction for early stopping, a skorch split, or None.
    patience : int or None, default=4
        Early-stopping patience in epochs; None disables it.
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
        n_channels=48,
        criterion=EnsembleCrossEntropy,
        optimizer=torch.optim.AdamW,
        lr: float = 2e-3,
        max_epochs: int = 20,
        batch_size: int = 128,
        train_split=0.1,
        patience: int | None = 4,
        class_weight: str | dict | None = "balanced",
        random_state=None,
        device: str = "auto",
        verbose: int = 0,
        **kwargs,
    ):
        super().__init__(
            module,
            n_channels=n_channels,
            criterion=criterion,
            optimizer=optimizer,
            lr=lr,
            max_epochs=max_epochs,
            batch_size=batch_size,
            train_split=train_split,
            patience=patience,
            class_weight=class_weight,
            random_state=random_state,
            device=device,
            verbose=verbose,
            **kwargs,
        )

    def embed(self, X) -> np.ndarray:
        """The network's pooled features of each face, the space the Frechet distance uses.

        Parameters
        ----------
        X : array-like of shape (n, 48, 48) or (n, 2304)
            Faces, pixel values 0-255.

        Returns
        -------
        ndarray of shape (n, n_features)
            Features, float64.
        """
        check_is_fitted(self)
        X3 = self._as_3d(X, reset=False)
        module = self.module_
        device = next(module.parameters()).device
        module.eval()
        with torch.no_grad():
            parts = [module.embed(torch.as_tensor(X3[i : i + 512], device=device)).cpu()
                     for i in range(0, len(X3), 512)]
        return torch.cat(parts).double().numpy()
