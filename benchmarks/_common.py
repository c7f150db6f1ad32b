"""Shared helpers of the benchmark scripts: data path, threads, result writing, blown-out pixels."""

from __future__ import annotations

import argparse
import ast
import json
import sys
from pathlib import Path

import numpy as np

RESULTS = Path(__file__).resolve().parent / "results"
DEFAULT_DATA = Path(__file__).resolve().parents[1] / ".." / "shared" / "data"
#: a face pixel at or above this is blown-out white
WHITE = 250


def white_share(faces: np.ndarray) -> np.ndarray:
    """Each uint8 face's share of blown-out pixels, (n,) from (n, 48, 48)."""
    return (np.asarray(faces) >= WHITE).mean(axis=(1, 2))


def parse_setting(text: str) -> tuple[str, object]:
    """``key=value`` into an estimator parameter; the value is a Python literal or else a string."""
    key, sep, value = text.partition("=")
    if not sep or not key:
        raise argparse.ArgumentTypeError(f"expected param=value, got {text!r}")
    try:
        return key, ast.literal_eval(value)
    except (ValueError, SyntaxError):
        return key, value


def data_dir(sub: str, given: str | None) -> Path:
    """The real-data folder ``given`` (or ``../shared/data/<sub>``); exit cleanly when absent."""
    path = Path(given) if given else DEFAULT_DATA / sub
    if not path.is_dir():
        print(f"skipped: {sub} data not found at {path} (pass --data PATH)", file=sys.stderr)
        sys.exit(0)
    return path


def ravdess_protocol(given: str | None):
    """RAVDESS (``given`` or ``../shared/data/ravdess``) with the protocol's masks.

    Returns the loader's Bunch, each clip's actor, and the masks of the
    development speakers (actors 1-20) and of the test speakers (actors 21-24).
    """
    from speechface import load_ravdess

    bunch = load_ravdess(data_dir("ravdess", given))
    actors = bunch.frame["actor"].to_numpy()
    return bunch, actors, actors <= 20, actors >= 21


def set_threads(n: int) -> None:
    """Pin torch and BLAS to ``n`` threads in this process, so timings are comparable.

    Environment variables are left alone: joblib's worker processes then get
    one BLAS thread each, as they should when the workers fill the cores.
    """
    import torch
    from threadpoolctl import threadpool_limits

    torch.set_num_threads(n)
    threadpool_limits(limits=n)


def write_json(name: str, payload: dict) -> Path:
    """Write ``results/<name>.json`` and return its path."""
    RESULTS.mkdir(exist_ok=True)
    path = RESULTS / f"{name}.json"
    path.write_text(json.dumps(payload, indent=2, default=float) + "\n")
    return path


def markdown_table(rows: list[dict], columns: list[str]) -> str:
    """A GitHub markdown table of ``rows`` restricted to ``columns``."""

    def fmt(v):
        return f"{v:.3f}" if isinstance(v, float) else str(v)

    lines = ["| " + " | ".join(columns) + " |", "|" + "---|" * len(columns)]
    lines += ["| " + " | ".join(fmt(r.get(c, "")) for c in columns) + " |" for r in rows]
    return "\n".join(lines)
