"""Run the shipped models on the shipped demo clips (RAVDESS actors 21-24).

Prints, per clip, the true speech emotion, the predicted FER-2013 emotion and
its probability, and writes a PNG sheet with each clip's faces (of the blend
heard with ``--soft``); ``--every-emotion`` also writes a sheet of the same
faces in every emotion.
"""

from __future__ import annotations

import argparse
import time

import numpy as np

from speechface.cli._models import add_model_options, speech_to_face


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("-o", "--output", default="speechface_demo.png", help="PNG sheet to write")
    parser.add_argument("--n-faces", type=int, default=6, help="faces per clip (default 6)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the faces")
    parser.add_argument("--every-emotion", metavar="OUT.png",
                        help="also write a sheet of the same --n-faces faces in every emotion (one row each)")
    add_model_options(parser)


def run(args: argparse.Namespace) -> int:
    from speechface.demo import demo_clips
    from speechface.faces.plotting import save_face_grid
    from speechface.labels import RAVDESS_TO_FER

    start = time.perf_counter()
    model = speech_to_face(args.ser, args.generator, soft=args.soft)
    clips = demo_clips()
    paths = [str(path) for path, _ in clips]
    proba = model.predict_proba(paths)
    predicted = model.classes_[proba.argmax(axis=1)]
    faces = model.sample_faces(proba if args.soft else predicted, n_faces=args.n_faces, random_state=args.seed)
    print(f"{'clip':<26} {'true (RAVDESS)':<15} {'as FER':<9} {'predicted':<10} {'prob':>5}")
    for (path, true), guess, p in zip(clips, predicted, proba.max(axis=1)):
        twin = RAVDESS_TO_FER.get(true) or "-"
        print(f"{path.name:<26} {true:<15} {twin:<9} {guess:<10} {p:5.2f}")
    hits = [RAVDESS_TO_FER.get(true) == guess for (_, true), guess in zip(clips, predicted)]
    print(f"{sum(hits)} of {sum(RAVDESS_TO_FER.get(t) is not None for _, t in clips)} clips with a FER twin right")
    labels = [f"{true}->{'blend' if args.soft else guess}" for (_, true), guess in zip(clips, predicted)]
    save_face_grid(np.asarray(faces), args.output, labels)
    if args.every_emotion:
        grid = model.every_emotion(args.n_faces, random_state=args.seed)
        save_face_grid(grid, args.every_emotion, [str(c) for c in model.classes_])
    if not args.quiet:
        print(f"faces: {args.output} ({time.perf_counter() - start:.1f} s)")
        if args.every_emotion:
            print(f"the same faces in every emotion: {args.every_emotion}")
    return 0
