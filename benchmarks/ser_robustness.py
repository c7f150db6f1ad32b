"""Speech emotion under recording conditions: the SER models on RAVDESS clips as users record them.

Scores, side by side, the seed preset (fitted here on actors 1-20), the model
shipped before (git 078e77a) and the new default (the shipped model file) on
the test speakers (actors 21-24, 240 clips) under each recording condition of
``_perturb.CONDITIONS``: the clean files, cut at the speech onset or shortened,
padded with silence, three sentences in one take, white, pink and babble noise,
a reverberant room, a telephone line, mp3 compression, a quiet recording. A
clip in which a model finds no speech is counted wrong ("no speech"). Prints
and writes results/ser_robustness.json, .md and .png.

The test speakers are held out: score them once, for a release. ``--speakers
dev`` (actors 1-20, which the models were trained on) and ``--limit`` are for
smoke runs; they write results/ser_robustness_smoke.* instead.

    python benchmarks/ser_robustness.py [--data ../shared/data/ravdess] [--model PATH | --fit] [--previous PATH]
    python benchmarks/ser_robustness.py --speakers dev --limit 24 --models "shipped before"   # smoke run
"""

from __future__ import annotations

import argparse
import subprocess
import tempfile
import warnings
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from _common import RESULTS, markdown_table, ravdess_protocol, set_threads, write_json
from _perturb import CONDITIONS, SR, cached_perturbed_clips
from ser import NO_SPEECH, SpeechOrNot, scores, timed

if TYPE_CHECKING:
    from sklearn.pipeline import Pipeline

MODELS = ("seed preset", "shipped before", "new default")
PREVIOUS = "078e77a"  # the commit whose speechface/pretrained/ser.pt is "shipped before"
ROOT = Path(__file__).resolve().parents[1]


def fitted(pipe: Pipeline, X: np.ndarray, y: np.ndarray, name: str) -> tuple[Pipeline, str]:
    """``pipe`` fitted on the files ``X`` (feature extraction on all cores), the fit time printed."""
    _, seconds = timed(pipe.set_params(mfcc__n_jobs=-1).fit, X, y)
    source = f"fitted on actors 1-20 in {seconds:.0f} s"
    print(f"{name}: {source}", flush=True)
    return pipe.set_params(mfcc__n_jobs=None), source


def shipped_before(path: str | None) -> tuple[Pipeline, str]:
    """The model file at ``path``, or else the shipped model of commit :data:`PREVIOUS`."""
    from speechface.ser import load_ser_pipeline

    if path:
        return load_ser_pipeline(path), path
    blob = subprocess.run(
        ["git", "show", f"{PREVIOUS}:speechface/pretrained/ser.pt"], cwd=ROOT, capture_output=True, check=True
    ).stdout
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "ser.pt").write_bytes(blob)
        return load_ser_pipeline(Path(tmp) / "ser.pt"), f"git {PREVIOUS}:speechface/pretrained/ser.pt"


def load_models(args: argparse.Namespace, X_fit: np.ndarray, y_fit: np.ndarray) -> dict[str, tuple[Pipeline, str]]:
    """Each chosen model, set to read 16 kHz waveforms, with a line saying where it comes from."""
    from speechface import make_seed_pipeline, make_ser_pipeline, pretrained
    from speechface.ser import load_ser_pipeline

    models = {}
    for name in (m for m in MODELS if m in args.models):
        if name == "seed preset":
            model, source = fitted(make_seed_pipeline(cnn__random_state=0), X_fit, y_fit, name)
        elif name == "shipped before":
            model, source = shipped_before(args.previous)
        elif args.fit:
            model, source = fitted(make_ser_pipeline(mfcc__random_state=0, cnn__random_state=0), X_fit, y_fit, name)
        elif args.model:
            model, source = load_ser_pipeline(args.model), args.model
        else:
            model, source = pretrained.ser(), "speechface.pretrained.ser()"
        models[name] = (model.set_params(mfcc__input_sr=SR), source)
    return models


def markdown(results: dict[str, dict], summary: dict[str, dict]) -> str:
    """The table: a row per condition, then the mean over the perturbed ones and the worst; acc8 and UAR per model."""
    columns = [f"{m} {k}" for m in results for k in ("acc8", "uar")]
    rows = [
        {"condition": c, **{f"{m} {k}": results[m][c][k] for m in results for k in ("acc8", "uar")}} for c in CONDITIONS
    ]
    mean, worst = {"condition": "mean of the perturbed"}, {"condition": "worst (by acc8)"}
    for m, s in summary.items():
        mean.update({f"{m} {k}": s["mean_perturbed"][k] for k in ("acc8", "uar")})
        worst.update(
            {f"{m} acc8": f"{s['worst']['acc8']:.3f} ({s['worst']['condition']})", f"{m} uar": s["worst"]["uar"]}
        )
    return markdown_table(rows + [mean, worst], ["condition"] + columns)


