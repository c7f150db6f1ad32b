"""Model selection for the speech-emotion default: GroupKFold on actors 1-20 only, robust scores.

Cross-validates ``make_ser_pipeline`` with the given parameters, once per seed,
on the development speakers (actors 1-20, the same folds as ``ser.py``). Each
fold's classifier is trained on the pipeline's training features of its
clips (augmented views when ``mfcc__augment`` is set) and scored on the
held-out actors' clips under every recording condition of
``_perturb.CONDITIONS`` (clean, cut, short, padded, long takes, noise, babble,
room, telephone, mp3, quiet): choices are made on robust five-fold scores.
The conditions' features are cached in ``benchmarks/.cache/``. It never reads
the test speakers (actors 21-24), so candidates can be compared as often as
needed; ``ser_robustness.py`` scores the one chosen. Prints each condition and
writes results/ser_select_<name>.json.

    python benchmarks/ser_select.py --set cnn__module__spec_augment=0.05 --seeds 0 1 [--name sa05]
    python benchmarks/ser_select.py --conditions clean      # clean validation folds only (faster)
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator

import numpy as np
import pandas as pd
from _common import RESULTS, parse_setting, ravdess_protocol, set_threads, write_json
from _perturb import CONDITIONS, SR, cached_perturbed_clips
from joblib import Memory
from ser import cross_validate

_MEMORY = Memory(RESULTS.parent / ".cache", verbose=0)


@_MEMORY.cache
def training_features(mfcc, paths) -> pd.DataFrame:
    """``mfcc.fit_transform(paths)``: the training views, cached on disk."""
    return mfcc.fit_transform(paths)


@_MEMORY.cache
def clean_features(mfcc, clips: list[np.ndarray]) -> pd.DataFrame:
    """``mfcc.transform(clips)``, with a row of NaN for each clip in which no speech is found, cached on disk."""
    from speechface.exceptions import NoSpeechError

    try:
        return mfcc.transform(clips)
    except NoSpeechError:  # raised for the whole batch: find the clips, one by one
        rows = []
        for clip in clips:
            try:
                rows.append(mfcc.transform([clip]))
            except NoSpeechError:
                rows.append(pd.DataFrame(np.nan, index=[0], columns=mfcc.get_feature_names_out()))
        return pd.concat(rows, ignore_index=True)


def condition_features(mfcc, paths, actors, conditions) -> Iterator[tuple[str, pd.DataFrame]]:
    """``(condition, features)`` of the clips under each condition, one at a time, cached on disk."""
    from sklearn.base import clone

    # the parameters transform ignores are reset, so that candidates differing only in them share the cache
    reader = clone(mfcc).set_params(
        input_sr=SR, augment=None, augment_prob=1.0, random_state=None, n_jobs=-1, verbose=False
    )
    reader.fit(paths[:1])
    for condition in conditions:
        yield condition, clean_features(reader, cached_perturbed_clips(paths, actors, condition))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    parser.add_argument(
        "--set",
        type=parse_setting,
        action="append",
        default=[],
        metavar="STEP__PARAM=VALUE",
        help="a make_ser_pipeline parameter, e.g. cnn__module__n_members=5 (repeatable)",
    )
    parser.add_argument(
        "--seeds",
        type=int,
        nargs="+",
        default=[0, 1],
        help="random_state values of the classifier and the training views",
    )
    parser.add_argument("--folds", type=int, default=5, help="GroupKFold folds over actors 1-20")
    parser.add_argument(
        "--conditions",
        nargs="+",
        choices=CONDITIONS,
        default=list(CONDITIONS),
        metavar="NAME",
        help="recording conditions of the validation folds (default: all; the first is the 'clean' figure)",
    )
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--name", default="default", help="suffix of the results file")
    args = parser.parse_args()
    set_threads(args.threads)

    from speechface import make_ser_pipeline

    settings = dict(args.set)
    bunch, actors, dev, _ = ravdess_protocol(args.data)
    X, y, groups = bunch.data[dev], bunch.target[dev], actors[dev]
    print(f"{dev.sum()} development clips (actors 1-20); settings {settings}; conditions {args.conditions}")

    runs = []
    for seed in args.seeds:
        pipe = make_ser_pipeline(**{"mfcc__random_state": seed, "cnn__random_state": seed, **settings})
        train = training_features(pipe.named_steps["mfcc"].set_params(n_jobs=-1, verbose=True), X)
        print(f"seed {seed}: training features {train.shape}; GroupKFold({args.folds}) by actor", flush=True)
        valid = condition_features(pipe.named_steps["mfcc"], X, groups, args.conditions)
        runs.append({"seed": seed, **cross_validate(pipe.named_steps["cnn"], train, y, groups, args.folds, valid)})
        run = runs[-1]
        line = f"seed {seed}: cv_acc8={run['cv_acc8']:.3f} cv_uar={run['cv_uar']:.3f}"
        if "cv_perturbed_acc8" in run:
            line += (
                f" perturbed mean acc8={run['cv_perturbed_acc8']:.3f}, worst {run['cv_worst']['acc8']:.3f}"
                f" ({run['cv_worst']['condition']})"
            )
        print(line, flush=True)
    keys = [k for k in ("cv_acc8", "cv_uar", "cv_perturbed_acc8", "cv_perturbed_uar") if k in runs[0]]
    summary = {k: float(np.mean([r[k] for r in runs])) for k in keys}
    if "cv_worst" in runs[0]:
        summary["cv_worst_acc8"] = float(np.mean([r["cv_worst"]["acc8"] for r in runs]))
    print(f"mean over seeds {args.seeds}: " + " ".join(f"{k}={v:.3f}" for k, v in summary.items()))
    write_json(
        f"ser_select_{args.name}",
        {
            "settings": {k: repr(v) for k, v in settings.items()},
            "folds": args.folds,
            "conditions": args.conditions,
            "runs": runs,
            **summary,
        },
    )


if __name__ == "__main__":
    main()
