"""Small synthetic stand-ins for RAVDESS and FER-2013, for examples, tests and quick trials.

Like scikit-learn's ``make_*`` functions: data with a known, learnable
structure. Speech emotions become tones of different pitch; face emotions
become cartoon faces whose mouth curves with the emotion.
"""

from __future__ import annotations

import os
from collections.abc import Sequence
from pathlib import Path

import numpy as np
import soundfile as sf

from speechface.labels import FER_EMOTIONS, RAVDESS_EMOTIONS

#: mouth curvature per FER-2013 emotion: up for happy, down for sad ...
_MOUTH = {"happy": 1.0, "surprise": 0.6, "neutral": 0.0, "fear": -0.3, "angry": -0.6, "disgust": -0.8, "sad": -1.0}


def tone(freq: float, duration: float = 1.0, sr: int = 16000, amp: float = 0.5, seed: int = 0) -> np.ndarray:
    """A sine tone with its 2nd harmonic and a little noise.

    Parameters
    ----------
    freq : float
        Fundamental frequency in Hz.
    duration : float, default=1.0
        Seconds.
    sr : int, default=16000
        Sample rate.
    amp : float, default=0.5
        Peak amplitude before noise.
    seed : int, default=0
        Seed of the noise.

    Returns
    -------
    ndarray of shape (round(duration * sr),)
        float32 samples in [-1, 1].
    """
    rng = np.random.default_rng(seed)
    t = np.arange(int(round(duration * sr))) / sr
    y = amp * (0.8 * np.sin(2 * np.pi * freq * t) + 0.2 * np.sin(2 * np.pi * 2 * freq * t))
    return (y + 0.01 * rng.standard_normal(t.size)).astype(np.float32)


def ravdess_name(
    emotion: int = 3,
    *,
    intensity: int = 1,
    statement: int = 1,
    repetition: int = 1,
    actor: int = 1,
    modality: int = 3,
    channel: int = 1,
    ext: str = "wav",
) -> str:
    """A RAVDESS file name ``MM-CC-EE-II-SS-RR-AA.ext``.

    Parameters
    ----------
    emotion : int, default=3
        Emotion code 1-8.
    intensity : int, default=1
        Intensity code.
    statement : int, default=1
        Statement code.
    repetition : int, default=1
        Repetition code.
    actor : int, default=1
        Actor 1-24.
    modality : int, default=3
        Modality code (3: audio only).
    channel : int, default=1
        Vocal channel (1: speech).
    ext : str, default="wav"
        File extension.

    Returns
    -------
    str
        The file name.
    """
    fields = (modality, channel, emotion, intensity, statement, repetition, actor)
    return "-".join(f"{v:02d}" for v in fields) + f".{ext}"


def make_ravdess_like(
    root: str | os.PathLike,
    *,
    actors: Sequence[int] = (1, 2, 3, 4),
    emotions: Sequence[str] = RAVDESS_EMOTIONS,
    statements: Sequence[int] = (1, 2),
    repetitions: Sequence[int] = (1, 2),
    duration: float = 1.5,
    sr: int = 16000,
) -> Path:
    """Write a RAVDESS-named folder of tones: each emotion has its own pitch and tremolo rate.

    Parameters
    ----------
    root : str or path-like
        Folder to create (``Actor_XX`` sub-folders inside).
    actors : sequence of int, default=(1, 2, 3, 4)
        Actors; each speaks a little higher than the previous one.
    emotions : sequence of str, default=RAVDESS_EMOTIONS
        Emotion names.
    statements : sequence of int, default=(1, 2)
        Statement codes.
    repetitions : sequence of int, default=(1, 2)
        Repetition codes; one WAV per actor, emotion, statement and repetition.
    duration : float, default=1.5
        Seconds per clip.
    sr : int, default=16000
        Sample rate.

    Returns
    -------
    Path
        ``root``.
    """
    root = Path(root)
    for actor in actors:
        folder = root / f"Actor_{actor:02d}"
        folder.mkdir(parents=True, exist_ok=True)
        for emotion in emotions:
            code = RAVDESS_EMOTIONS.index(emotion) + 1
            for statement in statements:
                for repetition in repetitions:
                    freq = 150.0 * 1.3 ** (code - 1) * (1 + 0.02 * actor + 0.01 * statement + 0.005 * repetition)
                    y = tone(freq, duration, sr, seed=actor * 1000 + code * 100 + statement * 10 + repetition)
                    t = np.arange(y.size) / sr  # a tremolo whose rate tells the emotion, too
                    y = (y * (0.6 + 0.4 * np.sin(2 * np.pi * 1.5 * code * t))).astype(np.float32)
                    name = ravdess_name(code, statement=statement, repetition=repetition, actor=actor)
                    sf.write(folder / name, y, sr, subtype="PCM_16")
    return root


