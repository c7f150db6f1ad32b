"""Short clips: fill the analysis window by repeating the speech, or pad it with silence?

The default reads speech shorter than its 2.5 s window repeated end to end
(``speechface.audio.windows.fill_window``), in training and in prediction. This
experiment swaps in zero padding (silence after the speech, as the seed and the
RAVDESS-timed front end do) for both, fits the default pipeline on actors 1-16
and scores actors 17-20 (development speakers only) under the conditions that
make clips short. Extraction runs in this process so that the swap reaches it.

    python benchmarks/experiments/short_padding.py
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import markdown_table, ravdess_protocol, set_threads, write_json  # noqa: E402
from _perturb import SR, cached_perturbed_clips  # noqa: E402
from ser import SpeechOrNot, scores  # noqa: E402

CONDITIONS = ("clean", "starts at the speech", "2 s of speech", "1 s of speech")


def zero_padded(y: np.ndarray, size: int) -> np.ndarray:
    """``y`` cropped to ``size`` samples, or followed by silence up to it."""
    return y[:size] if len(y) >= size else np.pad(y, (0, size - len(y)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    set_threads(args.threads)
    from speechface import make_ser_pipeline
    from speechface.audio import windows

    bunch, actors, dev, _ = ravdess_protocol(args.data)
    train, valid = dev & (actors <= 16), dev & (actors > 16)
    repeat = windows.fill_window
    rows = []
    for name, fill in (("repeat the speech", repeat), ("pad with silence", zero_padded)):
        windows.fill_window = fill
        pipe = make_ser_pipeline(mfcc__random_state=args.seed, cnn__random_state=args.seed)
        pipe.fit(bunch.data[train], bunch.target[train])
        pipe.set_params(mfcc__input_sr=SR)
        row = {"fill": name}
        for condition in CONDITIONS:
            clips = cached_perturbed_clips(bunch.data[valid], actors[valid], condition)
            row[condition] = scores(SpeechOrNot(pipe), clips, bunch.target[valid])["acc8"]
            print(f"{name}: {condition} acc8={row[condition]:.3f}", flush=True)
        rows.append(row)
    windows.fill_window = repeat
    table = markdown_table(rows, ["fill", *CONDITIONS])
    print("\n" + table)
    write_json("short_padding", {"train": "actors 1-16", "valid": "actors 17-20", "seed": args.seed, "rows": rows})


if __name__ == "__main__":
    main()
