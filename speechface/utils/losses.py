"""Losses shared by speechface's torch classifiers."""

from __future__ import annotations

import torch
from torch import nn


class EnsembleCrossEntropy(nn.Module):
    """Cross-entropy averaged over the members of ``(batch, n_members, n_classes)`` logits.

    Parameters
    ----------
    weight : Tensor, optional
        Per-class weights, as in :class:`torch.nn.CrossEntropyLoss`.
    """

    def __init__(self, weight: torch.Tensor | None = None):
        super().__init__()
        self.loss = nn.CrossEntropyLoss(weight=weight)

    def forward(self, logits: torch.Tensor, target: torch.Tensor) -> torch.Tensor:
        members = logits.shape[1]
        return self.loss(logits.flatten(0, 1), target.repeat_interleave(members))
