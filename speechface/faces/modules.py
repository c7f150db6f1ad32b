"""Conditional GAN torch modules for 48x48 grayscale faces.

Three pairs: the default (a conditional-batch-norm generator and a spectral-norm
projection discriminator with an auxiliary classifier head), its residual
version (two convolutions and a shortcut per resolution, as in SNGAN and
BigGAN) and the student project's seed cGAN (label maps as an extra input
channel). Generators map
``(z, y)``, where ``y`` holds class codes ``(batch,)`` or class weights
``(batch, n_classes)`` (a blend of emotions: the conditioning is linear in the
class embedding), to images in [-1, 1] of shape ``(batch, 1, 48, 48)``;
discriminators map ``(x, y)`` to ``(realness, class_logits)``, where
``class_logits`` is None when the model has no classifier head.
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils.spectral_norm import SpectralNorm
from torch.nn.utils.spectral_norm import spectral_norm as _torch_spectral_norm

SIDE = 48


class _Float32SpectralNorm(SpectralNorm):
    """torch's spectral-norm hook with the power iteration kept in float32 under autocast."""

    def __call__(self, module: nn.Module, inputs) -> None:
        with torch.autocast(getattr(module, self.name + "_orig").device.type, enabled=False):
            super().__call__(module, inputs)


def spectral_norm(module: nn.Module) -> nn.Module:
    """``torch.nn.utils.spectral_norm`` (the hook form, which pickles for joblib; the parametrization
    form does not) whose power iteration stays in float32 when the forward pass runs in bfloat16.

    Parameters
    ----------
    module : torch.nn.Module
        A layer with a ``weight``.

    Returns
    -------
    torch.nn.Module
        The same layer, its weight divided by its largest singular value.
    """
    _torch_spectral_norm(module)
    for hook in module._forward_pre_hooks.values():
        if type(hook) is SpectralNorm:
            hook.__class__ = _Float32SpectralNorm
    return module


def embed_labels(embedding: nn.Embedding, y: torch.Tensor) -> torch.Tensor:
    """``embedding(y)`` for class codes; for class weights ``(batch, n_classes)``, the weighted mix of the rows.

    Parameters
    ----------
    embedding : torch.nn.Embedding
        One row per class.
    y : Tensor
        Integer codes of shape (batch,), or float weights of shape (batch, n_classes).

    Returns
    -------
    Tensor of shape (batch, embedding_dim)
        The rows, or their mixtures.
    """
    return y.to(embedding.weight.dtype) @ embedding.weight if y.is_floating_point() else embedding(y)


class ConditionalBatchNorm2d(nn.Module):
    """Batch norm whose gain and bias are looked up per class.

    Parameters
    ----------
    channels : int
        Feature maps.
    n_classes : int
        Number of classes.
    """

    def __init__(self, channels: int, n_classes: int):
        super().__init__()
        self.norm = nn.BatchNorm2d(channels, affine=False)
        self.embed = nn.Embedding(n_classes, 2 * channels)
        nn.init.zeros_(self.embed.weight)  # starts as plain batch norm

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        gain, bias = embed_labels(self.embed, y)[:, :, None, None].chunk(2, dim=1)
        return self.norm(x) * (1 + gain) + bias


class _UpBlock(nn.Module):
    def __init__(self, c_in: int, c_out: int, n_classes: int):
        super().__init__()
        self.conv = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
        self.norm = ConditionalBatchNorm2d(c_out, n_classes)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        x = nn.functional.interpolate(x, scale_factor=2, mode="nearest")
        return torch.relu(self.norm(self.conv(x), y))


class FaceGenerator(nn.Module):
    """The default generator: linear to 6x6, three upsample+conv blocks with conditional batch norm.

    Channels go 4w (6x6), 2w (12x12), w (24x24), w (48x48) for ``width`` w.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    n_classes : int
        Number of emotions.
    width : int
        Channels of the last two blocks; the 6x6 start has 4x, the first block 2x.
    """

    def __init__(self, latent_dim: int, n_classes: int, width: int):
        super().__init__()
        self.latent_dim = latent_dim
        self.start = nn.Linear(latent_dim, 4 * width * 36)
        self.start_norm = ConditionalBatchNorm2d(4 * width, n_classes)
        self.blocks = nn.ModuleList(
            [
                _UpBlock(4 * width, 2 * width, n_classes),
                _UpBlock(2 * width, width, n_classes),
                _UpBlock(width, width, n_classes),
            ]
        )
        self.out = nn.Conv2d(width, 1, 3, padding=1)

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        x = torch.relu(self.start_norm(self.start(z).view(z.shape[0], -1, 6, 6), y))
        for block in self.blocks:
            x = block(x, y)
        return torch.tanh(self.out(x))


