"""Score models on real data: speech emotion on RAVDESS, faces on FER-2013.

``--ravdess DIR`` scores the speech model on the given actors (default 21-24):
8-class accuracy, 7-class accuracy without calm, and unweighted average recall.
``--fer DIR`` scores the generator with the shipped judge: conditional accuracy,
Frechet distance to the test faces, and diversity.
"""

from __future__ import annotations

import argparse


def actor_set(spec: str) -> set[int]:
    """Actors of a spec such as ``"21-24"`` or ``"1,3,5-7"``."""
    actors: set[int] = set()
    try:
        for part in spec.split(","):
            low, _, high = part.partition("-")
            actors.update(range(int(low), int(high or low) + 1))
    except ValueError:
        raise ValueError(f"actors must look like 21-24 or 1,3,5, got {spec!r}") from None
    if not actors or min(actors) < 1 or max(actors) > 24:
        raise ValueError(f"actors must be within 1-24, got {spec!r}")
    return actors


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--ravdess", metavar="DIR", help="RAVDESS speech folder to score the speech model on")
    parser.add_argument("--actors", default="21-24", help="actors to score on (default 21-24)")
    parser.add_argument("--fer", metavar="DIR", help="FER-2013 folder to score the generator against")
    parser.add_argument("--n-per-class", type=int, default=300, help="faces drawn per emotion (default 300)")
    from speechface.cli._models import add_model_options

    add_model_options(parser, soft=False)


def _speech(args) -> None:
    import numpy as np
    from sklearn.metrics import accuracy_score, balanced_accuracy_score

    from speechface import load_ravdess, pretrained
    from speechface.ser import load_ser_pipeline

    model = load_ser_pipeline(args.ser) if args.ser else pretrained.ser()
    bunch = load_ravdess(args.ravdess, on_invalid="warn")
    keep = np.isin(bunch.frame["actor"].to_numpy(), sorted(actor_set(args.actors)))
    if not keep.any():
        raise ValueError(f"no clips of actors {args.actors} under {args.ravdess!r}")
    y, predicted = bunch.target[keep], model.predict(bunch.data[keep])
    not_calm = y != "calm"
    print(
        f"speech emotion, actors {args.actors}, {keep.sum()} clips: "
        f"acc8 {accuracy_score(y, predicted):.3f}  acc7 {accuracy_score(y[not_calm], predicted[not_calm]):.3f}  "
        f"uar {balanced_accuracy_score(y, predicted):.3f}"
    )


def _faces(args) -> None:
    from speechface import load_fer2013, pretrained
    from speechface.faces import load_generator
    from speechface.metrics import conditional_accuracy, diversity, frechet_distance

    generator = load_generator(args.generator) if args.generator else pretrained.generator()
    judge = pretrained.face_judge()
    test = load_fer2013(args.fer, split="test")
    accuracy = conditional_accuracy(generator, judge, n_per_class=args.n_per_class)
    labels = [e for e in generator.classes_ for _ in range(args.n_per_class)]
    faces = generator.sample(labels, random_state=1)
    print(
        f"faces vs FER-2013 test: conditional accuracy {accuracy['macro']:.3f}  "
        f"frechet {frechet_distance(judge, faces, test.images):.2f}  "
        f"diversity {diversity(judge, faces, labels):.3f} "
        f"(real test faces {diversity(judge, test.images, test.target):.3f})"
    )


def run(args: argparse.Namespace) -> int:
    if not args.ravdess and not args.fer:
        raise ValueError("nothing to evaluate: pass --ravdess DIR and/or --fer DIR")
    if args.ravdess:
        _speech(args)
    if args.fer:
        _faces(args)
    return 0
