"""Speech in, faces out, with the shipped models: your own recording or a shipped demo clip.

python examples/speech_to_face.py [my_recording.wav]
"""

import sys

from speechface import SpeechToFace
from speechface.demo import demo_clips
from speechface.faces.plotting import save_face_grid

clips = sys.argv[1:] or [str(demo_clips()[2][0])]  # a happy clip of actor 24 by default
model = SpeechToFace()  # shipped models; no fit needed
proba = model.predict_proba(clips)
faces = model.generate(clips, n_faces=6, random_state=0)
for clip, p in zip(clips, proba):
    ranked = sorted(zip(model.classes_, p), key=lambda pair: -pair[1])[:3]
    print(clip, " ".join(f"{emotion} {prob:.2f}" for emotion, prob in ranked))
save_face_grid(faces, "speech_to_face.png", [str(e) for e in model.classes_[proba.argmax(axis=1)]])
print("faces: speech_to_face.png")
