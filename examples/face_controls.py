"""Control over the faces: one face in every emotion, morphs between emotions, truncation, blends.

    python examples/face_controls.py     # writes face_controls.png (docs/_static/face_controls.png is this)

Rows of the sheet, eight faces each: eight faces (eight noise vectors) in each
of the seven emotions; morphs of one face from one emotion to another in eight
steps (sad to fear, neutral to happy, angry to surprise); one happy face at
truncation 1.0 down to 0.3.
"""

import numpy as np

from speechface import pretrained
from speechface.faces.plotting import save_face_grid

generator = pretrained.generator()
rows = list(generator.sample_every_emotion(8, random_state=0).transpose(1, 0, 2, 3))  # one row per emotion
labels = [str(e) for e in generator.classes_]
for seed, (start, end) in enumerate((("sad", "fear"), ("neutral", "happy"), ("angry", "surprise")), 1):
    rows.append(generator.morph(start, end, n_steps=8, random_state=seed)[0])
    labels.append(f"{start}->{end}")
psis = (1.0, 0.9, 0.8, 0.7, 0.6, 0.5, 0.4, 0.3)
rows.append(np.concatenate([generator.sample("happy", 1, random_state=4, truncation=psi) for psi in psis]))
labels.append("psi 1.0->0.3")
save_face_grid(np.stack(rows), "face_controls.png", labels)
blend = generator.sample({"sad": 0.6, "fear": 0.4}, 2, random_state=5)
print(f"{len(labels)} rows; a 60% sad, 40% fearful blend: {blend.shape}; sheet: face_controls.png")
