"""Draw the emotion over time in one long recording.

Reads the clip as overlapping windows over its speech, prints one line per
window (its start and end in seconds, emotion and probability) and writes a
PNG: a stacked-area plot of the emotion probabilities over time, with a face
of each window's emotion along it.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from speechface.cli._models import add_model_options, speech_to_face

#: the file written when -o names a folder
DEFAULT_NAME = "timeline.png"


def register(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("audio", metavar="AUDIO", help="one audio file (wav, flac, ogg ...)")
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="OUT.png",
        help=f"PNG to write, or an existing folder to write {DEFAULT_NAME} in",
    )
    parser.add_argument(
        "--window",
        type=float,
        default=None,
        metavar="S",
        help="window length in seconds (default: the speech model's analysis window)",
    )
    parser.add_argument(
        "--hop", type=float, default=None, metavar="S", help="seconds between window starts (default: half the window)"
    )
    parser.add_argument(
        "--faces",
        action=argparse.BooleanOptionalAction,
        default=True,
        help="draw a face of each window's emotion along the plot (default: yes)",
    )
    parser.add_argument("--seed", type=int, default=None, metavar="N", help="random seed of the faces")
    add_model_options(parser)


def run(args: argparse.Namespace) -> int:
    from speechface.plotting import plot_timeline

    output = Path(args.output)
    output = output / DEFAULT_NAME if output.is_dir() else output
    model = speech_to_face(args.ser, args.generator, soft=args.soft)
    timeline = model.timeline(
        args.audio, window=args.window, hop=args.hop, n_faces=int(args.faces), random_state=args.seed
    )
    for start, end, emotion, p in zip(timeline.start, timeline.end, timeline.emotion, timeline.proba.max(axis=1)):
        span = f"{start:.2f}-{end:.2f}"
        print(f"{span:>13} s\t{emotion}\t{p:.2f}")
    plot_timeline(timeline, output, faces=args.faces)
    if not args.quiet:
        print(f"timeline: {output}")
    return 0
