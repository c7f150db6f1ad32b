"""Model selection for the speech-emotion default: GroupKFold on actors 1-20 only.

Cross-validates ``make_ser_pipeline`` with the given parameters, once per seed,
on the development speakers (actors 1-20, the same folds as ``ser.py``). It
never reads the test speakers (actors 21-24), so candidates can be compared as
often as needed; ``ser.py`` scores the one chosen. Prints each fold and writes
results/ser_select_<name>.json.

    python benchmarks/ser_select.py --set cnn__module__spec_augment=0.05 --seeds 0 1 [--name sa05]
"""

from __future__ import annotations

import argparse
import ast

import numpy as np

from _common import ravdess_protocol, set_threads, write_json
from ser import cross_validate


def parse_setting(text: str) -> tuple[str, object]:
    """``key=value`` into a pipeline parameter; the value is a Python literal or else a string."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected step__param=value, got {text!r}")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    parser.add_argument("--set", type=parse_setting, action="append", default=[], metavar="STEP__PARAM=VALUE",
                        help="a make_ser_pipeline parameter, e.g. cnn__module__n_members=5 (repeatable)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[0, 1], help="classifier random_state values")
    parser.add_argument("--folds", type=int, default=5, help="GroupKFold folds over actors 1-20")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--name", default="default", help="suffix of the results file")
    args = parser.parse_args()
    set_threads(args.threads)

    from speechface import make_ser_pipeline

    settings = dict(args.set)
    bunch, actors, dev, _ = ravdess_protocol(args.data)
    X, y, groups = bunch.data[dev], bunch.target[dev], actors[dev]
    pipe = make_ser_pipeline(**settings)
    features = pipe.named_steps["mfcc"].set_params(n_jobs=-1).fit_transform(X)
    print(f"{dev.sum()} development clips (actors 1-20), features {features.shape}; settings {settings}")

    runs = []
    for seed in args.seeds:
        print(f"seed {seed}: GroupKFold({args.folds}) by actor")
        runs.append({"seed": seed, **cross_validate(pipe.named_steps["cnn"].set_params(random_state=seed),
                                                    features, y, groups, args.folds)})
        print(f"seed {seed}: cv_acc8={runs[-1]['cv_acc8']:.3f} cv_uar={runs[-1]['cv_uar']:.3f}", flush=True)
    summary = {k: float(np.mean([r[k] for r in runs])) for k in ("cv_acc8", "cv_uar")}
    print(f"mean over seeds {args.seeds}: cv_acc8={summary['cv_acc8']:.3f} cv_uar={summary['cv_uar']:.3f}")
    write_json(f"ser_select_{args.name}", {"settings": {k: repr(v) for k, v in settings.items()},
                                            "folds": args.folds, "runs": runs, **summary})


if __name__ == "__main__":
    main()
