"""Waveform augmentation for training: the recordings users make, simulated with audiomentations.

It lives with the audio code rather than in ``ser/`` because the feature
transformer, which sits below the classifier, applies it while it extracts
training features.
"""

from __future__ import annotations

import contextlib
import random
import warnings
from collections.abc import Callable, Iterator, Sequence

import numpy as np

#: the presets MFCCTransformer(augment=...) accepts
AUGMENTATIONS = ("recordings",)

Augmentation = Callable[..., np.ndarray]


def make_augmentation(name: str, babble: Sequence[str] | None = None) -> Augmentation:
    """The waveform augmentation called ``name``: a callable ``(samples, sample_rate) -> samples``.

    ``"recordings"`` simulates, each with its own probability, in the order a
    recording meets them: a room (reverberation from a simulated shoebox room,
    RT60 0.15-0.9 s, pyroomacoustics through audiomentations, without ray
    tracing, which costs 160 ms a clip against 10 ms); background noise (white
    to brown noise at 0-30 dB SNR, or babble of two other training clips at
    0-25 dB); the channel (a telephone band of about 300-3400 Hz, a random
    band-pass, or MP3 at 16-64 kbps); the speaker's pitch (+-2 semitones) and
    the level (+-12 dB).

    Parameters
    ----------
    name : {"recordings"}
        The preset.
    babble : sequence of str, optional
        Audio files whose voices are mixed in as babble; without them the
        noise is coloured noise only.

    Returns
    -------
    callable
        An audiomentations ``Compose``.
    """
    import audiomentations as A

    if name not in AUGMENTATIONS:
        raise ValueError(f"augment must be one of {list(AUGMENTATIONS)} or None, got {name!r}")
    noises = [A.AddColorNoise(min_snr_db=0.0, max_snr_db=30.0, min_f_decay=-6.0, max_f_decay=6.0, p=1.0)]
    if babble:
        noises.append(
            A.Compose([A.AddBackgroundNoise(list(babble), min_snr_db=3.0, max_snr_db=28.0, p=1.0) for _ in range(2)])
        )
    telephone = A.Compose([A.HighPassFilter(200.0, 400.0, p=1.0), A.LowPassFilter(3000.0, 4000.0, p=1.0)])
    return A.Compose(
        [
            A.RoomSimulator(
                min_target_rt60=0.15,
                max_target_rt60=0.9,
                calculation_mode="rt60",
                use_ray_tracing=False,
                max_order=3,
                leave_length_unchanged=True,
                p=0.4,
            ),
            A.OneOf(noises, p=0.6),
            A.OneOf([telephone, A.BandPassFilter(p=1.0), A.Mp3Compression(16, 64, p=1.0)], p=0.4),
            A.PitchShift(-2.0, 2.0, p=0.25),
            A.Gain(-12.0, 12.0, p=0.5),
        ]
    )


@contextlib.contextmanager
def seeded_globals(seed: int) -> Iterator[None]:
    """Seed Python's and NumPy's global generators, which audiomentations draws from; restore them after.

    Parameters
    ----------
    seed : int
        The seed.
    """
    saved = random.getstate(), np.random.get_state()
    random.seed(seed)
    np.random.seed(seed % 2**32)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "had to be resampled" for every babble file
            yield
    finally:
        random.setstate(saved[0])
        np.random.set_state(saved[1])