class _ConditionalCritic(nn.Module):
    """The heads both default discriminators put on their pooled features: realness plus the
    projection of the emotion, the auxiliary classifier, and TAC-GAN's twin classifier when asked."""

    def _add_heads(self, n_classes: int, c: int, twin: bool) -> None:
        self.realness = spectral_norm(nn.Linear(c, 1))
        self.project = spectral_norm(nn.Embedding(n_classes, c))
        self.classify = nn.Linear(c, n_classes)
        self.twin = None
        self.set_twin(twin)

    def set_twin(self, twin: bool) -> bool:
        """Add a fresh twin head, or remove it; returns whether the parameters changed."""
        if twin == (self.twin is not None):
            return False
        shape, device = (self.classify.in_features, self.classify.out_features), self.classify.weight.device
        self.twin = nn.Linear(*shape).to(device) if twin else None
        return True

    def _heads(self, h: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        realness = self.realness(h).squeeze(1) + (self.project(y) * h).sum(dim=1)
        return realness, self.classify(h), None if self.twin is None else self.twin(h)


class FaceDiscriminator(_ConditionalCritic):
    """The default discriminator: spectral-norm convs, projection conditioning, auxiliary classifier.

    Parameters
    ----------
    n_classes : int
        Number of emotions.
    width : int
        Channels of the first two convs; the next pairs have 2x and 4x.
    twin : bool, default=False
        A second classifier head for generated faces (TAC-GAN); ``forward``
        returns its logits third, or None without it.
    """

    def __init__(self, n_classes: int, width: int, twin: bool = False):
        super().__init__()
        layers, c = [], 1
        for c_out in (width, 2 * width, 4 * width):
            layers += [
                spectral_norm(nn.Conv2d(c, c_out, 3, padding=1)),
                nn.LeakyReLU(0.1),
                spectral_norm(nn.Conv2d(c_out, c_out, 4, stride=2, padding=1)),
                nn.LeakyReLU(0.1),
            ]
            c = c_out
        self.features = nn.Sequential(*layers)
        self._add_heads(n_classes, c, twin)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        h = self.features(x).sum(dim=(2, 3))
        return self._heads(h, y)


class _ResUpBlock(nn.Module):
    """Conditional batch norm, ReLU, 2x upsampling and two 3x3 convs, plus an upsampled 1x1 shortcut."""

    def __init__(self, c_in: int, c_out: int, n_classes: int):
        super().__init__()
        self.norm1 = ConditionalBatchNorm2d(c_in, n_classes)
        self.conv1 = nn.Conv2d(c_in, c_out, 3, padding=1, bias=False)
        self.norm2 = ConditionalBatchNorm2d(c_out, n_classes)
        self.conv2 = nn.Conv2d(c_out, c_out, 3, padding=1)
        self.shortcut = nn.Conv2d(c_in, c_out, 1)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        up = lambda t: nn.functional.interpolate(t, scale_factor=2, mode="nearest")  # noqa: E731
        h = self.conv1(up(torch.relu(self.norm1(x, y))))
        h = self.conv2(torch.relu(self.norm2(h, y)))
        return h + self.shortcut(up(x))


class ResidualFaceGenerator(nn.Module):
    """The residual generator: linear to 6x6, three residual upsampling blocks with conditional batch norm.

    Channels go 4w (6x6), 4w (12x12), 2w (24x24), w (48x48) for ``width`` w.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    n_classes : int
        Number of emotions.
    width : int
        Channels at 48x48; 2x at 24x24, 4x below.
    """

    def __init__(self, latent_dim: int, n_classes: int, width: int):
        super().__init__()
        self.latent_dim = latent_dim
        self.start = nn.Linear(latent_dim, 4 * width * 36)
        self.blocks = nn.ModuleList(
            [
                _ResUpBlock(4 * width, 4 * width, n_classes),
                _ResUpBlock(4 * width, 2 * width, n_classes),
                _ResUpBlock(2 * width, width, n_classes),
            ]
        )
        self.out_norm = nn.BatchNorm2d(width)
        self.out = nn.Conv2d(width, 1, 3, padding=1)

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        x = self.start(z).view(z.shape[0], -1, 6, 6)
        for block in self.blocks:
            x = block(x, y)
        return torch.tanh(self.out(torch.relu(self.out_norm(x))))


class _ResDownBlock(nn.Module):
    """Two spectral-norm 3x3 convs and 2x average pooling, plus a pooled 1x1 shortcut (``first``: no
    activation before the first conv, as on the raw image)."""

    def __init__(self, c_in: int, c_out: int, first: bool = False):
        super().__init__()
        self.first = first
        self.conv1 = spectral_norm(nn.Conv2d(c_in, c_out, 3, padding=1))
        self.conv2 = spectral_norm(nn.Conv2d(c_out, c_out, 3, padding=1))
        self.shortcut = spectral_norm(nn.Conv2d(c_in, c_out, 1))

    def forward(self, x: torch.Tensor) -> torch.Tensor:
        h = x if self.first else nn.functional.leaky_relu(x, 0.1)
        h = self.conv2(nn.functional.leaky_relu(self.conv1(h), 0.1))
        return nn.functional.avg_pool2d(h, 2) + self.shortcut(nn.functional.avg_pool2d(x, 2))


class ResidualFaceDiscriminator(_ConditionalCritic):
    """The residual discriminator: three residual downsampling blocks (48 to 6), projection, auxiliary classifier.

    Parameters
    ----------
    n_classes : int
        Number of emotions.
    width : int
        Channels of the first block; the next have 2x and 4x.
    twin : bool, default=False
        A second classifier head for generated faces (TAC-GAN); ``forward``
        returns its logits third, or None without it.
    """

    def __init__(self, n_classes: int, width: int, twin: bool = False):
        super().__init__()
        self.features = nn.Sequential(
            _ResDownBlock(1, width, first=True), _ResDownBlock(width, 2 * width), _ResDownBlock(2 * width, 4 * width)
        )
        c = 4 * width
        self._add_heads(n_classes, c, twin)

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor, torch.Tensor | None]:
        h = nn.functional.leaky_relu(self.features(x), 0.1).sum(dim=(2, 3))
        return self._heads(h, y)


