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


def cross_validate(clf, X, y, groups, folds: int) -> dict:
    """GroupKFold by actor of a classifier on precomputed features (a DataFrame)."""
    from sklearn.base import clone
    from sklearn.model_selection import GroupKFold

    accs, uars = [], []
    for train, test in GroupKFold(folds).split(X, y, groups):
        fitted = clone(clf).fit(X.iloc[train], y[train])
        s = scores(fitted, X.iloc[test], y[test])
        accs.append(s["acc8"])
        uars.append(s["uar"])
        print(f"    fold: acc8={accs[-1]:.3f} uar={uars[-1]:.3f}", flush=True)
    return {"cv_acc8": float(np.mean(accs)), "cv_acc8_std": float(np.std(accs)), "cv_uar": float(np.mean(uars)),
            "cv_folds_acc8": [round(a, 3) for a in accs]}


def confusion_png(y, pred, labels, path: Path, title: str) -> None:
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    from sklearn.metrics import ConfusionMatrixDisplay

    fig, ax = plt.subplots(figsize=(7, 6))
    ConfusionMatrixDisplay.from_predictions(y, pred, labels=labels, normalize="true", values_format=".2f",
                                            ax=ax, colorbar=False, xticks_rotation=45)
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
    parser.add_argument("--features-only", action="store_true",
                        help="time the feature extraction (seed vs default) only, into results/ser_features.*")
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
    mfcc = clone(make_ser_pipeline().named_steps["mfcc"]).set_params(n_jobs=-1)
    mfcc.fit(X_dev).transform(X_dev[:64])  # enough clips to start (warm) the worker processes
    F_dev, t_ours = timed(mfcc.transform, X_dev)
    throughput = {
        "files": int(dev.sum()),
        "seed_files_per_s": len(X_dev) / t_seed,
        "default_files_per_s": len(X_dev) / t_ours,
        "speedup": t_seed / t_ours,
    }
    print(f"features: seed {throughput['seed_files_per_s']:.0f} files/s, default "
          f"{throughput['default_files_per_s']:.0f} files/s (n_jobs=-1): {throughput['speedup']:.1f}x")
    if args.features_only:
        write_json("ser_features", throughput)
        (RESULTS / "ser_features.md").write_text(markdown_table([throughput], list(throughput)) + "\n")
        return

    seed_pipe, default_pipe = make_seed_pipeline(), make_ser_pipeline()
    models = {
        "seed (259-value MFCC + 6-conv CNN, RMSprop 1e-4)": (seed_pipe, pd.DataFrame(F_seed)),
        "speechface default": (default_pipe, F_dev),
    }
    rows = []
    for name, (pipe, F) in models.items():
        clf = pipe.named_steps["cnn"].set_params(random_state=args.seed)
        row = {"model": name}
        if args.folds:
            print(f"{name}: GroupKFold({args.folds}) by actor on actors 1-20")
            row.update(cross_validate(clf, F, y_dev, g_dev, args.folds))
        print(f"{name}: final fit on actors 1-20 (audio in, features included)")
        pipe.set_params(mfcc__n_jobs=-1)
        _, row["fit_s"] = timed(pipe.fit, X_dev, y_dev)
        s = scores(pipe, X_test, y_test)
        row.update({k: v for k, v in s.items() if k != "pred"})
        row["test_pred"] = s["pred"].tolist()
        rows.append(row)
        print(f"{name}: test actors 21-24 acc8={row['acc8']:.3f} acc7={row['acc7']:.3f} "
              f"uar={row['uar']:.3f} fit={row['fit_s']:.0f}s", flush=True)

    RESULTS.mkdir(exist_ok=True)
    default_row = rows[-1]
    confusion_png(y_test, np.asarray(default_row["test_pred"]), list(RAVDESS_EMOTIONS),
                  RESULTS / "ser_confusion.png",
                  f"speechface default, actors 21-24 (acc {default_row['acc8']:.3f})")
    columns = ["model", "cv_acc8", "cv_uar", "acc8", "acc7", "uar", "fit_s"]
    table = markdown_table(rows, [c for c in columns if args.folds or not c.startswith("cv")])
    speed = (f"Feature extraction on {throughput['files']} development files, warm: seed "
             f"{throughput['seed_files_per_s']:.0f} files/s, default {throughput['default_files_per_s']:.0f} "
             f"files/s ({throughput['speedup']:.1f}x).")
    (RESULTS / "ser.md").write_text(
        "# Speech emotion: RAVDESS, test actors 21-24\n\n" + table + "\n\n" + speed + "\n")
    write_json("ser", {"throughput": throughput, "models": [{k: v for k, v in r.items() if k != "test_pred"} for r in rows],
                       "threads": args.threads, "seed": args.seed})
    print("\n" + table + "\n\n" + speed)
    if args.ship:
        target = Path(__file__).resolve().parents[1] / "speechface" / "pretrained" / "ser.pt"
        default_pipe.set_params(mfcc__n_jobs=None)
        save_ser_pipeline(default_pipe, target)
        print(f"shipped model written to {target} ({target.stat().st_size / 1e6:.1f} MB)")


if __name__ == "__main__":
    main()
