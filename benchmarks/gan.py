"""Face-generation benchmark: the seed and default cGANs at one image budget, and the shipped generator.

Every figure is measured with the shipped FER-2013 judge
(``speechface.pretrained.face_judge()``, trained on the train split only):

- ``cond_acc``: the judge's accuracy on faces drawn for each emotion, macro-averaged;
- ``frechet``: Frechet distance to the real test faces in the judge's feature space, the generated faces
  drawn in the test faces' mix of emotions (``speechface.metrics.labels_in_proportion``);
- ``frechet_balanced``: the same with the faces drawn equally per emotion, as before 2026-12-04; real
  train faces drawn so score 0.46, as far as the generators (benchmarks/experiments/frechet_class_prior.py);
- ``diversity``: mean pairwise feature distance between faces of one emotion.

Reference rows score real train faces (drawn at random, so in the test faces'
mix; for ``frechet_balanced``, equally per emotion), and the same blurred to
half resolution, against the test faces. A 7-row PNG grid (one row per emotion) is written per model.

    python gan.py [--epochs 1] [--data PATH] [--threads 2]    # seed vs default, then the shipped model
    python gan.py --train-shipped 10 [--config residual/48]   # train (or resume) the shipped generator
    python gan.py --compact ../checkpoints/generator_residual_48.pt   # shrink a checkpoint to commit it
    python gan.py --score-checkpoint ../checkpoints/generator_residual_48.pt   # a point of the training curve
    python gan.py --ship-checkpoint ../checkpoints/generator_default_32.pt    # ship the generator it holds
    python gan.py --shipped-only [--previous OLD.pt]          # score the shipped generator (and an older one)
    python gan.py --fine-tune ../checkpoints/generator_default_32.pt 60 --set aux_weight=0.3   # go on, changed
    python gan.py --fine-tune ../checkpoints/generator_default_32.pt 87 --restart-emotion disgust angry  # re-seed one
    python gan.py --fine-tune ../checkpoints/generator_default_32.pt 60 --max-white 0.2   # on less blown-out faces
    python gan.py --throughput default/32 residual/64 --threads 1   # train images/s, float32 vs bfloat16
    python gan.py --budget 10 --configs default/32/float32 residual/64/bfloat16 --threads 1
                                     # quality after 10 CPU-minutes each (images = measured img/s x time)

A config is ``architecture/width[/precision]``. ``--budget`` gives every config
the same compute: it trains on ``--rate`` images/s (measured with
``--throughput`` at the same threads on an idle machine) times the budget, so
the comparison does not depend on what else the machine was doing.
"""

from __future__ import annotations

import argparse
import json
import time
from pathlib import Path
from typing import TYPE_CHECKING

import numpy as np
from _common import RESULTS, data_dir, markdown_table, parse_setting, set_threads, white_share, write_json
from _fer_judge import load_fer_judge

if TYPE_CHECKING:
    from speechface.faces import ConditionalFaceGenerator

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "speechface" / "pretrained" / "generator.pt"
CHECKPOINTS = ROOT / "checkpoints"
N_PER_CLASS = 300
#: the scores under the project's judge, then under the second (benchmarks/_fer_judge.py) when it is installed
SCORE_COLUMNS = [
    f"{judge}{score}" for judge in ("", "fer_") for score in ("cond_acc", "frechet", "frechet_balanced", "diversity")
]


def half_resolution(faces: np.ndarray) -> np.ndarray:
    """Faces averaged down to 24x24 and blown back up to 48x48 (pixel replication)."""
    small = faces.reshape(len(faces), 24, 2, 24, 2).astype(np.float32).mean(axis=(2, 4))
    return small.repeat(2, axis=1).repeat(2, axis=2).round().astype(np.uint8)


