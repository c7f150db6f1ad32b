"""Input checks shared across speechface; the error types live in :mod:`speechface.exceptions`."""

from __future__ import annotations

import numbers
from collections.abc import Iterable

# imported here too, so that code importing them from this module keeps working
from speechface.exceptions import InvalidAudioError, InvalidDatasetError, NoSpeechError  # noqa: F401


def check_scalar(
    value: object,
    name: str,
    *,
    integer: bool = False,
    min_value: float | None = None,
    include_min: bool = True,
    max_value: float | None = None,
    include_max: bool = True,
    allow_none: bool = False,
) -> None:
    """Raise a clear ``TypeError``/``ValueError`` unless ``value`` is a valid number.

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        The parameter's name, used in the message.
    integer : bool, default=False
        Whether ``value`` must be an integer.
    min_value : float, optional
        Lower bound, if any.
    include_min : bool, default=True
        Whether ``min_value`` itself is allowed.
    max_value : float, optional
        Upper bound, if any.
    include_max : bool, default=True
        Whether ``max_value`` itself is allowed.
    allow_none : bool, default=False
        Whether ``None`` is allowed.
    """
    if value is None and allow_none:
        return
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(value, bool) or not isinstance(value, kind):
        expected = "an int" if integer else "a number"
        raise TypeError(f"{name} must be {expected}, got {value!r} of type {type(value).__name__}")
    if value != value or value in (float("inf"), float("-inf")):
        raise ValueError(f"{name} must be finite, got {value!r}")
    if min_value is not None:
        too_small = value < min_value if include_min else value <= min_value
        if too_small:
            bound = ">=" if include_min else ">"
            raise ValueError(f"{name} must be {bound} {min_value}, got {value!r}")
    if max_value is not None:
        too_large = value > max_value if include_max else value >= max_value
        if too_large:
            bound = "<=" if include_max else "<"
            raise ValueError(f"{name} must be {bound} {max_value}, got {value!r}")


def check_choice(value: object, name: str, choices: Iterable[object]) -> None:
    """Raise a ``ValueError`` unless ``value`` is one of ``choices``.

    Parameters
    ----------
    value : object
        The value to check.
    name : str
        The parameter's name, used in the message.
    choices : iterable
        The allowed values.
    """
    allowed = tuple(choices)
    if value not in allowed:
        raise ValueError(f"{name} must be one of {allowed!r}, got {value!r}")
