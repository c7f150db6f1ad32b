"""Emotion vocabularies of RAVDESS and FER-2013, and the map between them."""

from __future__ import annotations

import numbers
from collections.abc import Iterable, Mapping

#: The eight RAVDESS speech emotions, in the order of their file-name codes 01-08.
RAVDESS_EMOTIONS: tuple[str, ...] = (
    "neutral",
    "calm",
    "happy",
    "sad",
    "angry",
    "fearful",
    "disgust",
    "surprised",
)

#: The seven FER-2013 emotions, in the order of the dataset's integer labels 0-6.
FER_EMOTIONS: tuple[str, ...] = (
    "angry",
    "disgust",
    "fear",
    "happy",
    "sad",
    "surprise",
    "neutral",
)

#: RAVDESS emotion -> FER-2013 emotion. ``calm`` has no FER-2013 twin and maps to ``None``.
RAVDESS_TO_FER: Mapping[str, str | None] = {
    "neutral": "neutral",
    "calm": None,
    "happy": "happy",
    "sad": "sad",
    "angry": "angry",
    "fearful": "fear",
    "disgust": "disgust",
    "surprised": "surprise",
}


def ravdess_emotion(code: int | str) -> str:
    """Return the RAVDESS emotion name of a file-name emotion code.

    Parameters
    ----------
    code : int or str
        The emotion field of a RAVDESS file name, ``1``-``8`` or ``"01"``-``"08"``.

    Returns
    -------
    str
        The emotion name, e.g. ``"happy"`` for code 3.
    """
    # bools and fractional numbers are not codes (int(True) == 1, int(3.7) == 3)
    fractional = isinstance(code, numbers.Real) and not float(code).is_integer()
    if isinstance(code, bool) or fractional:
        raise ValueError(f"RAVDESS emotion code must be 01-08, got {code!r}")
    try:
        index = int(code)
    except (TypeError, ValueError):
        raise ValueError(f"RAVDESS emotion code must be 01-08, got {code!r}") from None
    if not 1 <= index <= len(RAVDESS_EMOTIONS):
        raise ValueError(f"RAVDESS emotion code must be 01-08, got {code!r}")
    return RAVDESS_EMOTIONS[index - 1]


def check_emotion_names(names: Iterable[object], vocabulary: Iterable[str]) -> list[str]:
    """Return ``names`` lower-cased, raising if one is not in ``vocabulary``.

    Parameters
    ----------
    names : iterable of str
        Emotion names in any case.
    vocabulary : iterable of str
        The allowed names, e.g. :data:`RAVDESS_EMOTIONS`.

    Returns
    -------
    list of str
        The lower-cased names.
    """
    allowed = tuple(vocabulary)
    out = []
    for name in names:
        if not isinstance(name, str):
            raise TypeError(f"emotion names must be str, got {name!r} of type {type(name).__name__}")
        low = name.strip().lower()
        if low not in allowed:
            raise ValueError(f"unknown emotion {name!r}; expected one of {', '.join(allowed)}")
        out.append(low)
    return out


def fer_codes(labels: Iterable[object]) -> list[int]:
    """Return the FER-2013 integer codes (0-6) of emotion names or codes.

    Parameters
    ----------
    labels : iterable of int or str
        FER-2013 codes ``0``-``6`` or :data:`FER_EMOTIONS` names in any case.

    Returns
    -------
    list of int
        The codes, in the order of :data:`FER_EMOTIONS`.
    """
    codes = []
    for label in labels:
        if isinstance(label, str):
            codes.append(FER_EMOTIONS.index(check_emotion_names([label], FER_EMOTIONS)[0]))
            continue
        integral = isinstance(label, numbers.Integral) or (
            isinstance(label, numbers.Real) and float(label).is_integer()
        )
        if isinstance(label, bool) or not integral:
            raise TypeError(
                f"FER-2013 labels must be ints 0-6 or emotion names, got {label!r} of type {type(label).__name__}"
            )
        if not 0 <= int(label) < len(FER_EMOTIONS):
            raise ValueError(f"FER-2013 label code must be 0-6, got {label!r}")
        codes.append(int(label))
    return codes
