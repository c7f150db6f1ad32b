"""A long recording for the timeline tests: shipped demo clips (real speech) joined by silences.

silero-vad finds no speech in the synthetic tones of ``conftest`` (it fires on
0.4 s of a 2 s tone at most), so the timeline is tested on the RAVDESS demo
clips, where it finds each clip's sentence.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import soundfile as sf

from speechface.demo import demo_clips

SR = 16000


def long_take(n_clips: int, pauses: list[float], lead: float = 0.0) -> tuple[np.ndarray, list[tuple[float, float]]]:
    """The first ``n_clips`` demo clips, ``pauses[i]`` s of silence after clip i, ``lead`` s before and after.

    Returns the 16 kHz waveform and the (start, end) seconds of each pause.
    """
    silence = [np.zeros(int(round(s * SR)), np.float32) for s in [lead, *pauses, lead]]
    parts, gaps, at = [silence[0]], [], lead
    for i, (path, _) in enumerate(demo_clips()[:n_clips]):
        clip = sf.read(str(path), dtype="float32")[0]
        parts.append(clip)
        at += len(clip) / SR
        if i < n_clips - 1:
            parts.append(silence[1 + i])
            gaps.append((at, at + pauses[i]))
            at += pauses[i]
    parts.append(silence[-1])
    return np.concatenate(parts), gaps


def write_long_take(path: Path, n_clips: int = 2, pause: float = 1.0) -> Path:
    """``n_clips`` demo clips ``pause`` s apart, as a 16-bit WAV file."""
    sf.write(str(path), long_take(n_clips, [pause] * (n_clips - 1))[0], SR, subtype="PCM_16")
    return path
