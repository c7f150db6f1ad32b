"""The emotion over time in a long recording: the 8 shipped demo clips joined by 1 s silences.

python examples/timeline.py          # writes timeline.png (docs/_static/timeline.png is this)
"""

import numpy as np

from speechface import SpeechToFace
from speechface.audio import load_audio
from speechface.demo import demo_clips
from speechface.plotting import plot_timeline

SR = 16000
second = np.zeros(SR, np.float32)
take = np.concatenate([part for path, _ in demo_clips() for part in (second, load_audio(path, sr=SR))] + [second])

model = SpeechToFace()  # the shipped models
timeline = model.timeline(take, n_faces=1, random_state=0)  # a 16 kHz waveform, as the shipped model reads
for start, end, emotion in zip(timeline.start, timeline.end, timeline.emotion):
    print(f"{start:5.2f}-{end:5.2f} s  {emotion}")
plot_timeline(timeline, "timeline.png")
print(f"{len(take) / SR:.1f} s, {len(timeline.start)} windows; timeline: timeline.png")
