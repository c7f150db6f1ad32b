"""Train the speech-emotion pipeline on a RAVDESS folder and save it.

By default actors 21-24 are left out (the project's test speakers), so the
model can be scored on them with ``speechface evaluate``.
"""

from __future__ import annotations

import argparse

from speechface.cli.evaluate import actor_set


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DATA_DIR", help="RAVDESS speech folder (Actor_XX/ or flat)")
    parser.add_argument("-o", "--output", required=True, metavar="MODEL", help="model file to write (.pt)")
    parser.add_argument("--actors", default="1-20", help="actors to train on, e.g. 1-20 or 1,3,5 (default 1-20)")
    parser.add_argument("--seed", type=int, default=0, help="random seed")


def run(args: argparse.Namespace) -> int:
    import numpy as np

    from speechface import load_ravdess, make_ser_pipeline
    from speechface.ser import save_ser_pipeline

    bunch = load_ravdess(args.data, on_invalid="warn")
    keep = np.isin(bunch.frame["actor"].to_numpy(), sorted(actor_set(args.actors)))
    if not keep.any():
        raise ValueError(f"no clips of actors {args.actors} under {args.data!r}")
    pipeline = make_ser_pipeline(
        mfcc__verbose=not args.quiet,
        cnn__verbose=0 if args.quiet else 1,
        mfcc__random_state=args.seed,
        cnn__random_state=args.seed,
    )
    pipeline.fit(bunch.data[keep], bunch.target[keep])
    save_ser_pipeline(pipeline, args.output)
    print(f"trained on {keep.sum()} clips of actors {args.actors}; saved {args.output}")
    return 0
