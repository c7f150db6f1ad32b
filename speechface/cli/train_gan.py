"""Train the conditional face generator on FER-2013 (train split) and save it.

With ``--checkpoint`` an interrupted run resumes where it stopped.
"""

from __future__ import annotations

import argparse


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("data", metavar="DATA_DIR", help="FER-2013 image folders or fer2013.csv")
    parser.add_argument("-o", "--output", required=True, metavar="MODEL", help="generator file to write (.pt)")
    parser.add_argument("--epochs", type=int, default=10, help="training epochs (default 10)")
    parser.add_argument("--architecture", choices=("default", "seed"), default="default")
    parser.add_argument("--width", type=int, default=32, help="base channel width (default 32)")
    parser.add_argument("--checkpoint", metavar="PATH", help="checkpoint file to resume from and write to")
    parser.add_argument("--seed", type=int, default=0, help="random seed")


def run(args: argparse.Namespace) -> int:
    from speechface import ConditionalFaceGenerator, load_fer2013
    from speechface.faces import save_generator

    faces = load_fer2013(args.data, split="train")
    generator = ConditionalFaceGenerator(
        args.architecture,
        width=args.width,
        max_epochs=args.epochs,
        checkpoint=args.checkpoint,
        random_state=args.seed,
        verbose=0 if args.quiet else 1,
    )
    generator.fit(faces.images, faces.target)
    save_generator(generator, args.output)
    print(f"trained on {len(faces.images)} faces, {generator.n_images_seen_} images seen; saved {args.output}")
    return 0