def draw_face(emotion: str, seed: int = 0) -> np.ndarray:
    """A 48x48 uint8 cartoon face: gray head, dark eyes, a mouth curved by the emotion.

    Parameters
    ----------
    emotion : str
        A FER-2013 emotion name: ``happy`` smiles, ``sad`` frowns, the others lie between.
    seed : int, default=0
        Varies position, brightness and noise.

    Returns
    -------
    ndarray of shape (48, 48)
        uint8 pixels.
    """
    rng = np.random.default_rng(seed)
    rows, cols = np.mgrid[0:48, 0:48]
    cy, cx = 24 + rng.integers(-2, 3), 24 + rng.integers(-2, 3)
    face = np.full((48, 48), 30.0)
    face[((rows - cy) / 20) ** 2 + ((cols - cx) / 16) ** 2 <= 1] = rng.uniform(150, 210)
    for ex in (cx - 6, cx + 6):
        face[(rows - (cy - 5)) ** 2 + (cols - ex) ** 2 <= 4] = 20
    curve = _MOUTH.get(emotion, 0.0)
    for x in range(cx - 7, cx + 8):
        y = int(round(cy + 8 + curve * (1 - ((x - cx) / 7) ** 2) * 4))
        face[y - 1 : y + 1, x] = 20
    face += rng.normal(0, 4, face.shape)
    return face.clip(0, 255).astype(np.uint8)


def drawn_faces(
    n_per_emotion: int, emotions: Sequence[str] = ("happy", "sad"), seed: int = 0
) -> tuple[np.ndarray, np.ndarray]:
    """Cartoon faces, ``n_per_emotion`` of each emotion, and their names.

    Parameters
    ----------
    n_per_emotion : int
        Faces per emotion.
    emotions : sequence of str, default=("happy", "sad")
        FER-2013 emotion names.
    seed : int, default=0
        Base seed.

    Returns
    -------
    faces : ndarray of shape (n, 48, 48)
        uint8 faces.
    labels : ndarray of shape (n,)
        Emotion names.
    """
    faces, labels = [], []
    for k, emotion in enumerate(emotions):
        for i in range(n_per_emotion):
            faces.append(draw_face(emotion, seed=seed + 1000 * k + i))
            labels.append(emotion)
    return np.stack(faces), np.array(labels, dtype=object)


def make_fer_like_csv(
    path: str | os.PathLike,
    n_per_emotion: int = 20,
    *,
    emotions: Sequence[str] = FER_EMOTIONS,
    test_fraction: float = 0.2,
    seed: int = 0,
) -> Path:
    """Write a FER-2013-style CSV (``emotion,pixels,Usage``) of cartoon faces.

    Parameters
    ----------
    path : str or path-like
        The CSV file to write.
    n_per_emotion : int, default=20
        Faces per emotion.
    emotions : sequence of str, default=FER_EMOTIONS
        FER-2013 emotion names.
    test_fraction : float, default=0.2
        Share of rows marked ``PublicTest``; the rest are ``Training``.
    seed : int, default=0
        Base seed.

    Returns
    -------
    Path
        ``path``.
    """
    faces, labels = drawn_faces(n_per_emotion, emotions, seed=seed)
    test = np.random.default_rng(seed).random(len(faces)) < test_fraction
    rows = ["emotion,pixels,Usage"] + [
        f"{FER_EMOTIONS.index(label)},{' '.join(map(str, face.ravel()))},{'PublicTest' if t else 'Training'}"
        for face, label, t in zip(faces, labels, test)
    ]
    path = Path(path)
    path.write_text("\n".join(rows) + "\n")
    return path
