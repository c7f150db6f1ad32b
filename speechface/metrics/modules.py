"""The torch module of the FER-2013 expression classifier used as the project's judge."""

from __future__ import annotations

import torch
from torch import nn


class FaceCNN(nn.Module):
    """A small VGG-style CNN over 48x48 faces; ``embed`` gives the features the metrics compare.

    Input is a batch of faces ``(batch, 1, 48, 48)`` scaled to [-1, 1] (as
    :func:`speechface.faces.generator.check_faces` gives them). While training,
    faces are flipped left-right at random.

    Parameters
    ----------
    n_classes : int
        Number of emotions; set by the classifier.
    width : int, default=16
        Channels of the first block; doubled in each of the next two.
    dropout : float, default=0.3
        Dropout before the linear layer.
    """

    def __init__(self, n_classes: int, width: int = 16, dropout: float = 0.3):
        super().__init__()
        layers, c = [], 1
        for c_out in (width, 2 * width, 4 * width):
            for c_in in (c, c_out):
                layers += [
                    nn.Conv2d(c_in, c_out, 3, padding=1, bias=False),
                    nn.BatchNorm2d(c_out),
                    nn.ReLU(inplace=True),
                ]
            layers.append(nn.MaxPool2d(2))
            c = c_out
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Dropout(dropout), nn.Linear(c, n_classes))

    def embed(self, x: torch.Tensor) -> torch.Tensor:
        """Globally pooled features of the last block, ``(batch, 4 * width)``."""
        if self.training:
            flip = torch.rand(x.shape[0], device=x.device) < 0.5
            x = torch.where(flip[:, None, None, None], x.flip(3), x)
        return self.features(x).mean(dim=(2, 3))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        return self.head(self.embed(x))
