"""Reading audio files and waveforms as mono float32 at a chosen rate."""

from speechface.audio.load import fix_length, load_audio

__all__ = ["load_audio", "fix_length"]
