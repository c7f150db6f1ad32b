"""The 1D-CNN torch modules over (channels x frames) speech features.

Every module returns logits of shape ``(batch, n_members, n_classes)``: a
single network has one member, an ensemble several, trained side by side.
"""

from __future__ import annotations

import torch
from torch import nn

from speechface._validation import check_choice, check_scalar
from speechface.ser.augment import crop_frames, spec_augment
from speechface.utils.losses import EnsembleCrossEntropy

__all__ = ["EmotionCNN", "EnsembleCrossEntropy", "SeedCNN"]


class _FrequencyStem(nn.Module):
    """A 2-D conv over (frequency, time), then max-pooling over neighbouring frequencies.

    Features whose rows are frequency bands (log-mel) are seen as an image: a
    (5 bands x 3 frames) convolution with stride 2 over frequency and a max over
    pairs of its outputs make the network tolerant of small shifts along the
    frequency axis (voices of different pitch and formants). The maps are
    stacked back into ``out_channels`` rows for the 1-D blocks.
    """

    def __init__(self, in_channels: int, channels: int):
        super().__init__()
        self.net = nn.Sequential(
            nn.Conv2d(1, channels, (5, 3), stride=(2, 1), padding=(2, 1), bias=False),
            nn.BatchNorm2d(channels),
            nn.ReLU(inplace=True),
            nn.MaxPool2d((2, 1), ceil_mode=True),
        )
        self.out_channels = channels * -(-((in_channels - 1) // 2 + 1) // 2)

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x.unsqueeze(1)).flatten(1, 2)


class _ConvNet(nn.Module):
    """One member: an optional frequency stem, conv blocks (conv, batch norm, ReLU, max-pool),
    mean+max pooling over time, linear."""

    def __init__(self, in_channels, n_classes, n_layers, width, kernel_size, dropout, stem_channels):
        super().__init__()
        self.stem = _FrequencyStem(in_channels, stem_channels) if stem_channels else nn.Identity()
        blocks, channels = [], self.stem.out_channels if stem_channels else in_channels
        for i in range(n_layers):
            out = width * 2 ** min(i, 2)
            blocks += [
                nn.Conv1d(channels, out, kernel_size, padding=kernel_size // 2, bias=False),
                nn.BatchNorm1d(out),
                nn.ReLU(inplace=True),
                nn.MaxPool1d(2, ceil_mode=True),
            ]
            channels = out
        self.features = nn.Sequential(*blocks)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(2 * channels, n_classes))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = self.features(self.stem(x))
        return self.head(torch.cat([h.mean(dim=2), h.amax(dim=2)], dim=1))


class EmotionCNN(nn.Module):
    """The default speech-emotion 1D-CNN: an ensemble of small conv nets over time.

    Each member may start with a small 2-D convolution over (frequency, time)
    and a max over neighbouring bands (``stem_channels``), which makes it
    tolerant of the spectral shifts between speakers; its 1-D conv blocks then
    run over time with the bands as channels.

    Parameters
    ----------
    in_channels : int
        Feature rows per frame (e.g. MFCCs and their deltas); set by the classifier.
    n_frames : int
        Frames per clip; set by the classifier (global pooling makes it free).
    n_classes : int
        Number of emotions; set by the classifier.
    n_layers : int, default=3
        Conv blocks per member (the conv depth); each halves the time axis.
    width : int, default=32
        Channels of the first block; they double per block up to 4x.
    kernel_size : int, default=5
        Temporal kernel size.
    dropout : float, default=0.3
        Dropout before the linear layer.
    n_members : int, default=5
        Independently initialised members whose probabilities are averaged
        (5 beat 3 on robust five-fold scores: ``docs/benchmarks.md``).
    normalize : {"mean", "utterance"} or None, default="mean"
        Per-clip input normalisation: ``"mean"`` removes each feature row's
        mean over time (keeping its dynamics); ``"utterance"`` also divides by
        its standard deviation; None keeps the input.
    stem_channels : int, default=4
        Feature maps of each member's 2-D frequency stem (a (5 x 3)
        convolution, stride 2 over the rows, then a max over pairs of rows:
        the rows must be ordered frequency bands, as log-mel bands are); the
        1-D blocks then see ``stem_channels * in_channels / 4`` rows. 0 feeds
        the rows to the 1-D blocks directly.
    spec_augment : float, default=0.1
        Largest fraction of frames and of channels zeroed by each of two time
        masks and two channel masks while training; 0 disables.
    crop : float, default=1.0
        Fraction of each clip's frames the members see: a span starting at a
        random frame while training (time-shift augmentation), the central
        span when predicting; 1 uses every frame. Meant for a window longer
        than the speech needs: e.g. ``mfcc__duration=2.9, mfcc__offset=0.5``
        with ``crop=0.86`` trains on 2.5 s spans up to 0.2 s either side of
        the centre and predicts on 2.5 s from 0.7 s.
    """

    def __init__(
        self,
        in_channels: int,
        n_frames: int,
        n_classes: int,
        n_layers: int = 3,
        width: int = 32,
        kernel_size: int = 5,
        dropout: float = 0.3,
        n_members: int = 5,
        normalize: str | None = "mean",
        stem_channels: int = 4,
        spec_augment: float = 0.1,
        crop: float = 1.0,
    ):
        super().__init__()
        check_choice(normalize, "normalize", ("mean", "utterance", None))
        check_scalar(n_members, "n_members", integer=True, min_value=1)
        check_scalar(n_layers, "n_layers", integer=True, min_value=1)
        check_scalar(stem_channels, "stem_channels", integer=True, min_value=0)
        check_scalar(spec_augment, "spec_augment", min_value=0.0, max_value=1.0, include_max=False)
        check_scalar(crop, "crop", min_value=0.0, include_min=False, max_value=1.0)
        self.normalize = normalize
        self.spec_augment = spec_augment
        self.crop = crop
        self.members = nn.ModuleList(
            _ConvNet(in_channels, n_classes, n_layers, width, kernel_size, dropout, stem_channels)
            for _ in range(n_members)
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        if self.crop < 1:
            x = crop_frames(x, self.crop, random=self.training)
        if self.normalize in ("mean", "utterance"):
            x = x - x.mean(dim=2, keepdim=True)
        if self.normalize == "utterance":
            x = x / (x.std(dim=2, keepdim=True, correction=0) + 1e-5)
        if self.training and self.spec_augment > 0:
            x = spec_augment(x, self.spec_augment)
        return torch.stack([member(x) for member in self.members], dim=1)


class SeedCNN(nn.Module):
    """The student project's Keras 1D-CNN, kept as the baseline.

    Six 'same' convolutions (256, 128, then four of 128, kernel 5, ReLU), dropout
    0.1 and max-pool 8 after the second, dropout 0.2 before the last, then
    flatten and a linear layer.

    Parameters
    ----------
    in_channels : int
        Feature rows per frame (1 for the seed's 259-value vector); set by the classifier.
    n_frames : int
        Sequence length; set by the classifier.
    n_classes : int
        Number of emotions; set by the classifier.
    """

    def __init__(self, in_channels: int, n_frames: int, n_classes: int):
        super().__init__()
        if n_frames < 8:
            raise ValueError(f"SeedCNN needs sequences of at least 8 values (it max-pools by 8), got {n_frames}")
        conv = lambda c_in, c_out: [nn.Conv1d(c_in, c_out, 5, padding=2), nn.ReLU()]  # noqa: E731
        self.net = nn.Sequential(
            *conv(in_channels, 256),
            *conv(256, 128),
            nn.Dropout(0.1),
            nn.MaxPool1d(8),
            *conv(128, 128),
            *conv(128, 128),
            *conv(128, 128),
            nn.Dropout(0.2),
            *conv(128, 128),
            nn.Flatten(),
            nn.Linear(128 * (n_frames // 8), n_classes),
        )

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.net(x).unsqueeze(1)
