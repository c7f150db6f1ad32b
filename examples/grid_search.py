"""GridSearchCV over conv depth and mel bands, folds grouped by actor (actors 1-20 only).

    python examples/grid_search.py           # real data: 3 x 2 x 5 fits, about 30 minutes on 2 cores
    SPEECHFACE_EXAMPLE_SMALL=1 python examples/grid_search.py

On real data every fit uses the recommended, seeded defaults (VAD, 6 views per
clip, augmented training views). The small run searches on synthetic tones,
which are not speech, so it turns VAD and augmentation off and reads one fixed
window per clip.
"""

from _data import SMALL, ravdess_dir
from sklearn.model_selection import GridSearchCV, GroupKFold

from speechface import load_ravdess, make_ser_pipeline

ravdess = load_ravdess(ravdess_dir())
actors = ravdess.frame["actor"].to_numpy()
dev = actors <= 20  # never select on the test speakers 21-24

fixed = {"mfcc__random_state": 0, "cnn__random_state": 0}
if SMALL:  # tones are not speech: the small run reads them with RAVDESS timing, one clean view
    fixed |= {
        "mfcc__vad": False,
        "mfcc__n_views": 1,
        "mfcc__augment": None,
        "mfcc__duration": 1.0,
        "mfcc__offset": 0.0,
        "cnn__max_epochs": 10,
        "cnn__train_split": None,
    }
grid = {"cnn__module__n_layers": [2, 3] if SMALL else [2, 3, 4], "mfcc__n_mels": [64, 128]}
search = GridSearchCV(make_ser_pipeline(**fixed), grid, cv=GroupKFold(2 if SMALL else 5), scoring="balanced_accuracy")
search.fit(ravdess.data[dev], ravdess.target[dev], groups=actors[dev])
for params, score in zip(search.cv_results_["params"], search.cv_results_["mean_test_score"]):
    print(f"{params}: UAR {score:.3f}")
print("best:", search.best_params_)
