"""The ``speechface`` command: one module per subcommand, each with ``register`` and ``run``."""

from __future__ import annotations

import argparse
import sys
import traceback
from collections.abc import Sequence
from pathlib import Path

from sklearn.exceptions import NotFittedError

from speechface.cli import demo, evaluate, generate, serve, timeline, train_gan, train_ser
from speechface.exceptions import SpeechfaceError

SUBCOMMANDS = {
    "demo": demo,
    "generate": generate,
    "timeline": timeline,
    "train-ser": train_ser,
    "train-gan": train_gan,
    "evaluate": evaluate,
    "serve": serve,
}

#: errors that always come from what the user asked for (bad audio or data, a model not
#: fitted, a file that cannot be read or written): reported as one line, exit code 2
USER_ERRORS = (SpeechfaceError, NotFittedError, OSError)

#: the speechface package folder: a ``raise`` in it is a message of ours
_PACKAGE = Path(__file__).resolve().parent.parent


def is_user_error(exc: BaseException) -> bool:
    """Whether ``exc`` is a mistake in what the user asked for, to report in one line.

    That is one of :data:`USER_ERRORS`, or a ``ValueError``/``TypeError`` that a
    ``raise`` statement of speechface itself raised (a parameter check naming
    the problem). Any other error, such as a ``ValueError`` from inside numpy or
    torch or a ``TypeError`` of Python's own, is a bug whose traceback must show.

    Parameters
    ----------
    exc : BaseException
        The error a subcommand raised.

    Returns
    -------
    bool
        True for a user's mistake, False for a bug.
    """
    if isinstance(exc, USER_ERRORS):
        return True
    if not isinstance(exc, (ValueError, TypeError)) or exc.__traceback__ is None:
        return False
    raised_at = traceback.extract_tb(exc.__traceback__)[-1]
    ours = Path(raised_at.filename).resolve().is_relative_to(_PACKAGE)
    return ours and (raised_at.line or "").startswith("raise ")


def build_parser() -> argparse.ArgumentParser:
    """The argument parser of every subcommand."""
    parser = argparse.ArgumentParser(prog="speechface", description="Turn the emotion in a voice into a face.")
    from speechface import __version__

    parser.add_argument("--version", action="version", version=f"speechface {__version__}")
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")
    for name, module in SUBCOMMANDS.items():
        sub = commands.add_parser(
            name,
            help=module.__doc__.splitlines()[0],
            description=module.__doc__,
            formatter_class=argparse.RawDescriptionHelpFormatter,
        )
        sub.add_argument("--quiet", "-q", action="store_true", help="print results only, no progress bars")
        module.register(sub)
        sub.set_defaults(run=module.run)
    return parser


def _check_seed(args: argparse.Namespace) -> None:
    """Refuse a ``--seed`` numpy would refuse, with a message of ours instead of numpy's."""
    seed = getattr(args, "seed", None)
    if seed is not None and not 0 <= seed < 2**32:
        raise ValueError(f"--seed must be between 0 and 2**32 - 1, got {seed}")


def main(argv: Sequence[str] | None = None) -> int:
    """Run the ``speechface`` command; returns the exit code (0 ok, 2 a user's mistake).

    A user's mistake (see :func:`is_user_error`) is printed as one line; any
    other error propagates with its traceback (exit code 1 from the console).

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
        _check_seed(args)
        return args.run(args)
    except (*USER_ERRORS, ValueError, TypeError) as exc:
        if not is_user_error(exc):
            raise
        print(f"speechface {args.command}: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print(f"speechface {args.command}: interrupted", file=sys.stderr)
        return 130
