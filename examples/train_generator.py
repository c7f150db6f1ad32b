"""Train the conditional face generator on FER-2013 and save a grid of its faces.

    python examples/train_generator.py [EPOCHS]   # real data: about 8 minutes per epoch on 2 cores
    SPEECHFACE_EXAMPLE_SMALL=1 python examples/train_generator.py

The run checkpoints to generator_checkpoint.pt: run it again after an
interruption and it resumes where it stopped.
"""

import sys

import numpy as np
from _data import SMALL, fer_path

from speechface import ConditionalFaceGenerator, load_fer2013
from speechface.faces import save_generator
from speechface.faces.plotting import save_face_grid

epochs = int(sys.argv[1]) if len(sys.argv) > 1 else (20 if SMALL else 1)
train = load_fer2013(fer_path(), split="train")
generator = ConditionalFaceGenerator(
    width=8 if SMALL else 32, max_epochs=epochs, random_state=0, checkpoint=None if SMALL else "generator_checkpoint.pt"
)
generator.fit(train.images, train.target)
save_generator(generator, "generator.pt")
grid = np.stack([generator.sample(emotion, 8, random_state=0) for emotion in generator.classes_])
save_face_grid(grid, "generator_faces.png", list(generator.classes_))
print(f"{generator.n_images_seen_} images seen; wrote generator.pt and generator_faces.png")
