"""Augmentation of (batch, 1, 48, 48) face batches in [-1, 1] for GAN training."""

from __future__ import annotations

import torch


def random_flip(x: torch.Tensor) -> torch.Tensor:
    """Mirror each face left-right with probability 1/2 (faces stay faces).

    Parameters
    ----------
    x : Tensor of shape (batch, channels, height, width)
        Images.

    Returns
    -------
    Tensor
        The images, about half of them mirrored.
    """
    flip = torch.rand(x.shape[0], 1, 1, 1, device=x.device) < 0.5
    return torch.where(flip, x.flip(3), x)


def diff_augment(x: torch.Tensor, shift: float = 0.125, cutout: float = 0.5) -> torch.Tensor:
    """Differentiable augmentation (Zhao et al. 2020): brightness, contrast, translation, cutout.

    Applied alike to real and generated faces before the discriminator, so that
    it cannot memorise a small training set while gradients still reach the
    generator.

    Parameters
    ----------
    x : Tensor of shape (batch, channels, height, width)
        Images in [-1, 1].
    shift : float, default=0.125
        Largest translation as a fraction of the side; vacated pixels are 0.
    cutout : float, default=0.5
        Side of the zeroed square as a fraction of the image side.

    Returns
    -------
    Tensor
        The augmented images.
    """
    batch, _, height, width = x.shape
    device = x.device
    x = x + (torch.rand(batch, 1, 1, 1, device=device) - 0.5)
    mean = x.mean(dim=(1, 2, 3), keepdim=True)
    x = (x - mean) * (torch.rand(batch, 1, 1, 1, device=device) + 0.5) + mean
    rows = torch.arange(height, device=device).view(1, height, 1)
    cols = torch.arange(width, device=device).view(1, 1, width)
    # translation: gather from shifted coordinates, zero outside the image
    dy = torch.randint(-int(height * shift), int(height * shift) + 1, (batch, 1, 1), device=device)
    dx = torch.randint(-int(width * shift), int(width * shift) + 1, (batch, 1, 1), device=device)
    src_r, src_c = rows - dy, cols - dx
    inside = (src_r >= 0) & (src_r < height) & (src_c >= 0) & (src_c < width)
    index = (src_r.clamp(0, height - 1) * width + src_c.clamp(0, width - 1)).view(batch, 1, -1)
    x = x.flatten(2).gather(2, index.expand(-1, x.shape[1], -1)).view_as(x) * inside.unsqueeze(1)
    # cutout: one zeroed square per image
    size = int(height * cutout)
    cy = torch.randint(0, height + 1 - size % 2, (batch, 1, 1), device=device)
    cx = torch.randint(0, width + 1 - size % 2, (batch, 1, 1), device=device)
    hole = ((rows - cy).abs() < size // 2) & ((cols - cx).abs() < size // 2)
    return x * (~hole).unsqueeze(1)
