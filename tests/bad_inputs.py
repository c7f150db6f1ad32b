"""The audio cases of the bad-input matrix: files a user may hand any entry point, and what must happen.

Each case is written once into a folder; ``tests/test_bad_input_matrix.py``
feeds every case to every audio entry point (the transformer, the pipeline,
SpeechToFace, the ``speechface generate`` command and the web app's upload).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import numpy as np
import soundfile as sf

from speechface.audio import load_audio
from speechface.demo import demo_clips
from speechface.exceptions import NoSpeechError


@dataclass(frozen=True)
class AudioCase:
    """One input and its expected outcome: ``error`` None means a well-formed result.

    ``speech_only``: the error is raised only where speech is looked for
    (voice activity detection: the shipped pipeline, SpeechToFace, the
    command, the web app); a transformer reading RAVDESS's timing (``vad=False``)
    gives a well-formed result.
    """

    name: str
    error: type[Exception] | None = None
    message: str = ""
    speech_only: bool = False

    def outcome(self, finds_speech: bool) -> AudioCase:
        """The case as an entry point that does (or does not) look for speech sees it."""
        return self if finds_speech or not self.speech_only else AudioCase(self.name)


#: sample of the 1 s, 16 kHz NaN/inf cases that holds the bad value
NONFINITE_AT = 12000

#: valid but unusual audio: each must give a well-formed result
VALID = [
    AudioCase("8khz"),
    AudioCase("96khz"),
    AudioCase("pcm24"),
    AudioCase("float32"),
    AudioCase("stereo"),
    AudioCase("six_channels"),
    AudioCase("ten_minutes"),
    AudioCase("ogg"),
]

#: audio without speech: the defined "no speech" outcome where speech is looked for
NO_SPEECH = [
    AudioCase("ten_ms", NoSpeechError, "no speech found", speech_only=True),
    AudioCase("silence", NoSpeechError, "no speech found", speech_only=True),
]

#: broken files: each must be a clear error naming the file
BROKEN = [
    AudioCase("missing", FileNotFoundError, "not found"),
    AudioCase("directory", IsADirectoryError, "directory"),
    AudioCase("empty", ValueError, "empty (0 bytes)"),
    AudioCase("truncated", ValueError, "truncated"),
    AudioCase("not_audio", ValueError, "cannot read audio file"),
    AudioCase("header_only", ValueError, "no samples"),
    AudioCase("nan", ValueError, "NaN or infinite"),
    AudioCase("inf", ValueError, "NaN or infinite"),
]


def write_cases(root: Path) -> dict[str, Path]:
    """Write every case's file under ``root``; returns case name -> path."""
    root.mkdir(parents=True, exist_ok=True)
    speech = demo_clips()[0][0]  # a real voice, 3.5 s
    voice = load_audio(speech, sr=16000)

    def wav(name: str, data: np.ndarray, sr: int, subtype: str | None = "PCM_16", fmt: str = "WAV") -> Path:
        path = root / f"{name}.{fmt.lower()}"
        sf.write(str(path), data, sr, subtype=subtype, format=fmt)
        return path

    paths = {
        "8khz": wav("8khz", load_audio(speech, sr=8000), 8000),
        "96khz": wav("96khz", load_audio(speech, sr=96000), 96000),
        "pcm24": wav("pcm24", voice, 16000, "PCM_24"),
        "float32": wav("float32", voice, 16000, "FLOAT"),
        "stereo": wav("stereo", np.stack([voice, voice[::-1]], axis=1), 16000),
        "six_channels": wav("six_channels", np.stack([voice * (c + 1) / 6 for c in range(6)], axis=1), 16000),
        "ten_ms": wav("ten_ms", voice[:160], 16000),
        "ten_minutes": wav("ten_minutes", np.resize(voice, 600 * 16000), 16000),
        "silence": wav("silence", np.zeros(16000), 16000),
        "ogg": wav("ogg", voice, 16000, "VORBIS", "OGG"),
        "missing": root / "missing.wav",
        "directory": root / "a_folder.wav",
        "empty": root / "empty.wav",
        "not_audio": root / "not_audio.wav",
        # 0.75 s in: inside the window every entry point reads (offset 0.5 s, or the whole clip with vad=True)
        "nan": wav("nan", np.where(np.arange(16000) == NONFINITE_AT, np.nan, voice[:16000]), 16000, "FLOAT"),
        "inf": wav("inf", np.where(np.arange(16000) == NONFINITE_AT, np.inf, voice[:16000]), 16000, "FLOAT"),
    }
    paths["directory"].mkdir(exist_ok=True)
    paths["empty"].write_bytes(b"")
    paths["not_audio"].write_text("these are notes, not sound\n" * 20)
    full = wav("full", voice, 16000).read_bytes()
    paths["truncated"] = root / "truncated.wav"
    paths["truncated"].write_bytes(full[: len(full) // 3])
    paths["header_only"] = root / "header_only.wav"
    paths["header_only"].write_bytes(wav("no_samples", voice[:0], 16000).read_bytes())
    return paths
