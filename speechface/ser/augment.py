"""Training-time augmentation of (batch, channels, frames) feature tensors."""

from __future__ import annotations

import torch


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


def crop_frames(x: torch.Tensor, fraction: float, random: bool) -> torch.Tensor:
    """Keep a span of ``fraction`` of the frames of each example.

    Parameters
    ----------
    x : Tensor of shape (batch, channels, frames)
        Features.
    fraction : float
        Fraction of the frames kept, in (0, 1]; the span has at least one frame.
    random : bool
        Whether each example's span starts at a random frame (training-time
        time-shift augmentation) or all are the central span (prediction).

    Returns
    -------
    Tensor of shape (batch, channels, round(frames * fraction))
        The spans.
    """
    batch, channels, frames = x.shape
    length = max(1, round(frames * fraction))
    if not random:
        start = (frames - length) // 2
        return x[:, :, start : start + length]
    starts = torch.randint(0, frames - length + 1, (batch, 1, 1), device=x.device)
    index = starts + torch.arange(length, device=x.device)
    return torch.gather(x, 2, index.expand(batch, channels, length))
