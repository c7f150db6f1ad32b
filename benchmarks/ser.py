"""Speech-emotion benchmark: the seed preset against the speechface default on RAVDESS.

Protocol: actors 1-20 are the development speakers (GroupKFold by actor for
model comparison), actors 21-24 the test speakers, scored once after a final
fit on actors 1-20. Prints and writes results/ser.json, results/ser.md and
results/ser_confusion.png.

    python benchmarks/ser.py [--data ../shared/data/ravdess] [--folds 5] [--ship] [--features-only]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np
from _common import RESULTS, markdown_table, ravdess_protocol, set_threads, write_json


def seed_features(paths) -> np.ndarray:
    """The student project's extraction, verbatim in substance: librosa.load at 44.1 kHz, 13 MFCCs averaged."""
    import librosa

    rows = []
    for path in paths:
        y, sr = librosa.load(path, sr=44100, offset=0.5, duration=3.0)
        rows.append(np.mean(librosa.feature.mfcc(y=y, sr=sr, n_mfcc=13), axis=0))
    width = max(len(r) for r in rows)
    return np.stack([np.pad(r, (0, width - len(r))) for r in rows]).astype(np.float32)


def timed(fn, *args):
    start = time.perf_counter()
    out = fn(*args)
    return out, time.perf_counter() - start


#: the prediction for a clip in which a model finds no speech (always wrong: no clip holds that label)
NO_SPEECH = "no speech"


class SpeechOrNot:
    """A fitted SER model whose clips without speech found go to an extra class, :data:`NO_SPEECH`.

    Such clips are those for which the model raises ``NoSpeechError`` (audio
    in) or whose feature row is NaN (features in, as ``ser_select.py`` caches them).

    Parameters
    ----------
    model : Pipeline or SpeechEmotionClassifier
        Fitted, with ``predict_proba`` and ``classes_``.
    """

    def __init__(self, model):
        self.model = model
        self.classes_ = np.append(model.classes_, NO_SPEECH)

    def predict_proba(self, X) -> np.ndarray:
        """Class probabilities; the last column (:data:`NO_SPEECH`) is 1 for clips in which no speech is found."""
        from speechface.exceptions import NoSpeechError

        if hasattr(X, "iloc"):  # features: NaN rows are clips without speech
            out = np.tile(np.eye(len(self.classes_))[-1], (len(X), 1))
            heard = ~X.isna().any(axis=1).to_numpy()
            if heard.any():
                out[heard] = np.pad(self.model.predict_proba(X[heard]), ((0, 0), (0, 1)))
            return out
        try:
            return np.pad(self.model.predict_proba(X), ((0, 0), (0, 1)))
        except NoSpeechError:  # raised for the whole batch: find the clips, one by one
            if len(X) == 1:
                return np.eye(len(self.classes_))[-1:]
            return np.concatenate([self.predict_proba([x]) for x in X])


def scores(pipeline_or_clf, X, y) -> dict:
    """8-class accuracy, 7-class accuracy (calm clips removed, calm never predicted) and UAR."""
    from sklearn.metrics import accuracy_score, balanced_accuracy_score

    proba = pipeline_or_clf.predict_proba(X)
    classes = np.asarray(pipeline_or_clf.classes_)
    pred = classes[proba.argmax(axis=1)]
    keep = y != "calm"
    proba7 = np.where(classes == "calm", -1.0, proba[keep])
    pred7 = classes[proba7.argmax(axis=1)]
    return {
        "acc8": accuracy_score(y, pred),
        "acc7": accuracy_score(y[keep], pred7),
        "uar": balanced_accuracy_score(y, pred),
        "pred": pred,
    }


