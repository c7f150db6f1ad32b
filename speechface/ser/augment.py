"""Training-time augmentation of (batch, channels, frames) feature tensors."""

from __future__ import annotations

import torch
import torch.nn.functional as F


def spec_augment(x: torch.Tensor, max_fraction: float, n_masks: int = 2) -> torch.Tensor:
    """Zero random time spans and channel bands of each example (SpecAugment).

    Parameters
    ----------
    x : Tensor of shape (batch, channels, frames)
        Features.
    max_fraction : float
        Largest fraction of the frames (channels) a time (channel) mask covers.
    n_masks : int, default=2
        Masks per axis.

    Returns
    -------
    Tensor
        The masked features.
    """
    batch, channels, frames = x.shape
    keep = torch.ones_like(x)
    for size, axis in ((frames, 2), (channels, 1)):
        width = max(1, int(size * max_fraction))
        for _ in range(n_masks):
            lengths = torch.randint(0, width + 1, (batch, 1), device=x.device)
            starts = (torch.rand(batch, 1, device=x.device) * (size - lengths + 1)).long()
            index = torch.arange(size, device=x.device).unsqueeze(0)
            mask = (index >= starts) & (index < starts + lengths)
            keep = keep * (~mask).unsqueeze(3 - axis).to(x.dtype)
    return x * keep


def time_stretch(x: torch.Tensor, max_rate: float) -> torch.Tensor:
    """Stretch the whole batch in time by a random factor in [1 - max_rate, 1 + max_rate].

    A cheap stand-in for speed perturbation of the audio: frames are linearly
    interpolated, then cropped or edge-padded back to the original length.

    Parameters
    ----------
    x : Tensor of shape (batch, channels, frames)
        Features.
    max_rate : float
        Largest relative change of speed.

    Returns
    -------
    Tensor
        Features of the same shape.
    """
    frames = x.shape[2]
    rate = 1.0 + (2 * torch.rand(()).item() - 1) * max_rate
    stretched = F.interpolate(x, size=max(2, int(round(frames * rate))), mode="linear", align_corners=False)
    if stretched.shape[2] >= frames:
        return stretched[:, :, :frames]
    return F.pad(stretched, (0, frames - stretched.shape[2]), mode="replicate")


def channel_shift(x: torch.Tensor, max_shift: int) -> torch.Tensor:
    """Shift each example along the channel axis by up to ``max_shift`` rows, edge-padded.

    On log-mel bands this moves the spectral envelope up or down, a cheap
    stand-in for vocal-tract-length and pitch perturbation.

    Parameters
    ----------
    x : Tensor of shape (batch, channels, frames)
        Features.
    max_shift : int
        Largest shift in channels.

    Returns
    -------
    Tensor
        Features of the same shape.
    """
    batch, channels, _ = x.shape
    shifts = torch.randint(-max_shift, max_shift + 1, (batch,), device=x.device)
    index = (torch.arange(channels, device=x.device).unsqueeze(0) - shifts.unsqueeze(1)).clamp(0, channels - 1)
    return torch.gather(x, 1, index.unsqueeze(2).expand_as(x))