def bars_png(results: dict[str, dict], path: Path, title: str) -> None:
    """Grouped horizontal bars of acc8 per condition (rows) and model (bars)."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    rows, height = np.arange(len(CONDITIONS)), 0.8 / len(results)
    fig, ax = plt.subplots(figsize=(9, 1.5 + 0.3 * len(CONDITIONS) * (1 + len(results)) / 2), layout="constrained")
    for k, (name, per) in enumerate(results.items()):
        ax.barh(rows + (k - (len(results) - 1) / 2) * height, [per[c]["acc8"] for c in CONDITIONS], height, label=name)
    ax.axvline(1 / 8, color="black", linestyle="--", linewidth=1, label="chance (1/8)")
    ax.set_yticks(rows, CONDITIONS)
    ax.invert_yaxis()
    ax.set_xlim(0, 1)
    ax.set_xlabel("8-class accuracy")
    ax.set_title(title)
    fig.legend(loc="outside lower center", ncol=len(results) + 1, frameon=False)
    fig.savefig(path, dpi=120)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="RAVDESS speech folder (default ../shared/data/ravdess)")
    parser.add_argument(
        "--models",
        nargs="+",
        choices=MODELS,
        default=list(MODELS),
        metavar="NAME",
        help=f"a subset of {', '.join(map(repr, MODELS))}",
    )
    new = parser.add_mutually_exclusive_group()
    new.add_argument("--model", help="the new default from this save_ser_pipeline file (default: the shipped one)")
    new.add_argument("--fit", action="store_true", help="fit a fresh make_ser_pipeline() as the new default")
    parser.add_argument("--previous", help=f"the model shipped before from this file (default: git {PREVIOUS})")
    parser.add_argument(
        "--speakers",
        choices=("test", "dev"),
        default="test",
        help="test: actors 21-24 (held out); dev: actors 1-20, for smoke runs only",
    )
    parser.add_argument("--limit", type=int, help="the first N clips only (smoke runs)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0, help="seed of the recording conditions")
    parser.add_argument("--quiet", action="store_true", help="no progress bars")
    args = parser.parse_args()
    set_threads(args.threads)
    # a "no speech" prediction is a class y never holds: recall per true class is still what UAR averages
    warnings.filterwarnings("ignore", message="y_pred contains classes not in y_true")

    bunch, actors, dev, test = ravdess_protocol(args.data)
    chosen = (test if args.speakers == "test" else dev).nonzero()[0][: args.limit]
    paths, y, clip_actors = bunch.data[chosen], bunch.target[chosen], actors[chosen]
    held_out = bool(args.speakers == "test" and len(chosen) == test.sum())
    speakers = "actors 21-24 (test)" if args.speakers == "test" else "actors 1-20 (development)"
    scope = f"RAVDESS {speakers}, {len(chosen)} clips"
    if not held_out:
        scope += ": smoke run, NOT the held-out figure"
    print(scope, flush=True)
    models = load_models(args, bunch.data[dev], bunch.target[dev])

    results: dict[str, dict] = {name: {} for name in models}
    for condition in CONDITIONS:
        clips = cached_perturbed_clips(paths, clip_actors, condition, args.seed, verbose=not args.quiet)
        for name, (model, _) in models.items():
            s = scores(SpeechOrNot(model), clips, y)
            r = results[name][condition] = {
                "acc8": s["acc8"],
                "acc7": s["acc7"],
                "uar": s["uar"],
                "no_speech": int(np.sum(s["pred"] == NO_SPEECH)),
            }
            print(
                f"{condition:<26} {name:<15} acc8={r['acc8']:.3f} uar={r['uar']:.3f} no_speech={r['no_speech']}",
                flush=True,
            )

    summary = {}
    for name, per in results.items():
        worst = min(CONDITIONS[1:], key=lambda c: per[c]["acc8"])
        summary[name] = {
            "mean_perturbed": {k: float(np.mean([per[c][k] for c in CONDITIONS[1:]])) for k in ("acc8", "uar")},
            "worst": {"condition": worst, "acc8": per[worst]["acc8"], "uar": per[worst]["uar"]},
        }
    table = markdown(results, summary)
    no_speech = (
        "; ".join(
            f"{m}: {c} {results[m][c]['no_speech']}" for m in models for c in CONDITIONS if results[m][c]["no_speech"]
        )
        or "none"
    )
    notes = (
        "Models: " + "; ".join(f"{m}: {source}" for m, (_, source) in models.items()) + ".\n"
        f"Clips in which a model found no speech (counted wrong): {no_speech}.\n"
        f"Conditions seed {args.seed}, {args.threads} threads; chance acc8 0.125."
    )

    name = "ser_robustness" if held_out else "ser_robustness_smoke"
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"{name}.md").write_text(f"# Speech emotion under recording conditions: {scope}\n\n{table}\n\n{notes}\n")
    bars_png(results, RESULTS / f"{name}.png", f"Speech emotion under recording conditions\n{scope}")
    write_json(
        name,
        {
            "speakers": speakers,
            "clips": len(chosen),
            "held_out": held_out,
            "seed": args.seed,
            "threads": args.threads,
            "conditions": list(CONDITIONS),
            "models": {
                m: {"source": source, "conditions": results[m], **summary[m]} for m, (_, source) in models.items()
            },
        },
    )
    print(f"\n{table}\n\n{notes}\n\n{scope}; written to {RESULTS / name}.(json|md|png)")


if __name__ == "__main__":
    main()
