"""Model loading shared by the subcommands: the shipped models or files the user names."""

from __future__ import annotations

from speechface.speech_to_face import SpeechToFace


def speech_to_face(ser_path: str | None, generator_path: str | None) -> SpeechToFace:
    """A ready SpeechToFace from model files, the shipped models standing in for any not given."""
    from speechface.faces import load_generator
    from speechface.ser import load_ser_pipeline

    ser = load_ser_pipeline(ser_path) if ser_path else None
    generator = load_generator(generator_path) if generator_path else None
    return SpeechToFace(ser=ser, generator=generator)


def add_model_options(parser) -> None:
    """``--ser`` and ``--generator`` options."""
    parser.add_argument("--ser", metavar="MODEL", help="speech-emotion model file (default: the shipped one)")
    parser.add_argument("--generator", metavar="MODEL", help="face generator file (default: the shipped one)")
