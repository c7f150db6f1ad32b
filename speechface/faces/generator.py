"""ConditionalFaceGenerator: a conditional GAN over 48x48 FER-2013 faces, as an estimator."""

from __future__ import annotations

import copy
import numbers
import os
import sys
import time
import warnings
from pathlib import Path

import numpy as np
import torch
from sklearn.base import BaseEstimator
from sklearn.utils import check_random_state
from sklearn.utils.validation import check_is_fitted
from tqdm.auto import tqdm

from speechface._validation import check_choice, check_scalar
from speechface.faces.augment import diff_augment, random_flip
from speechface.faces.checkpoint import load_checkpoint, save_checkpoint
from speechface.faces.modules import (
    FaceDiscriminator,
    FaceGenerator,
    ResidualFaceDiscriminator,
    ResidualFaceGenerator,
    SeedDiscriminator,
    SeedGenerator,
)
from speechface.labels import FER_EMOTIONS, fer_codes
from speechface.utils import resolve_device

SIDE = 48
ARCHITECTURES = {
    "default": (FaceGenerator, FaceDiscriminator),
    "residual": (ResidualFaceGenerator, ResidualFaceDiscriminator),
    "seed": (SeedGenerator, SeedDiscriminator),
}
_BETAS = {"default": (0.0, 0.9), "residual": (0.0, 0.9), "seed": (0.5, 0.999)}
_LECAM_DECAY = 0.99  # of the moving averages of the mean scores (the LeCam paper's value)
PRECISIONS = ("auto", "float32", "bfloat16")
_SAMPLE_BATCH = 256
#: Parameters that change how a run goes (speed, output, length), not what it learns: a checkpoint resumes across them
RUN_SETTINGS = ("verbose", "checkpoint", "checkpoint_every", "device", "warm_start", "max_epochs", "precision")


def check_faces(images) -> np.ndarray:
    """Validate face images and return them as float32 ``(n, 1, 48, 48)`` in [-1, 1].

    Parameters
    ----------
    images : array-like of shape (n, 48, 48) or (n, 48, 48, 1)
        uint8 (or other integer) pixels 0-255, or floats in [0, 1].

    Returns
    -------
    ndarray of shape (n, 1, 48, 48)
        Float32 images scaled to [-1, 1].
    """
    if isinstance(images, (str, bytes)) or not hasattr(images, "__len__"):
        raise TypeError(f"images must be an array of shape (n, 48, 48), got {type(images).__name__}")
    array = np.asarray(images)
    if array.dtype == object or not (np.issubdtype(array.dtype, np.number) or array.dtype == bool):
        raise TypeError(f"images must be numeric, got dtype {array.dtype}")
    if array.ndim == 4 and array.shape[-1] == 1:
        array = array[..., 0]
    if array.ndim != 3 or array.shape[1:] != (SIDE, SIDE):
        raise ValueError(f"images must have shape (n, 48, 48), got {array.shape}")
    if len(array) == 0:
        raise ValueError("images is empty: need at least one face")
    if array.dtype == bool or np.issubdtype(array.dtype, np.integer):
        if array.min() < 0 or array.max() > 255:
            raise ValueError(f"integer images must be in 0-255, got values {array.min()} to {array.max()}")
        scaled = array.astype(np.float32) / 127.5 - 1.0
    else:
        if not np.isfinite(array).all():
            raise ValueError("images contain NaN or infinite values")
        if array.min() < 0 or array.max() > 1:
            raise ValueError(
                f"float images must be in [0, 1] (pass uint8 for 0-255), got values {array.min():g} to {array.max():g}"
            )
        scaled = array.astype(np.float32) * 2.0 - 1.0
    return scaled[:, None]


def autocast_dtype(precision: str, device: str) -> torch.dtype | None:
    """The dtype training runs its forward passes in: bfloat16 or None (float32).

    ``"auto"`` takes bfloat16 where the device computes it natively (a CUDA
    GPU that supports it; a CPU with oneDNN's bfloat16 kernels, e.g. AVX-512),
    float32 elsewhere.

    Parameters
    ----------
    precision : {"auto", "float32", "bfloat16"}
        The generator's ``precision``.
    device : str
        The torch device training runs on.

    Returns
    -------
    torch.dtype or None
        ``torch.bfloat16``, or None for float32.
    """
    if precision == "auto":
        kind = torch.device(device).type
        native = (
            torch.cuda.is_bf16_supported()
            if kind == "cuda"
            else kind == "cpu" and torch.ops.mkldnn._is_mkldnn_bf16_supported()
        )
        precision = "bfloat16" if native else "float32"
    return torch.bfloat16 if precision == "bfloat16" else None


