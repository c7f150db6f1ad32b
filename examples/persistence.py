"""Save and load models: joblib (everything) or weights-only files (no pickle, loads on any device).

python examples/persistence.py
"""

import tempfile
from pathlib import Path

import joblib
import numpy as np

from speechface import pretrained
from speechface.demo import demo_clips
from speechface.faces import load_generator, save_generator
from speechface.ser import load_ser_pipeline, save_ser_pipeline

folder = Path(tempfile.mkdtemp())
clips = [str(path) for path, _ in demo_clips()]
ser, generator = pretrained.ser(), pretrained.generator()

joblib.dump(ser, folder / "ser.joblib")  # pickle: only load files you trust
save_ser_pipeline(ser, folder / "ser.pt")  # plain parameters + tensors
for loaded in (joblib.load(folder / "ser.joblib"), load_ser_pipeline(folder / "ser.pt")):
    assert np.array_equal(loaded.predict_proba(clips), ser.predict_proba(clips))

save_generator(generator, folder / "generator.pt")
again = load_generator(folder / "generator.pt")
assert np.array_equal(again.sample("happy", 4, random_state=0), generator.sample("happy", 4, random_state=0))
print(f"saved and reloaded with identical outputs: {sorted(p.name for p in folder.iterdir())}")
