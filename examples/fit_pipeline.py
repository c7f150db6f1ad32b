"""Fit the speech-emotion pipeline on RAVDESS actors 1-20 and score it once on actors 21-24.

    python examples/fit_pipeline.py          # real data, about 2 minutes on 2 cores
    SPEECHFACE_EXAMPLE_SMALL=1 python examples/fit_pipeline.py
"""

from sklearn.metrics import accuracy_score, balanced_accuracy_score

from _data import SMALL, ravdess_dir
from speechface import load_ravdess, make_ser_pipeline

ravdess = load_ravdess(ravdess_dir())
actors = ravdess.frame["actor"].to_numpy()
train, test = actors <= 20, actors >= 21          # actors 21-24: the test speakers

params = {"mfcc__duration": 1.0, "mfcc__offset": 0.0, "cnn__max_epochs": 15} if SMALL else {}
pipe = make_ser_pipeline(cnn__random_state=0, **params)
pipe.fit(ravdess.data[train], ravdess.target[train])
predicted = pipe.predict(ravdess.data[test])
print(f"actors 21-24: accuracy {accuracy_score(ravdess.target[test], predicted):.3f}, "
      f"UAR {balanced_accuracy_score(ravdess.target[test], predicted):.3f} on {test.sum()} clips")