def _seed_of(random_state) -> int:
    return int(check_random_state(random_state).randint(2**31 - 1))


class ConditionalFaceGenerator(BaseEstimator):
    """A conditional GAN that draws 48x48 grayscale faces showing a chosen emotion.

    Parameters
    ----------
    architecture : {"default", "residual", "seed"}, default="default"
        ``"default"``: a generator with class-conditional batch norm and
        upsample+conv blocks, against a spectral-norm projection discriminator
        with an auxiliary classifier head, hinge loss, differentiable
        augmentation and an exponential moving average of the generator.
        ``"residual"``: the same training with residual blocks of two
        convolutions per resolution in both networks (about 2.5x the compute
        of ``"default"`` at equal ``width``). ``"seed"``: the student project's cGAN (label map as an extra input
        channel, transposed convs, 4-conv discriminator with dropout, BCE,
        Adam 2e-4 with beta1 0.5); ``ema_decay``, ``augment``,
        ``aux_weight`` and ``lecam`` do not apply to it.
    width : int, default=32
        Base channel width of both networks (the seed project used 128).
    latent_dim : int, default=128
        Size of the noise vector.
    max_epochs : int, default=10
        Passes over the training faces the generator has had when ``fit``
        returns, counted over every ``fit`` of one training run: a run resumed
        from a ``checkpoint`` or continued with ``warm_start`` trains until
        ``len(history_) == max_epochs`` (as scikit-learn's warm-started
        ensembles count ``n_estimators``). Raise it to train further; a fit
        with nothing left to train says so in a warning.
    batch_size : int, default=64
        Faces per step.
    lr : float, default=2e-4
        Adam learning rate of both networks.
    ema_decay : float or None, default=0.999
        Decay of the moving average of the generator's weights used for
        sampling; None samples from the trained weights.
    augment : bool, default=True
        Differentiable augmentation (brightness, contrast, translation, cutout)
        of real and generated faces before the discriminator.
    aux_weight : float, default=1.0
        Weight of the auxiliary emotion-classification loss.
    class_weight : {None, "balanced"}, default=None
        How the real faces of an epoch are drawn. None: each face once, in a
        shuffled order. ``"balanced"``: drawn with replacement, with
        probabilities inverse to their emotion's frequency, so the
        discriminator sees every emotion equally often (as the generator is
        asked for them). FER-2013's rare emotions (disgust is 1.5% of its
        training faces) otherwise give the discriminator too few examples,
        and the generator draws nearly one face for them.
    mode_seeking : float, default=0.0
        Weight of the mode-seeking term (Mao et al., CVPR 2019, "Mode Seeking
        Generative Adversarial Networks"): half of each generator batch is
        drawn again for the same emotions from other noise, and the generator's
        loss gains ``mode_seeking / (d_faces / d_noise + 1e-5)``, where
        ``d_faces`` and ``d_noise`` are the mean absolute differences between
        the paired faces and between their noise vectors. It pushes faces of one
        emotion apart, against mode collapse (one face for a rare emotion);
        0 turns it off.
    lecam : float, default=0.0
        Weight of LeCam regularisation (Tseng et al., CVPR 2021, "Regularizing
        Generative Adversarial Networks under Limited Data"): the
        discriminator's loss gains ``lecam * (mean(relu(D(real) - a_fake)**2)
        + mean(relu(a_real - D(fake))**2))``, where ``a_real`` and ``a_fake``
        are moving averages (decay 0.99) of its mean realness scores on real
        and generated faces. It keeps the discriminator's verdicts from
        drifting apart as it learns a small training set by heart; the paper
        uses 0.3 with hinge loss. 0 turns it off (the averages then stay as
        they were); turned on for the first time in a warm start, the
        averages start from its first batch.
    twin_classifier : bool, default=False
        TAC-GAN's twin auxiliary classifier (Gong et al., NeurIPS 2019, "Twin
        Auxiliary Classifiers GAN"): a second head of the discriminator learns
        the emotions of generated faces, and the generator's classification
        loss subtracts its cross-entropy. The auxiliary classifier alone
        rewards the faces that are easiest to classify, which for a rare
        emotion becomes one face drawn over and over; the twin term cancels that
        pull. Turned on in a warm start, the head is added and the
        discriminator's Adam moments start afresh.
    checkpoint : str, path-like or None, default=None
        File to write the training state to every ``checkpoint_every`` steps
        and at the end; if it exists when ``fit`` starts, training resumes from
        it (it must come from the same parameters and data size; ``max_epochs``
        may be raised) and a line says so when ``verbose``.
    checkpoint_every : int, default=200
        Steps between checkpoints.
    precision : {"auto", "float32", "bfloat16"}, default="auto"
        Precision of training's forward passes: ``"bfloat16"`` runs them under
        autocast (weights, gradients, the optimizer, the moving average, the
        losses and spectral norm's power iterations stay float32), about twice
        as fast on CPUs with AVX-512 and on recent GPUs; ``"auto"`` picks it
        where the device computes bfloat16 natively. Sampling is float32.
    warm_start : bool, default=False
        When fitted already, ``fit`` goes on training (up to ``max_epochs``
        epochs in all) instead of starting over, at the current ``lr`` (so
        ``set_params(lr=...)`` between fits lowers the rate of a run).
    device : str, default="auto"
        ``"auto"`` uses CUDA when available, else the CPU; or any torch device.
    random_state : int, RandomState or None, default=None
        Seeds initialisation, data order, noise and augmentation: equal seeds
        give equal generators on the same device.
    verbose : int, default=1
        Show a progress bar with epoch, losses and images/s; 0 is silent.

    Attributes
    ----------
    classes_ : ndarray of str
        FER-2013 emotion names seen in ``fit``, in FER-2013 order.
    generator_ : torch.nn.Module
        The network that ``sample`` uses (the moving average when enabled).
    history_ : list of dict
        Per epoch: ``epoch``, ``d_loss``, ``g_loss``, ``images_per_s``.
    n_images_seen_ : int
        Real faces shown to the discriminator so far.
    """

    def __init__(
        self,
        architecture: str = "default",
        *,
        width: int = 32,
        latent_dim: int = 128,
        max_epochs: int = 10,
        batch_size: int = 64,
        lr: float = 2e-4,
        ema_decay: float | None = 0.999,
        augment: bool = True,
        aux_weight: float = 1.0,
        class_weight: str | None = None,
        mode_seeking: float = 0.0,
        lecam: float = 0.0,
        twin_classifier: bool = False,
        checkpoint: str | os.PathLike | None = None,
        checkpoint_every: int = 200,
        precision: str = "auto",
        warm_start: bool = False,
        device: str = "auto",
        random_state=None,
        verbose: int = 1,
    ):
        self.architecture = architecture
        self.width = width
        self.latent_dim = latent_dim
        self.max_epochs = max_epochs
        self.batch_size = batch_size
        self.lr = lr
        self.ema_decay = ema_decay
        self.augment = augment
        self.aux_weight = aux_weight
        self.class_weight = class_weight
        self.mode_seeking = mode_seeking
        self.lecam = lecam
        self.twin_classifier = twin_classifier
        self.checkpoint = checkpoint
        self.checkpoint_every = checkpoint_every
        self.precision = precision
        self.warm_start = warm_start
        self.device = device
        self.random_state = random_state
        self.verbose = verbose

    # -- checks -----------------------------------------------------------------------
    def _check_params(self) -> None:
        check_choice(self.architecture, "architecture", tuple(ARCHITECTURES))
        for name in ("width", "latent_dim", "max_epochs", "batch_size", "checkpoint_every"):
            check_scalar(getattr(self, name), name, integer=True, min_value=1)
        check_scalar(self.lr, "lr", min_value=0.0, include_min=False)
        check_scalar(self.aux_weight, "aux_weight", min_value=0.0)
        check_scalar(self.mode_seeking, "mode_seeking", min_value=0.0)
        check_scalar(self.lecam, "lecam", min_value=0.0)
        check_scalar(self.ema_decay, "ema_decay", min_value=0.0, max_value=1.0, include_max=False, allow_none=True)
        check_choice(self.augment, "augment", (True, False))
        check_choice(self.twin_classifier, "twin_classifier", (True, False))
        check_choice(self.class_weight, "class_weight", (None, "balanced"))
        check_choice(self.precision, "precision", PRECISIONS)

    @property
    def _uses_extras(self) -> bool:
        return self.architecture != "seed"

    # -- training -----------------------------------------------------------------------
    def _build(self, device: str) -> None:
        gen_cls, disc_cls = ARCHITECTURES[self.architecture]
        n_classes = len(FER_EMOTIONS)
        fast = torch.channels_last  # about 1.3x faster convolutions on the CPU
        self._generator = gen_cls(self.latent_dim, n_classes, self.width).to(device, memory_format=fast)
        twin = {"twin": True} if self.twin_classifier and self._uses_extras else {}
        self.discriminator_ = disc_cls(n_classes, self.width, **twin).to(device, memory_format=fast)
        use_ema = self._uses_extras and self.ema_decay is not None
        self.generator_ = copy.deepcopy(self._generator).eval() if use_ema else self._generator
        for p in self.generator_.parameters() if use_ema else ():
            p.requires_grad_(False)
        betas = _BETAS[self.architecture]
        self._optimizers = (
            torch.optim.Adam(self._generator.parameters(), lr=self.lr, betas=betas),
            torch.optim.Adam(self.discriminator_.parameters(), lr=self.lr, betas=betas),
        )
        self.history_, self.n_images_seen_, self._step = [], 0, 0
        self._score_means = None  # LeCam's moving averages of the mean real and fake scores

    def _match_twin(self) -> None:
        """Add or remove a warm-started discriminator's twin head as ``twin_classifier`` now says."""
        disc = self.discriminator_
        if not self._uses_extras or not disc.set_twin(self.twin_classifier):
            return
        opt_d = self._optimizers[1]
        self._optimizers = (self._optimizers[0], torch.optim.Adam(disc.parameters(), **opt_d.defaults))

    def _training_state(self, epoch: int, batch: int, n_faces: int) -> dict:
        return {
            "params": {k: (str(v) if isinstance(v, os.PathLike) else v) for k, v in self.get_params().items()},
            "n_faces": n_faces,
            "epoch": epoch,
            "batch": batch,
            "step": self._step,
            "n_images_seen": self.n_images_seen_,
            "history": [dict(h) for h in self.history_],
            "classes": self.classes_.tolist(),
            "generator": self._generator.state_dict(),
            "ema": self.generator_.state_dict(),
            "discriminator": self.discriminator_.state_dict(),
            "optimizers": [opt.state_dict() for opt in self._optimizers],
            "score_means": self._score_means,
            "rng": torch.get_rng_state(),
        }

    def _restore(self, state: dict, n_faces: int) -> tuple[int, int]:
        mine = {k: (str(v) if isinstance(v, os.PathLike) else v) for k, v in self.get_params().items()}
        saved = {**type(self)().get_params(), **state["params"]}  # parameters added since: their defaults
        differs = sorted(k for k in mine if k not in RUN_SETTINGS and saved[k] != mine[k])
        if differs or state["n_faces"] != n_faces:
            what = ", ".join(differs) if differs else f"{state['n_faces']} faces, now {n_faces}"
            raise ValueError(
                f"checkpoint {str(self.checkpoint)!r} comes from a different run ({what}); "
                "delete it or pass another checkpoint path"
            )
        self._generator.load_state_dict(state["generator"])
        self.generator_.load_state_dict(state["ema"])
        self.discriminator_.load_state_dict(state["discriminator"])
        # a compact checkpoint may leave out the optimizer states: Adam then starts its moments afresh
        for opt, opt_state in zip(self._optimizers, state.get("optimizers", ())):
            opt.load_state_dict(opt_state)
        self._step, self.n_images_seen_ = state["step"], state["n_images_seen"]
        self._score_means = state.get("score_means")  # absent from checkpoints older than lecam
        self.history_ = [dict(h) for h in state["history"]]
        torch.set_rng_state(state["rng"])
        return state["epoch"], state["batch"]

    def _losses(self, real, codes, fake_codes, dtype):
        """One discriminator step and one generator step, forward passes in ``dtype`` (None: float32);
        returns (d_loss, g_loss)."""
        gen, disc = self._generator, self.discriminator_
        opt_g, opt_d = self._optimizers
        extras = self._uses_extras
        prepare = diff_augment if extras and self.augment else (lambda x: x)
        autocast = lambda: torch.autocast(real.device.type, dtype=dtype, enabled=dtype is not None)  # noqa: E731
        ce, bce = torch.nn.functional.cross_entropy, torch.nn.functional.binary_cross_entropy_with_logits
        z = torch.randn(len(codes), self.latent_dim).to(real.device)  # CPU noise: the same on any device
        half = len(fake_codes) // 2 if self.mode_seeking else 0
        fake_codes = torch.cat([fake_codes[:half], fake_codes[: len(fake_codes) - half]])  # pairs: i, half + i
        with autocast():
            fake = gen(z, fake_codes)
            real_score, real_logits, _ = disc(prepare(real), codes)
            fake_score, _, fake_twin = disc(prepare(fake.detach()), fake_codes)
        real_score, fake_score = real_score.float(), fake_score.float()  # the losses in float32
        if extras:
            d_loss = torch.relu(1 - real_score).mean() + torch.relu(1 + fake_score).mean()
            d_loss = d_loss + self.aux_weight * ce(real_logits.float(), codes)
            if fake_twin is not None:  # the twin head learns the emotions of generated faces
                d_loss = d_loss + self.aux_weight * ce(fake_twin.float(), fake_codes)
            if self.lecam:
                d_loss = d_loss + self.lecam * self._lecam_penalty(real_score, fake_score)
        else:
            d_loss = bce(real_score, torch.ones_like(real_score)) + bce(fake_score, torch.zeros_like(fake_score))
        opt_d.zero_grad(set_to_none=True)
        d_loss.backward()
        opt_d.step()
        with autocast():
            fake_score, fake_logits, fake_twin = disc(prepare(fake), fake_codes)
        fake_score = fake_score.float()
        if extras:
            g_loss = -fake_score.mean() + self.aux_weight * ce(fake_logits.float(), fake_codes)
            if fake_twin is not None:
                g_loss = g_loss - self.aux_weight * ce(fake_twin.float(), fake_codes)
        else:
            g_loss = bce(fake_score, torch.ones_like(fake_score))
        if half:
            faces = fake.float()
            spread = (faces[:half] - faces[half : 2 * half]).abs().mean() / (z[:half] - z[half : 2 * half]).abs().mean()
            g_loss = g_loss + self.mode_seeking / (spread + 1e-5)
        opt_g.zero_grad(set_to_none=True)
        g_loss.backward()
        opt_g.step()
        return d_loss.item(), g_loss.item()

    def _lecam_penalty(self, real_score: torch.Tensor, fake_score: torch.Tensor) -> torch.Tensor:
        """LeCam's regulariser (see ``lecam``), after moving its averages on by this batch."""
        means = torch.stack([real_score.mean(), fake_score.mean()]).detach()
        previous = self._score_means
        self._score_means = means if previous is None else previous.to(means.device).lerp(means, 1 - _LECAM_DECAY)
        real_mean, fake_mean = self._score_means
        return torch.relu(real_score - fake_mean).square().mean() + torch.relu(real_mean - fake_score).square().mean()

    def _update_ema(self) -> None:
        if self.generator_ is self._generator:
            return
        decay = min(self.ema_decay, (1 + self._step) / (10 + self._step))
        with torch.no_grad():
            for ema, p in zip(self.generator_.parameters(), self._generator.parameters()):
                ema.lerp_(p, 1 - decay)
            for ema, b in zip(self.generator_.buffers(), self._generator.buffers()):
                ema.copy_(b)

    def fit(self, images, labels):
        """Train the GAN on faces and their emotions.

        Parameters
        ----------
        images : array-like of shape (n, 48, 48)
            Faces: uint8 pixels 0-255 (or floats in [0, 1]).
        labels : array-like of shape (n,)
            FER-2013 codes 0-6 or emotion names (any case).

        Returns
        -------
        self : ConditionalFaceGenerator
            The fitted generator.
        """
        self._check_params()
        faces = check_faces(images)
        if isinstance(labels, (str, bytes)) or not hasattr(labels, "__len__"):
            raise TypeError(f"labels must be a sequence of emotion names or codes, got {type(labels).__name__}")
        if len(labels) != len(faces):
            raise ValueError(f"images and labels differ in length: {len(faces)} and {len(labels)}")
        codes = np.asarray(fer_codes(np.asarray(labels, dtype=object).tolist()), dtype=np.int64)
        device = resolve_device(self.device)
        continuing = self.warm_start and hasattr(self, "generator_")
        if continuing and not hasattr(self, "discriminator_"):
            raise ValueError(
                "this generator was loaded from a weights-only file, which keeps no discriminator: "
                "it can sample but not warm_start; train from a checkpoint instead"
            )
        seed = _seed_of(self.random_state)
        with torch.random.fork_rng(devices=[]):
            torch.manual_seed(seed)
            if not continuing:
                self.classes_ = np.array([e for i, e in enumerate(FER_EMOTIONS) if i in set(codes.tolist())])
                self._build(device)
            elif not set(np.asarray(FER_EMOTIONS)[codes]) <= set(self.classes_):
                raise ValueError(f"warm start: labels include emotions not among classes_ {self.classes_.tolist()}")
            else:  # a warm start goes on at the current learning rate (set_params(lr=...) anneals a run)
                self._match_twin()
                for opt in self._optimizers:
                    for group in opt.param_groups:
                        group["lr"] = self.lr
            start_epoch, start_batch = len(self.history_), 0
            if self.checkpoint is not None and Path(self.checkpoint).is_file() and not continuing:
                start_epoch, start_batch = self._restore(load_checkpoint(self.checkpoint), len(faces))
                self._say(
                    f"resuming from {str(self.checkpoint)!r} at epoch {start_epoch + 1}, step {self._step}, "
                    f"to train until epoch {self.max_epochs}"
                )
            if start_epoch >= self.max_epochs:
                warnings.warn(
                    f"ConditionalFaceGenerator has trained {start_epoch} epochs already "
                    f"(max_epochs={self.max_epochs}): nothing to do; raise max_epochs to train further",
                    UserWarning,
                    stacklevel=2,
                )
            self._train(
                torch.from_numpy(faces),
                torch.from_numpy(codes),
                device,
                seed,
                start_epoch,
                start_batch,
                self.max_epochs,
            )
        self._standing_stats()
        return self

    def _say(self, message: str) -> None:
        """One line on stderr, unless ``verbose=0``."""
        if self.verbose:
            print(f"ConditionalFaceGenerator: {message}", file=sys.stderr, flush=True)

    def _standing_stats(self, n_batches: int = 16) -> None:
        """Recompute the sampling network's batch-norm statistics from its own faces.

        During training batch norm uses each batch's statistics, and its running
        averages trail the weights (more so for the moving-average network);
        sampling one face at a time needs statistics that match the final
        weights, so they are re-estimated over ``n_batches`` batches of 64
        faces of all classes (seeded: the result is repeatable).
        """
        network = self.generator_
        norms = [m for m in network.modules() if isinstance(m, torch.nn.modules.batchnorm._BatchNorm)]
        if not norms:
            return
        device = next(network.parameters()).device
        codes = torch.tensor(fer_codes(self.classes_.tolist()))
        rng = torch.Generator().manual_seed(0)
        momenta = [m.momentum for m in norms]
        for m in norms:
            m.reset_running_stats()
            m.momentum = None  # a cumulative average over the batches below
        network.train()
        with torch.no_grad():
            for _ in range(n_batches):
                z = torch.randn(64, self.latent_dim, generator=rng)
                y = codes[torch.randint(len(codes), (64,), generator=rng)]
                network(z.to(device), y.to(device))
        for m, momentum in zip(norms, momenta):
            m.momentum = momentum
        network.eval()

    def _epoch_order(self, codes: torch.Tensor, n_batches: int, rng: torch.Generator) -> torch.Tensor:
        """Indices of the real faces of one epoch, in order (see ``class_weight``)."""
        if self.class_weight is None:
            return torch.randperm(len(codes), generator=rng)
        weights = 1.0 / torch.bincount(codes).double()[codes]
        return torch.multinomial(weights, n_batches * self.batch_size, replacement=True, generator=rng)

    def _train(self, faces, codes, device, seed, start_epoch, start_batch, end_epoch) -> None:
        if start_epoch >= end_epoch:  # trained max_epochs already (the caller warned)
            return
        n_batches = len(faces) // self.batch_size or 1
        class_codes = torch.tensor(fer_codes(self.classes_.tolist()))
        dtype = autocast_dtype(self.precision, device)
        bar = tqdm(
            total=(end_epoch - start_epoch) * n_batches - start_batch,
            disable=not self.verbose,
            desc="ConditionalFaceGenerator",
            unit="step",
        )
        self._generator.train()
        self.discriminator_.train()
        for epoch in range(start_epoch, end_epoch):
            order = self._epoch_order(codes, n_batches, torch.Generator().manual_seed(seed + epoch))
            d_sum = g_sum = 0.0
            started, done = time.perf_counter(), 0
            for batch in range(start_batch if epoch == start_epoch else 0, n_batches):
                index = order[batch * self.batch_size : (batch + 1) * self.batch_size]
                real = faces[index]
                if self._uses_extras:
                    real = random_flip(real)
                fake_codes = class_codes[torch.randint(len(class_codes), (len(index),))]
                real = real.to(device).contiguous(memory_format=torch.channels_last)
                d_loss, g_loss = self._losses(real, codes[index].to(device), fake_codes.to(device), dtype)
                self._step += 1
                self.n_images_seen_ += len(index)
                self._update_ema()
                d_sum, g_sum, done = d_sum + d_loss, g_sum + g_loss, done + 1
                rate = done * self.batch_size / (time.perf_counter() - started)
                bar.update()
                bar.set_postfix(epoch=epoch + 1, d_loss=f"{d_loss:.3f}", g_loss=f"{g_loss:.3f}", img_s=f"{rate:.0f}")
                if self.checkpoint is not None and self._step % self.checkpoint_every == 0:
                    save_checkpoint(self.checkpoint, self._training_state(epoch, batch + 1, len(faces)))
            self.history_.append(
                {
                    "epoch": epoch + 1,
                    "d_loss": d_sum / max(done, 1),
                    "g_loss": g_sum / max(done, 1),
                    "images_per_s": done * self.batch_size / (time.perf_counter() - started),
                }
            )
        bar.close()
        if self.checkpoint is not None:
            save_checkpoint(self.checkpoint, self._training_state(end_epoch, 0, len(faces)))

    @classmethod
    def from_checkpoint(cls, path: str | os.PathLike) -> ConditionalFaceGenerator:
        """The generator as a checkpoint left it, ready to ``sample`` or to ``fit`` on.

        Parameters
        ----------
        path : str or path-like
            A checkpoint written during ``fit``.

        Returns
        -------
        ConditionalFaceGenerator
            A fitted generator with the checkpoint's parameters and state.
        """
        state = load_checkpoint(path)
        generator = cls(**state["params"])
        generator._check_params()
        generator.classes_ = np.asarray(state["classes"])
        with torch.random.fork_rng(devices=[]):
            generator._build(resolve_device(generator.device))
            generator._restore(state, state["n_faces"])
        generator._standing_stats()
        return generator

    # -- sampling ---------------------------------------------------------------------
    def _weights(self, weights) -> np.ndarray:
        """Blends of emotions, given over ``classes_`` (a mapping or float rows), as rows over all FER codes."""
        if isinstance(weights, dict):
            codes = fer_codes(list(weights))
            rows = np.zeros((1, len(self.classes_)))
            for code, weight in zip(codes, weights.values()):
                if FER_EMOTIONS[code] not in self.classes_:
                    raise ValueError(
                        f"the generator was not fitted on {FER_EMOTIONS[code]!r}; it knows {self.classes_.tolist()}"
                    )
                rows[0, self.classes_.tolist().index(FER_EMOTIONS[code])] += float(weight)
        else:
            rows = np.asarray(weights, dtype=np.float64)
            rows = rows[None] if rows.ndim == 1 else rows
            if rows.ndim != 2 or rows.shape[1] != len(self.classes_):
                raise ValueError(
                    f"emotion weights must have {len(self.classes_)} values per face, one per "
                    f"classes_ {self.classes_.tolist()}; got shape {np.shape(weights)}"
                )
        if not np.isfinite(rows).all() or (rows < 0).any():
            raise ValueError("emotion weights must be finite and non-negative")
        total = rows.sum(axis=1, keepdims=True)
        if (total <= 0).any():
            raise ValueError("emotion weights must not all be 0")
        out = np.zeros((len(rows), len(FER_EMOTIONS)), dtype=np.float32)
        out[:, fer_codes(self.classes_.tolist())] = rows / total
        return out

    def _conditioning(self, label, n: int) -> torch.Tensor:
        """``sample``'s ``label`` as int64 FER codes ``(m,)`` or float weights over them ``(m, 7)``."""
        if isinstance(label, (str, numbers.Number)):
            label = [label] * n
        elif isinstance(label, dict) or (hasattr(label, "__len__") and np.asarray(label).dtype.kind == "f"):
            rows = self._weights(label)
            if n != 1 and len(rows) > 1:
                raise ValueError(f"pass n only with a single blend; got {len(rows)} rows of weights and n={n}")
            return torch.from_numpy(np.repeat(rows, n if len(rows) == 1 else 1, axis=0))
        elif hasattr(label, "__len__"):
            label = list(np.asarray(label, dtype=object).ravel())
            if n != 1:
                raise ValueError(f"pass n only with a single label; got {len(label)} labels and n={n}")
        else:
            raise TypeError(
                f"label must be an emotion name, a code, a sequence of them or emotion weights, got {label!r}"
            )
        codes = fer_codes(label)
        unknown = sorted({FER_EMOTIONS[c] for c in codes} - set(self.classes_))
        if unknown:
            raise ValueError(f"the generator was not fitted on {unknown}; it knows {self.classes_.tolist()}")
        return torch.tensor(codes, dtype=torch.int64)

    def _noise(self, n: int, random_state, truncation: float) -> torch.Tensor:
        check_scalar(truncation, "truncation", min_value=0.0, max_value=1.0, include_min=False)
        noise = check_random_state(random_state).standard_normal((n, self.latent_dim)) * truncation
        return torch.from_numpy(noise.astype(np.float32))

    def sample(self, label, n: int = 1, random_state=None, truncation: float = 1.0) -> np.ndarray:
        """Draw faces showing an emotion, or a blend of emotions.

        Parameters
        ----------
        label : int, str, sequence of them, dict or array of floats
            A FER-2013 code 0-6 or emotion name (any case) gives ``n`` faces of
            it; a sequence of labels gives one face per label. Emotion weights
            give faces that blend the emotions (the conditioning is linear in
            the class embedding): a dict such as ``{"sad": 0.6, "fear": 0.4}``
            or a float vector over ``classes_`` gives ``n`` faces of that
            blend, a float array of shape ``(m, len(classes_))`` one face per row.
            Weights are normalised to sum to 1.
        n : int, default=1
            Faces to draw for a single label or blend (0 gives an empty array).
        random_state : int, RandomState or None, default=None
            Seeds the noise: the same seed gives the same faces.
        truncation : float in (0, 1], default=1.0
            The truncation trick: the noise is scaled by this factor towards
            its mean. Lower values give cleaner, more typical faces of the
            emotion and less variety between them (at 0.5 the faces of one
            emotion look alike and drift from the real faces' spread); 1 draws
            from the training distribution.

        Returns
        -------
        ndarray of shape (n, 48, 48) or (m, 48, 48)
            uint8 faces.
        """
        check_is_fitted(self)
        check_scalar(n, "n", integer=True, min_value=0)
        conditioning = self._conditioning(label, n)
        return self._decode(self._noise(len(conditioning), random_state, truncation), conditioning)

    def sample_every_emotion(self, n: int = 1, random_state=None, truncation: float = 1.0) -> np.ndarray:
        """The same faces (the same noise) drawn once for each emotion of ``classes_``.

        Parameters
        ----------
        n : int, default=1
            Faces, i.e. noise vectors.
        random_state : int, RandomState or None, default=None
            Seeds the noise.
        truncation : float in (0, 1], default=1.0
            As in :meth:`sample`.

        Returns
        -------
        ndarray of shape (n, n_classes, 48, 48)
            uint8 faces: row i is face i showing each emotion in ``classes_`` order.
        """
        check_is_fitted(self)
        check_scalar(n, "n", integer=True, min_value=0)
        k = len(self.classes_)
        z = self._noise(n, random_state, truncation).repeat_interleave(k, dim=0)
        codes = torch.tensor(fer_codes(self.classes_.tolist()), dtype=torch.int64).repeat(n)
        return self._decode(z, codes).reshape(n, k, SIDE, SIDE)

    def morph(self, start, end, n_steps: int = 8, n: int = 1, random_state=None, truncation: float = 1.0) -> np.ndarray:
        """Faces morphing from one emotion to another: the same noise, the blend moving in ``n_steps``.

        Parameters
        ----------
        start, end : int or str
            FER-2013 codes or emotion names of ``classes_``.
        n_steps : int, default=8
            Images per strip, from all ``start`` to all ``end`` (at least 2).
        n : int, default=1
            Strips, i.e. noise vectors.
        random_state : int, RandomState or None, default=None
            Seeds the noise.
        truncation : float in (0, 1], default=1.0
            As in :meth:`sample`.

        Returns
        -------
        ndarray of shape (n, n_steps, 48, 48)
            uint8 faces.
        """
        check_is_fitted(self)
        check_scalar(n, "n", integer=True, min_value=0)
        check_scalar(n_steps, "n_steps", integer=True, min_value=2)
        ends = [self._conditioning(label, 1) for label in (start, end)]
        if any(e.is_floating_point() or len(e) != 1 for e in ends):
            raise TypeError(f"start and end must each be one emotion name or code, got {start!r} and {end!r}")
        t = torch.linspace(0, 1, n_steps)[:, None]
        one_hot = torch.eye(len(FER_EMOTIONS))
        blends = (1 - t) * one_hot[ends[0]] + t * one_hot[ends[1]]
        z = self._noise(n, random_state, truncation).repeat_interleave(n_steps, dim=0)
        return self._decode(z, blends.repeat(n, 1)).reshape(n, n_steps, SIDE, SIDE)

    def _decode(self, z: torch.Tensor, codes: torch.Tensor) -> np.ndarray:
        """uint8 faces of noise ``z`` and conditioning ``codes`` (FER codes, or weights over them)."""
        out = np.empty((len(z), SIDE, SIDE), dtype=np.uint8)
        generator = self.generator_
        device = next(generator.parameters()).device
        was_training = generator.training
        generator.eval()
        with torch.no_grad():
            for start in range(0, len(z), _SAMPLE_BATCH):
                images = generator(
                    z[start : start + _SAMPLE_BATCH].to(device), codes[start : start + _SAMPLE_BATCH].to(device)
                )
                out[start : start + len(images)] = (
                    ((images[:, 0] + 1) * 127.5).round().clamp(0, 255).byte().cpu().numpy()
                )
        generator.train(was_training)
        return out

    def __sklearn_tags__(self):
        tags = super().__sklearn_tags__()
        tags.non_deterministic = self.random_state is None
        tags.input_tags.three_d_array = True
        tags.input_tags.two_d_array = False
        tags.target_tags.required = True
        return tags
