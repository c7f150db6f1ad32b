"""Model loading shared by the subcommands: the shipped models or files the user names."""

from __future__ import annotations

from speechface.speech_to_face import SpeechToFace


def speech_to_face(ser_path: str | None, generator_path: str | None, soft: bool = False) -> SpeechToFace:
    """A ready SpeechToFace from model files, the shipped models standing in for any not given."""
    from speechface.faces import load_generator
    from speechface.ser import load_ser_pipeline

    ser = load_ser_pipeline(ser_path) if ser_path else None
    generator = load_generator(generator_path) if generator_path else None
    return SpeechToFace(ser=ser, generator=generator, soft=soft)


def add_model_options(parser, soft: bool = True) -> None:
    """``--ser`` and ``--generator`` options, and ``--soft`` for the commands that draw faces."""
    parser.add_argument("--ser", metavar="MODEL", help="speech-emotion model file (default: the shipped one)")
    parser.add_argument("--generator", metavar="MODEL", help="face generator file (default: the shipped one)")
    if soft:
        parser.add_argument(
            "--soft",
            action="store_true",
            help="faces of the blend of emotions heard (SpeechToFace(soft=True)), not of the top one",
        )