def real_scores(judge, faces, labels, test_faces=None, balanced=None, prefix: str = "") -> dict:
    """A judge's balanced accuracy on real ``faces``, their diversity, their Frechet distance to ``test_faces``,
    and that of ``balanced`` (real faces drawn equally per emotion) when given."""
    from sklearn.metrics import balanced_accuracy_score

    from speechface.labels import fer_codes
    from speechface.metrics import diversity, frechet_distance

    row = {
        f"{prefix}cond_acc": balanced_accuracy_score(labels, fer_codes(judge.predict(faces).tolist())),
        f"{prefix}diversity": diversity(judge, faces, labels),
    }
    if test_faces is not None:
        row[f"{prefix}frechet"] = frechet_distance(judge, faces, test_faces)
    if balanced is not None:
        row[f"{prefix}frechet_balanced"] = frechet_distance(judge, balanced, test_faces)
    return row


def reference_rows(judge, train_faces, train_target, test_faces, test_target, second=None) -> list[dict]:
    """Real train faces, the same at half resolution, and the test faces, under the judge (and ``second``)."""
    rng = np.random.default_rng(0)
    index = rng.choice(len(train_faces), 7 * N_PER_CLASS, replace=False)
    sample, labels = train_faces[index], train_target[index]
    per_emotion = [np.flatnonzero(train_target == e) for e in np.unique(train_target)]
    balanced = train_faces[np.concatenate([rng.choice(i, N_PER_CLASS, replace=False) for i in per_emotion])]
    sets = [
        ("real train faces", sample, labels, test_faces, balanced),
        ("real train faces, half resolution", half_resolution(sample), labels, test_faces, half_resolution(balanced)),
        ("real test faces (judge's own accuracy)", test_faces, test_target, None, None),
    ]
    rows = []
    for name, faces, target, reference, balanced_faces in sets:
        row = {"model": name, **real_scores(judge, faces, target, reference, balanced_faces)}
        if second is not None:
            row.update(real_scores(second, faces, target, reference, balanced_faces, prefix="fer_"))
        rows.append(row)
    return rows


def parse_config(text: str) -> dict:
    """``architecture/width[/precision]`` into ConditionalFaceGenerator parameters."""
    parts = text.split("/")
    if len(parts) not in (2, 3) or not parts[1].isdigit():
        raise argparse.ArgumentTypeError(f"expected architecture/width[/precision], got {text!r}")
    return {"architecture": parts[0], "width": int(parts[1]), "precision": parts[2] if len(parts) == 3 else "auto"}


def config_name(config: dict) -> str:
    return f"{config['architecture']}/{config['width']}/{config['precision']}"