def cross_validate(clf, X, y, groups, folds: int, valid=None) -> dict:
    """GroupKFold by actor of a classifier on precomputed features (DataFrames).

    Each fold's classifier is trained on the rows of ``X`` and scored on the
    same clips in each ``(name, features)`` pair that ``valid`` yields (read
    one at a time, so that only one set of features is in memory); by default
    on ``X`` itself, as ``"clean"``. The first pair gives ``cv_acc8``,
    ``cv_uar`` and the folds; with several, ``conditions`` holds each one's
    scores, ``cv_perturbed_acc8`` their mean after the first and ``cv_worst``
    the worst of those.
    """
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold

    splits = list(GroupKFold(folds).split(X, y, groups))
    fits = []
    for train, _ in splits:
        fits.append(clone(clf).fit(X.iloc[train], y[train]))
        print(f"    fold {len(fits)}/{folds} fitted", flush=True)
    conditions = {}
    for name, F in valid if valid is not None else [("clean", X)]:
        per_fold = [scores(SpeechOrNot(fitted), F.iloc[test], y[test]) for fitted, (_, test) in zip(fits, splits)]
        accs, uars = [s["acc8"] for s in per_fold], [s["uar"] for s in per_fold]
        conditions[name] = {
            "acc8": float(np.mean(accs)),
            "uar": float(np.mean(uars)),
            "folds_acc8": [round(a, 3) for a in accs],
        }
        print(
            f"    {name}: acc8={np.mean(accs):.3f} uar={np.mean(uars):.3f} folds {conditions[name]['folds_acc8']}",
            flush=True,
        )
    first = next(iter(conditions.values()))
    out = {
        "cv_acc8": first["acc8"],
        "cv_acc8_std": float(np.std(first["folds_acc8"])),
        "cv_uar": first["uar"],
        "cv_folds_acc8": first["folds_acc8"],
    }
    if len(conditions) > 1:
        perturbed = dict(list(conditions.items())[1:])
        worst = min(perturbed, key=lambda c: perturbed[c]["acc8"])
        out.update(
            conditions=conditions,
            cv_perturbed_acc8=float(np.mean([c["acc8"] for c in perturbed.values()])),
            cv_perturbed_uar=float(np.mean([c["uar"] for c in perturbed.values()])),
            cv_worst={"condition": worst, "acc8": perturbed[worst]["acc8"]},
        )
    return out


