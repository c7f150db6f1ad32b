"""Fit the speech-emotion pipeline on RAVDESS actors 1-20 and score it once on actors 21-24.

    python examples/fit_pipeline.py          # real data, about 2 minutes on 2 cores
    SPEECHFACE_EXAMPLE_SMALL=1 python examples/fit_pipeline.py

On real data it uses the recommended defaults (speech found by voice activity
detection, 6 views per clip, augmented training views), seeded. The small run
trains on synthetic tones, which are not speech, so it turns VAD and
augmentation off and reads one fixed window per clip.
"""

from _data import SMALL, ravdess_dir
from sklearn.metrics import accuracy_score, balanced_accuracy_score

from speechface import load_ravdess, make_ser_pipeline

ravdess = load_ravdess(ravdess_dir())
actors = ravdess.frame["actor"].to_numpy()
train, test = actors <= 20, actors >= 21  # actors 21-24: the test speakers

params = {"mfcc__random_state": 0, "cnn__random_state": 0}  # seeds both steps: augmented views, CNN
if SMALL:  # tones are not speech: the small run reads them with RAVDESS timing, one clean view
    params |= {
        "mfcc__vad": False,
        "mfcc__n_views": 1,
        "mfcc__augment": None,
        "mfcc__duration": 1.0,
        "mfcc__offset": 0.0,
        "cnn__max_epochs": 15,
    }
pipe = make_ser_pipeline(**params)
pipe.fit(ravdess.data[train], ravdess.target[train])
predicted = pipe.predict(ravdess.data[test])
print(
    f"actors 21-24: accuracy {accuracy_score(ravdess.target[test], predicted):.3f}, "
    f"UAR {balanced_accuracy_score(ravdess.target[test], predicted):.3f} on {test.sum()} clips"
)