class SeedGenerator(nn.Module):
    """The student project's generator: a label map joined to a 6x6 noise map, three transposed convs.

    Parameters
    ----------
    latent_dim : int
        Size of the noise vector.
    n_classes : int
        Number of emotions.
    width : int
        Channels of the transposed convs (the seed used 128).
    """

    def __init__(self, latent_dim: int, n_classes: int, width: int):
        super().__init__()
        self.latent_dim = latent_dim
        self.label = nn.Sequential(nn.Embedding(n_classes, 50), nn.Linear(50, 36))
        self.start = nn.Sequential(nn.Linear(latent_dim, width * 36), nn.LeakyReLU(0.2))
        up = lambda c_in: [nn.ConvTranspose2d(c_in, width, 4, stride=2, padding=1), nn.LeakyReLU(0.2)]  # noqa: E731
        self.net = nn.Sequential(*up(width + 1), *up(width), *up(width), nn.Conv2d(width, 1, 7, padding=3), nn.Tanh())

    def forward(self, z: torch.Tensor, y: torch.Tensor) -> torch.Tensor:
        noise = self.start(z).view(z.shape[0], -1, 6, 6)
        label = self.label[1](embed_labels(self.label[0], y))
        return self.net(torch.cat([noise, label.view(-1, 1, 6, 6)], dim=1))


class SeedDiscriminator(nn.Module):
    """The student project's discriminator: label map as a second channel, 4 convs, dropout, sigmoid logit.

    Parameters
    ----------
    n_classes : int
        Number of emotions.
    width : int
        Channels of the convs (the seed used 128).
    """

    def __init__(self, n_classes: int, width: int):
        super().__init__()
        self.label = nn.Sequential(nn.Embedding(n_classes, 50), nn.Linear(50, SIDE * SIDE))
        down = lambda c_in, stride: [nn.Conv2d(c_in, width, 3, stride=stride, padding=1), nn.LeakyReLU(0.2)]  # noqa: E731
        self.net = nn.Sequential(
            *down(2, 1),
            *down(width, 2),
            *down(width, 2),
            *down(width, 2),
            nn.Flatten(),
            nn.Dropout(0.4),
            nn.Linear(width * 36, 1),
        )

    def forward(self, x: torch.Tensor, y: torch.Tensor) -> tuple[torch.Tensor, None, None]:
        label = self.label(y).view(-1, 1, SIDE, SIDE)
        return self.net(torch.cat([x, label], dim=1)).squeeze(1), None, None