def confusion_png(y, pred, labels, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_predictions(
        y, pred, labels=labels, normalize="true", values_format=".2f", ax=ax, colorbar=False, xticks_rotation=45
    )
    ax.set_title(title)
    fig.tight_layout()
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    parser.add_argument("--folds", type=int, default=5, help="GroupKFold folds over actors 1-20 (0 skips CV)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ship", action="store_true", help="save the default's final fit as the shipped model")
    parser.add_argument(
        "--features-only",
        action="store_true",
        help="time the feature extraction (seed vs default) only, into results/ser_features.*",
    )
    args = parser.parse_args()
    set_threads(args.threads)

    import pandas as pd
    from sklearn.base import clone

    from speechface import make_seed_pipeline, make_ser_pipeline
    from speechface.labels import RAVDESS_EMOTIONS
    from speechface.ser import save_ser_pipeline

    bunch, actors, dev, test = ravdess_protocol(args.data)
    X_dev, y_dev, g_dev = bunch.data[dev], bunch.target[dev], actors[dev]
    X_test, y_test = bunch.data[test], bunch.target[test]
    print(f"RAVDESS: {dev.sum()} development clips (actors 1-20), {test.sum()} test clips (actors 21-24)")

    # Feature throughput, warm, on the same development files.
    seed_features(X_dev[:10])
    F_seed, t_seed = timed(seed_features, X_dev)
    # the clean features of the training files (fit_transform without augmentation reads a clip in
    # which no speech is found whole, as training does, where transform would stop at it)
    mfcc = clone(make_ser_pipeline().named_steps["mfcc"]).set_params(n_jobs=-1, augment=None)
    mfcc.fit_transform(X_dev[:64])  # enough clips to start (warm) the worker processes
    F_dev, t_ours = timed(mfcc.fit_transform, X_dev)
    # one process against one: the seed's code runs in one, so this is the like-for-like ratio
    _, t_one = timed(clone(mfcc).set_params(n_jobs=None).fit_transform, X_dev)
    throughput = {
        "files": int(dev.sum()),
        "seed_files_per_s": len(X_dev) / t_seed,
        "default_1_process_files_per_s": len(X_dev) / t_one,
        "speedup_1_process": t_seed / t_one,
        "default_files_per_s": len(X_dev) / t_ours,
        "speedup_all_cores": t_seed / t_ours,
    }
    print(
        f"features: seed {throughput['seed_files_per_s']:.0f} files/s; default "
        f"{throughput['default_1_process_files_per_s']:.0f} files/s in one process "
        f"({throughput['speedup_1_process']:.1f}x), {throughput['default_files_per_s']:.0f} files/s with "
        f"n_jobs=-1 ({throughput['speedup_all_cores']:.1f}x)"
    )
    if args.features_only:
        write_json("ser_features", throughput)
        (RESULTS / "ser_features.md").write_text(markdown_table([throughput], list(throughput)) + "\n")
        return

    seed_pipe = make_seed_pipeline(cnn__random_state=args.seed)
    default_pipe = make_ser_pipeline(mfcc__random_state=args.seed, cnn__random_state=args.seed)
    F_seed = pd.DataFrame(F_seed)
    # (pipeline, its training features for the folds (a function: made only when needed), clean features)
    models = {
        "seed (259-value MFCC + 6-conv CNN, RMSprop 1e-4)": (seed_pipe, lambda: F_seed, F_seed),
        # the default trains on augmented views of the clips and is scored on the clean ones
        "speechface default": (
            default_pipe,
            lambda: clone(default_pipe.named_steps["mfcc"]).set_params(n_jobs=-1).fit_transform(X_dev),
            F_dev,
        ),
    }
    rows = []
    for name, (pipe, train_features, clean) in models.items():
        row = {"model": name}
        if args.folds:
            print(f"{name}: GroupKFold({args.folds}) by actor on actors 1-20")
            row.update(
                cross_validate(pipe.named_steps["cnn"], train_features(), y_dev, g_dev, args.folds, [("clean", clean)])
            )
        print(f"{name}: final fit on actors 1-20 (audio in, features included)")
        pipe.set_params(mfcc__n_jobs=-1)
        _, row["fit_s"] = timed(pipe.fit, X_dev, y_dev)
        s = scores(SpeechOrNot(pipe), X_test, y_test)
        row.update({k: v for k, v in s.items() if k != "pred"})
        row["test_pred"] = s["pred"].tolist()
        rows.append(row)
        print(
            f"{name}: test actors 21-24 acc8={row['acc8']:.3f} acc7={row['acc7']:.3f} "
            f"uar={row['uar']:.3f} fit={row['fit_s']:.0f}s",
            flush=True,
        )

    RESULTS.mkdir(exist_ok=True)
    default_row = rows[-1]
    confusion_png(
        y_test,
        np.asarray(default_row["test_pred"]),
        list(RAVDESS_EMOTIONS),
        RESULTS / "ser_confusion.png",
        f"speechface default, actors 21-24 (acc {default_row['acc8']:.3f})",
    )
    columns = ["model", "cv_acc8", "cv_uar", "acc8", "acc7", "uar", "fit_s"]
    table = markdown_table(rows, [c for c in columns if args.folds or not c.startswith("cv")])
    speed = (
        f"Feature extraction on {throughput['files']} development files, warm: seed "
        f"{throughput['seed_files_per_s']:.0f} files/s; default "
        f"{throughput['default_1_process_files_per_s']:.0f} files/s in one process "
        f"({throughput['speedup_1_process']:.1f}x), {throughput['default_files_per_s']:.0f} files/s on all "
        f"cores ({throughput['speedup_all_cores']:.1f}x)."
    )
    (RESULTS / "ser.md").write_text("# Speech emotion: RAVDESS, test actors 21-24\n\n" + table + "\n\n" + speed + "\n")
    write_json(
        "ser",
        {
            "throughput": throughput,
            "models": [{k: v for k, v in r.items() if k != "test_pred"} for r in rows],
            "threads": args.threads,
            "seed": args.seed,
        },
    )
    print("\n" + table + "\n\n" + speed)
    if args.ship:
        target = Path(__file__).resolve().parents[1] / "speechface" / "pretrained" / "ser.pt"
        default_pipe.set_params(mfcc__n_jobs=None)
        save_ser_pipeline(default_pipe, target)
        print(f"shipped model written to {target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
