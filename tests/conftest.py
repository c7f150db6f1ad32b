"""Shared fixtures: synthetic audio written as WAV/FLAC in a RAVDESS-named layout.

No real data is needed: every clip is a generated tone or noise. ``happy`` clips
are high tones and ``sad`` clips low tones, so that tiny networks can tell them apart.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
import torch

from speechface.datasets.synthetic import draw_face, drawn_faces, ravdess_name, tone  # noqa: F401

# The test machine is small and shared: keep torch to one thread everywhere.
torch.set_num_threads(1)

SR = 16000

#: emotion code -> tone frequency (Hz) of the synthetic clips
EMOTION_FREQ = {3: 1200.0, 4: 300.0}  # 03 happy: high; 04 sad: low

#: keyword arguments of a tiny, fast make_ser_pipeline; its clips are tones, in which voice
#: activity detection rightly finds no speech, so it reads them from the start (RAVDESS timing)
#: as one clean view: the speech front end is tested on real speech (test_audio_speech.py,
#: test_features_mfcc.py, test_ser_pipeline.py)
TINY_SER = dict(
    mfcc__vad=False,
    mfcc__n_views=1,
    mfcc__augment=None,
    mfcc__duration=0.5,
    mfcc__offset=0.0,
    mfcc__n_mfcc=13,
    mfcc__n_mels=64,
    mfcc__n_fft=512,
    mfcc__hop_length=160,
    mfcc__deltas=2,
    cnn__module__width=8,
    cnn__module__stem_channels=0,  # MFCC rows are not frequency bands, which the stem assumes
    cnn__module__n_members=1,
    cnn__module__n_layers=1,
    cnn__max_epochs=8,
    cnn__lr=1e-2,
    cnn__random_state=0,
    cnn__train_split=None,
    cnn__patience=None,
)

#: keyword arguments of a tiny, fast SpeechEmotionClassifier
TINY_CLF = dict(
    module__width=4,
    module__stem_channels=0,  # the toy data's classes differ by row, which the frequency stem pools
    module__n_members=1,
    module__n_layers=1,
    max_epochs=8,
    lr=1e-2,
    batch_size=32,  # the toy sets hold a few dozen rows: 64 leaves one step per epoch
    random_state=0,
    train_split=None,
    patience=None,
)


def pytest_configure(config):
    config.addinivalue_line(
        "markers",
        "integration: needs the real RAVDESS data; runs only with `-m integration` or SPEECHFACE_INTEGRATION=1",
    )


def pytest_collection_modifyitems(config, items):
    markexpr = config.getoption("-m", default="") or ""
    if "integration" in markexpr or os.environ.get("SPEECHFACE_INTEGRATION") == "1":
        return
    skip = pytest.mark.skip(reason="integration test: opt in with `-m integration` or SPEECHFACE_INTEGRATION=1")
    for item in items:
        if "integration" in item.keywords:
            item.add_marker(skip)


# -- helpers ----------------------------------------------------------------------------


def write_audio(path: Path, y: np.ndarray, sr: int, subtype: str | None = None) -> Path:
    """Write ``y`` (samples, or samples x channels) to ``path``, creating folders."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    sf.write(str(path), y, sr, subtype=subtype)
    return path


def dominant_frequency(y: np.ndarray, sr: int) -> float:
    """Frequency (Hz) of the largest FFT peak of ``y``."""
    spectrum = np.abs(np.fft.rfft(y * np.hanning(y.size)))
    return float(np.fft.rfftfreq(y.size, 1 / sr)[spectrum.argmax()])


# Per actor, a different way of storing the clips, so that every loader path is used.
_ACTOR_FORMAT = {
    1: dict(ext="wav", sr=16000, channels=1, subtype="PCM_16"),
    2: dict(ext="flac", sr=16000, channels=1, subtype=None),
    3: dict(ext="wav", sr=44100, channels=2, subtype="PCM_24"),  # stereo, 24-bit
    4: dict(ext="wav", sr=8000, channels=1, subtype="PCM_16"),  # 8 kHz
}


def write_ravdess_tree(root: Path, *, flat: bool = False, short_clip: bool = True) -> list[dict]:
    """Write 4 actors x {happy, sad} x 2 statements (+ a 0.1 s clip) under ``root``.

    Returns one dict per audio file: path, emotion name, actor, and how it was stored.
    """
    from speechface.labels import ravdess_emotion

    files = []
    for actor, fmt in _ACTOR_FORMAT.items():
        for emotion, freq in EMOTION_FREQ.items():
            for statement in (1, 2):
                name = ravdess_name(emotion, statement=statement, actor=actor, ext=fmt["ext"])
                folder = root if flat else root / f"Actor_{actor:02d}"
                y = tone(freq * (1 + 0.05 * statement), 1.0, fmt["sr"], seed=actor * 10 + statement)
                if fmt["channels"] == 2:
                    y = np.stack([y, 0.5 * y], axis=1)
                path = write_audio(folder / name, y, fmt["sr"], fmt["subtype"])
                files.append(dict(path=str(path), emotion=ravdess_emotion(emotion), actor=actor, **fmt))
    if short_clip:
        name = ravdess_name(3, statement=1, repetition=2, actor=4)
        folder = root if flat else root / "Actor_04"
        path = write_audio(folder / name, tone(EMOTION_FREQ[3], 0.1, SR), SR, "PCM_16")
        files.append(dict(path=str(path), emotion="happy", actor=4, ext="wav", sr=SR, channels=1, subtype="PCM_16"))
    # a non-audio file that loaders must ignore
    (root / "README.txt").write_text("not audio\n")
    return files


@pytest.fixture(scope="session")
def ravdess_tree(tmp_path_factory):
    """(root, files) of a nested ``Actor_XX`` tree of synthetic RAVDESS clips, shared, read-only."""
    root = tmp_path_factory.mktemp("ravdess")
    return root, write_ravdess_tree(root)


@pytest.fixture(scope="session")
def ravdess_root(ravdess_tree):
    return ravdess_tree[0]


@pytest.fixture(scope="session")
def ravdess_xy(ravdess_root):
    """(paths, labels, actors) of the shared synthetic RAVDESS tree."""
    from speechface import load_ravdess

    bunch = load_ravdess(ravdess_root)
    return bunch.data, bunch.target, bunch.frame["actor"].to_numpy()


@pytest.fixture(scope="session")
def fitted_ser_pipeline(ravdess_xy):
    """A tiny make_ser_pipeline fitted on the synthetic tree (shared: do not refit)."""
    from speechface import make_ser_pipeline

    X, y, _ = ravdess_xy
    return make_ser_pipeline(**TINY_SER).fit(X, y)


@pytest.fixture
def wav_16k(tmp_path):
    """A 1 s mono 16 kHz PCM_16 tone file."""
    return write_audio(tmp_path / "tone.wav", tone(440.0), SR, "PCM_16")


# -- faces ------------------------------------------------------------------------------

#: keyword arguments of a tiny, fast ConditionalFaceGenerator
TINY_GAN = dict(width=4, latent_dim=8, max_epochs=1, batch_size=16, random_state=0, verbose=0)