def timed_training(
    config: dict, faces: np.ndarray, labels: np.ndarray, steps: int = 30, cls=None
) -> tuple[float, float]:
    """Seconds of a first 3-step fit (the warm-up: first-call allocations, oneDNN kernel choice, any
    compilation), then the median training images/s of one step (generator and discriminator, batch 64)
    over three timings of ``steps // 3`` steps; ``cls`` is ConditionalFaceGenerator or a subclass."""
    from speechface.faces import ConditionalFaceGenerator

    generator = (cls or ConditionalFaceGenerator)(**config, max_epochs=1, random_state=0, verbose=0)
    start = time.perf_counter()
    generator.fit(faces[: 64 * 3], labels[: 64 * 3])
    warm_s = time.perf_counter() - start
    rates = []
    for _ in range(3):
        generator.set_params(warm_start=True, max_epochs=len(generator.history_) + 1)
        generator.fit(faces[: 64 * steps // 3], labels[: 64 * steps // 3])
        rates.append(generator.history_[-1]["images_per_s"])
    return warm_s, float(np.median(rates))


def train_images_per_s(config: dict, faces: np.ndarray, labels: np.ndarray, steps: int = 30) -> float:
    """Median training images/s of one step (generator and discriminator, batch 64) over ``steps`` steps."""
    return timed_training(config, faces, labels, steps)[1]


def train_on_budget(config: dict, images: int, faces, labels, seed: int):
    """A generator of ``config`` trained on ``images`` faces (whole epochs, then the rest of one)."""
    from speechface.faces import ConditionalFaceGenerator

    generator = ConditionalFaceGenerator(**config, max_epochs=max(images // len(faces), 1), random_state=seed)
    generator.fit(faces, labels)
    rest = images - generator.n_images_seen_
    if rest >= 64:
        order = np.random.default_rng(seed).permutation(len(faces))[:rest]
        generator.set_params(warm_start=True, max_epochs=len(generator.history_) + 1).fit(faces[order], labels[order])
    return generator


def ship(generator) -> None:
    """Write a trained generator's sampling network into the package, as ``pretrained.generator()`` loads it."""
    from speechface.faces import save_generator

    save_generator(generator.set_params(checkpoint=None), SHIPPED)  # the path means nothing elsewhere
    print(f"shipped: {SHIPPED} ({SHIPPED.stat().st_size / 1e6:.2f} MB) after {generator.n_images_seen_} images")


def generated_scores(generator, judge, faces, labels, mixed, test_faces, truncation: float, prefix: str = "") -> dict:
    """A judge's conditional accuracy (macro and per emotion), Frechet distance (of ``mixed``, faces in the test
    faces' mix of emotions, and of ``faces``, drawn equally per emotion) and diversity of generated faces."""
    from speechface.metrics import conditional_accuracy, diversity, frechet_distance

    accuracy = conditional_accuracy(generator, judge, n_per_class=N_PER_CLASS, random_state=0, truncation=truncation)
    row = {
        f"{prefix}cond_acc": accuracy["macro"],
        f"{prefix}frechet": frechet_distance(judge, mixed, test_faces),
        f"{prefix}frechet_balanced": frechet_distance(judge, faces, test_faces),
        f"{prefix}diversity": diversity(judge, faces, labels),
    }
    row.update({f"{prefix}acc_{k}": v for k, v in accuracy.items() if k != "macro"})
    for emotion in dict.fromkeys(labels.tolist()):  # a collapsed emotion shows here, not in the mean
        row[f"{prefix}div_{emotion}"] = diversity(judge, faces[labels == emotion], labels[labels == emotion])
    return row


def score_generator(name: str, generator, judge, test, truncation: float = 1.0, second=None) -> dict:
    """Conditional accuracy, Frechet distance to the ``test`` faces (a Bunch of images and target), diversity
    (under the judge, and the ``second`` judge when given), sampling speed, and a grid PNG (at ``truncation``)."""
    import torch

    from speechface.faces.plotting import save_face_grid
    from speechface.labels import FER_EMOTIONS
    from speechface.metrics import labels_in_proportion

    labels = np.repeat(generator.classes_, N_PER_CLASS)
    faces = generator.sample(labels.tolist(), random_state=1, truncation=truncation)
    mix = labels_in_proportion(test.target, len(labels))
    mixed = generator.sample(mix.tolist(), random_state=1, truncation=truncation)
    generator.sample("happy", 256, random_state=2)  # warm
    start = time.perf_counter()
    generator.sample("happy", 2560, random_state=3)
    faces_per_s = 2560 / (time.perf_counter() - start)
    torch.set_num_threads(1)
    generator.sample("happy", 1, random_state=4)
    times = []
    for seed in range(20):
        start = time.perf_counter()
        generator.sample("happy", 1, random_state=seed)
        times.append(time.perf_counter() - start)
    torch.set_num_threads(2)
    slug = name.split()[0].lower()
    grid = np.stack(
        [
            generator.sample(e, 10, random_state=5, truncation=truncation)
            for e in FER_EMOTIONS
            if e in generator.classes_
        ]
    )
    save_face_grid(grid, RESULTS / f"gan_grid_{slug}.png", [str(e) for e in generator.classes_])
    row = {
        "model": name,
        **generated_scores(generator, judge, faces, labels, mixed, test.images, truncation),
        "images_seen": generator.n_images_seen_,
        "train_img_s": float(np.median([h["images_per_s"] for h in generator.history_])),
        "faces_s_b256": faces_per_s,
        "one_face_ms_1thread": 1000 * float(np.median(times)),
    }
    if second is not None:
        row.update(generated_scores(generator, second, faces, labels, mixed, test.images, truncation, prefix="fer_"))
    return row


def restart_emotion(generator: ConditionalFaceGenerator, emotion: str, start: str) -> None:
    """Copy the class-embedding rows of ``start`` to ``emotion`` in every conditional batch norm of the generator."""
    import torch

    from speechface.faces.modules import ConditionalBatchNorm2d
    from speechface.labels import FER_EMOTIONS

    target, source = (FER_EMOTIONS.index(e.lower()) for e in (emotion, start))
    with torch.no_grad():
        for network in (generator._generator, generator.generator_):  # the same network twice without EMA: harmless
            for module in network.modules():
                if isinstance(module, ConditionalBatchNorm2d):
                    module.embed.weight[target] = module.embed.weight[source]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="FER-2013 folder or CSV (default ../shared/data/fer2013)")
    parser.add_argument("--epochs", type=int, default=1, help="training epochs of each model in the comparison")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument(
        "--shipped-only", action="store_true", help="score the shipped generator only (and the reference rows)"
    )
    parser.add_argument(
        "--previous",
        metavar="GENERATOR",
        help="with --shipped-only: also score this generator file (e.g. the one shipped before, from git show)",
    )
    parser.add_argument(
        "--truncations",
        type=float,
        nargs="+",
        default=[1.0],
        metavar="PSI",
        help="with --shipped-only: score the shipped generator at each truncation psi",
    )
    parser.add_argument(
        "--train-shipped",
        type=int,
        metavar="EPOCHS",
        help="train the shipped generator (of --config) for EPOCHS in all, resuming from "
        "checkpoints/generator_<architecture>_<width>.pt; write it to the package, and stop",
    )
    parser.add_argument("--config", type=parse_config, default="default/32", help="with --train-shipped")
    parser.add_argument(
        "--throughput",
        type=parse_config,
        nargs="+",
        metavar="CONFIG",
        help="time training steps of each config in float32 and bfloat16, and stop",
    )
    parser.add_argument(
        "--budget",
        type=float,
        metavar="MINUTES",
        help="train each of --configs for this many CPU-minutes, score, and stop",
    )
    parser.add_argument("--configs", type=parse_config, nargs="+", metavar="CONFIG", default=[])
    parser.add_argument(
        "--rates",
        type=float,
        nargs="+",
        metavar="IMG_S",
        help="with --budget: each config's idle training images/s (else measured first)",
    )
    parser.add_argument(
        "--score-checkpoint",
        metavar="CHECKPOINT",
        help="score the generator a training checkpoint holds (a point of the training curve), appended to "
        "results/gan_curve.json, and stop",
    )
    parser.add_argument(
        "--ship-checkpoint",
        metavar="CHECKPOINT",
        help="write the generator a training checkpoint holds to the package (as --train-shipped does at its end), "
        "and stop",
    )
    parser.add_argument(
        "--fine-tune",
        nargs=2,
        metavar=("CHECKPOINT", "EPOCHS"),
        help="go on training the generator a checkpoint holds, with the --set parameters, until EPOCHS in all (a warm "
        "start; its own checkpoint, checkpoints/generator_<architecture>_<width>_<settings>.pt, "
        "named without run settings such as precision, or _continued with none, resumes it), and stop",
    )
    parser.add_argument(
        "--set",
        type=parse_setting,
        action="append",
        default=[],
        metavar="PARAM=VALUE",
        help="with --fine-tune: a ConditionalFaceGenerator parameter, e.g. lr=1e-4 or aux_weight=0.3 (repeatable)",
    )
    parser.add_argument(
        "--restart-emotion",
        nargs=2,
        metavar=("EMOTION", "FROM"),
        help="with --fine-tune: first give EMOTION the generator's class embedding of FROM (its conditional batch "
        "norms' gains and biases, in the trained and moving-average networks), so that a collapsed emotion "
        "starts again from another's varied faces",
    )
    parser.add_argument(
        "--max-white",
        type=float,
        metavar="SHARE",
        help="with --fine-tune: train only on the faces with at most SHARE of their pixels blown out (250 or above; "
        "benchmarks/experiments/face_saturation.py), named in the checkpoint",
    )
    parser.add_argument(
        "--compact",
        metavar="CHECKPOINT",
        help="rewrite a checkpoint small enough to commit (no optimizer states, float16), and stop",
    )
    args = parser.parse_args()
    if args.compact:
        from speechface.faces.checkpoint import compact_checkpoint

        before = Path(args.compact).stat().st_size
        compact_checkpoint(args.compact)
        print(f"{args.compact}: {before / 1e6:.1f} MB -> {Path(args.compact).stat().st_size / 1e6:.1f} MB")
        return
    if args.ship_checkpoint:
        from speechface.faces import ConditionalFaceGenerator

        ship(ConditionalFaceGenerator.from_checkpoint(args.ship_checkpoint))
        return
    set_threads(args.threads)
    path = data_dir("fer2013", args.data)

    from speechface import pretrained
    from speechface.datasets import load_fer2013
    from speechface.faces import ConditionalFaceGenerator
    from speechface.faces.generator import RUN_SETTINGS

    train = load_fer2013(path, split="train")
    if args.throughput:
        rows = [
            {
                "config": config_name(c),
                "threads": args.threads,
                "train_img_s": train_images_per_s(c, train.images, train.target),
            }
            for base in args.throughput
            for c in ({**base, "precision": "float32"}, {**base, "precision": "bfloat16"})
        ]
        for row in rows:
            print(markdown_table([row], list(row)), flush=True)
        write_json(f"gan_throughput_t{args.threads}", {"rows": rows})
        (RESULTS / f"gan_throughput_t{args.threads}.md").write_text(markdown_table(rows, list(rows[0])) + "\n")
        return
    if args.fine_tune:
        source, epochs, settings = args.fine_tune[0], int(args.fine_tune[1]), dict(args.set)
        generator = ConditionalFaceGenerator.from_checkpoint(source)
        # Only what differs from the run it goes on from names it: repeating unchanged settings at every
        # fine-tune made item 10's name pass the file system's 255 bytes. An unknown key is kept: set_params names it.
        before = generator.get_params()
        changes = {k: v for k, v in settings.items() if k not in RUN_SETTINGS and (k not in before or before[k] != v)}
        tag = "_".join(f"{k}{v:g}" if isinstance(v, float) else f"{k}{v}" for k, v in changes.items()) or "continued"
        if args.restart_emotion:
            tag += "_restart{}from{}".format(*args.restart_emotion)
        faces, target = train.images, train.target
        if args.max_white is not None:
            keep = white_share(faces) <= args.max_white
            faces, target = faces[keep], target[keep]
            tag += f"_maxwhite{args.max_white:g}"
            print(f"training on the {keep.sum()} of {len(keep)} faces at most {args.max_white:g} blown out")
        own = CHECKPOINTS / f"{Path(source).stem}_{tag}.pt"  # the run it goes on from, and what changed
        if own.is_file():
            generator = ConditionalFaceGenerator.from_checkpoint(own)
        elif args.restart_emotion:
            restart_emotion(generator, *args.restart_emotion)
        print(f"fine-tuning {source} from epoch {len(generator.history_) + 1} to {epochs} with {settings} -> {own}")
        generator.set_params(**settings, max_epochs=epochs, warm_start=True, checkpoint=own, checkpoint_every=100)
        generator.fit(faces, target)
        return
    if args.train_shipped:
        CHECKPOINTS.mkdir(exist_ok=True)
        checkpoint = CHECKPOINTS / f"generator_{args.config['architecture']}_{args.config['width']}.pt"
        generator = ConditionalFaceGenerator(
            **args.config,
            max_epochs=args.train_shipped,
            random_state=args.seed,
            checkpoint=checkpoint,
            checkpoint_every=100,
        )
        generator.fit(train.images, train.target)
        ship(generator)
        return

    test = load_fer2013(path, split="test")
    judge = pretrained.face_judge()
    second = load_fer_judge()
    if args.score_checkpoint:
        generator = ConditionalFaceGenerator.from_checkpoint(args.score_checkpoint)
        config = Path(args.score_checkpoint).stem.removeprefix("generator_")  # the run: default_32, a fine-tune's tag
        row = {
            "config": config,
            "epochs": len(generator.history_),
            **score_generator(f"curve_{config}_{generator.n_images_seen_}", generator, judge, test, second=second),
        }
        curve_path = RESULTS / "gan_curve.json"
        curve = json.loads(curve_path.read_text())["rows"] if curve_path.is_file() else []
        curve = [r for r in curve if (r["config"], r["images_seen"]) != (config, row["images_seen"])] + [row]
        write_json("gan_curve", {"rows": curve})
        columns = ["config", "epochs", "images_seen", *SCORE_COLUMNS]
        (RESULTS / "gan_curve.md").write_text(markdown_table(curve, columns) + "\n")
        print(markdown_table([row], columns))
        return
    if args.budget:
        rates = args.rates or [train_images_per_s(c, train.images, train.target) for c in args.configs]
        rows = []
        for config, rate in zip(args.configs, rates, strict=True):
            images = int(rate * args.budget * 60)
            generator = train_on_budget(config, images, train.images, train.target, args.seed)
            row = {
                "config": config_name(config),
                "idle_img_s": rate,
                "images": generator.n_images_seen_,
                **score_generator(
                    f"budget{args.budget:g}_" + config_name(config).replace("/", "_"),
                    generator,
                    judge,
                    test,
                    second=second,
                ),
            }
            rows.append(row)
            print(markdown_table([row], list(row)), flush=True)
        name = f"gan_budget_{args.budget:g}min_t{args.threads}"
        write_json(name, {"budget_minutes": args.budget, "threads": args.threads, "rows": rows})
        columns = ["config", "idle_img_s", "images", *SCORE_COLUMNS]
        (RESULTS / f"{name}.md").write_text(markdown_table(rows, columns) + "\n")
        return
    rows = reference_rows(judge, train.images, train.target, test.images, test.target, second)
    for architecture in () if args.shipped_only else ("seed", "default"):
        generator = ConditionalFaceGenerator(architecture, max_epochs=args.epochs, random_state=args.seed)
        start = time.perf_counter()
        generator.fit(train.images, train.target)
        row = score_generator(f"{architecture} ({args.epochs} epoch(s))", generator, judge, test, second=second)
        row["fit_s"] = time.perf_counter() - start
        rows.append(row)
        print(markdown_table([row], list(row)), flush=True)
    if args.shipped_only and args.previous:
        from speechface.faces import load_generator

        rows.append(score_generator("previous generator", load_generator(args.previous), judge, test, second=second))
    if SHIPPED.is_file():
        for psi in args.truncations if args.shipped_only else [1.0]:
            label = "shipped default" if psi == 1.0 else f"shipped_psi{psi:g} (truncation {psi:g})"
            rows.append(score_generator(label, pretrained.generator(), judge, test, truncation=psi, second=second))
    name = "gan_shipped" if args.shipped_only else "gan"
    if args.truncations != [1.0]:
        name += "_truncation"
    write_json(name, {"epochs": args.epochs, "rows": rows})
    columns = [
        "model",
        *SCORE_COLUMNS,
        "images_seen",
        "train_img_s",
        "faces_s_b256",
        "one_face_ms_1thread",
        "fit_s",
    ]
    table = markdown_table(rows, columns)
    (RESULTS / f"{name}.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
