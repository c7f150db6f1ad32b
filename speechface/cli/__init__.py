"""The ``speechface`` command: one module per subcommand, each with ``register`` and ``run``."""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence

from sklearn.exceptions import NotFittedError

from speechface.cli import demo, evaluate, generate, serve, timeline, train_gan, train_ser

SUBCOMMANDS = {"demo": demo, "generate": generate, "timeline": timeline, "train-ser": train_ser,
               "train-gan": train_gan, "evaluate": evaluate, "serve": serve}

#: errors that come from what the user asked for: reported as one line, exit code 2
USER_ERRORS = (ValueError, TypeError, OSError, NotFittedError)


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="speechface", description="Turn the emotion in a voice into a face.")
    from speechface import __version__

    parser.add_argument("--version", action="version", version=f"speechface {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        sub = commands.add_parser(name, help=module.__doc__.splitlines()[0], description=module.__doc__,
                                  formatter_class=argparse.RawDescriptionHelpFormatter)
        sub.add_argument("--quiet", "-q", action="store_true", help="print results only, no progress bars")
        module.register(sub)
        sub.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``speechface`` command; returns the exit code (0 ok, 2 a user's mistake).

    Parameters
    ----------
    argv : sequence of str, optional
        Arguments; ``sys.argv[1:]`` when None.

    Returns
    -------
    int
        The exit code.
    """
    args = build_parser().parse_args(argv)
    try:
        return args.run(args)
    except USER_ERRORS as exc:
        print(f"speechface {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"speechface {args.command}: interrupted", file=sys.stderr)
        return 130
