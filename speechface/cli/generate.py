"""Draw faces for the emotion heard in audio files.

Writes a PNG sheet with one row of faces per audio file (of the blend of
emotions heard, with ``--soft``) and prints each file's predicted FER-2013
emotion.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from speechface.cli._models import add_model_options, speech_to_face

#: the file written when -o names a folder
DEFAULT_NAME = "faces.png"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("audio", nargs="+", metavar="AUDIO", help="audio files (wav, flac, ogg ...)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.png",
        help=f"PNG sheet to write, or an existing folder to write {DEFAULT_NAME} in",
    )
    parser.add_argument("--n-faces", type=int, default=4, help="faces per file (default 4)")
    parser.add_argument("--seed", type=int, default=None, help="random seed of the faces")
    add_model_options(parser)


def run(args: argparse.Namespace) -> int:
    from speechface.faces.plotting import save_face_grid

    output = Path(args.output)
    output = output / DEFAULT_NAME if output.is_dir() else output
    model = speech_to_face(args.ser, args.generator, soft=args.soft)
    proba = model.predict_proba(args.audio)
    predicted = model.classes_[proba.argmax(axis=1)]
    faces = model.sample_faces(proba if args.soft else predicted, n_faces=args.n_faces, random_state=args.seed)
    for path, guess, p in zip(args.audio, predicted, proba.max(axis=1)):
        print(f"{path}\t{guess}\t{p:.2f}")
    save_face_grid(faces, output, [str(e) for e in predicted])
    if not args.quiet:
        print(f"faces: {output}")
    return 0
