"""Run the shipped models on the shipped demo clips (RAVDESS actors 21-24).

Prints, per clip, the true speech emotion, the predicted FER-2013 emotion and
its probability, and writes a PNG sheet with each clip's faces (of the blend
heard with ``--soft``); ``--every-emotion`` also writes a sheet of the same
faces in every emotion.
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from speechface.cli._models import add_model_options, speech_to_face

#: the file written when -o names a folder, and the default -o
DEFAULT_NAME = "speechface_demo.png"
#: the file written when --every-emotion names a folder
EVERY_EMOTION_NAME = "every_emotion.png"


def _png_path(output: str, name: str) -> Path:
    """``output``, or ``output/name`` when it is a folder."""
    path = Path(output)
    return path / name if path.is_dir() else path


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "-o",
        "--output",
        default=DEFAULT_NAME,
        metavar="OUT.png",
        help=f"PNG sheet to write, or an existing folder to write {DEFAULT_NAME} in (default {DEFAULT_NAME})",
    )
    parser.add_argument("--n-faces", type=int, default=6, help="faces per clip (default 6)")
    parser.add_argument("--seed", type=int, default=0, help="random seed of the faces")
    parser.add_argument(
        "--every-emotion",
        metavar="OUT.png",
        help="also write a sheet of the same --n-faces faces in every emotion (one row each), "
        f"or {EVERY_EMOTION_NAME} in an existing folder",
    )
    add_model_options(parser)


def run(args: argparse.Namespace) -> int:
    from speechface.demo import demo_clips
    from speechface.faces.plotting import save_face_grid
    from speechface.labels import RAVDESS_TO_FER

    start = time.perf_counter()
    output = _png_path(args.output, DEFAULT_NAME)
    every = _png_path(args.every_emotion, EVERY_EMOTION_NAME) if args.every_emotion else None
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
    save_face_grid(np.asarray(faces), output, labels)
    if every:
        grid = model.every_emotion(args.n_faces, random_state=args.seed)
        save_face_grid(grid, every, [str(c) for c in model.classes_])
    if not args.quiet:
        print(f"faces: {output} ({time.perf_counter() - start:.1f} s)")
        if every:
            print(f"the same faces in every emotion: {every}")
    return 0
