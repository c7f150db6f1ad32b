"""Face-generation benchmark: the seed and default cGANs at one image budget, and the shipped generator.

Every figure is measured with the shipped FER-2013 judge
(``speechface.pretrained.face_judge()``, trained on the train split only):

- ``cond_acc``: the judge's accuracy on faces drawn for each emotion, macro-averaged;
- ``frechet``: Frechet distance to the real test faces in the judge's feature space;
- ``diversity``: mean pairwise feature distance between faces of one emotion.

Reference rows score real train faces, and the same blurred to half resolution,
against the test faces. A 7-row PNG grid (one row per emotion) is written per model.

    python gan.py [--epochs 1] [--data PATH] [--threads 2]    # seed vs default, then the shipped model
    python gan.py --train-shipped 10                          # train (or resume) the shipped generator
    python gan.py --shipped-only                              # score the shipped generator only
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

import numpy as np

from _common import RESULTS, data_dir, markdown_table, set_threads, write_json

ROOT = Path(__file__).resolve().parents[1]
SHIPPED = ROOT / "speechface" / "pretrained" / "generator.pt"
SHIPPED_CHECKPOINT = ROOT / "checkpoints" / "generator_train.pt"
N_PER_CLASS = 300


def half_resolution(faces: np.ndarray) -> np.ndarray:
    """Faces averaged down to 24x24 and blown back up to 48x48 (pixel replication)."""
    small = faces.reshape(len(faces), 24, 2, 24, 2).astype(np.float32).mean(axis=(2, 4))
    return small.repeat(2, axis=1).repeat(2, axis=2).round().astype(np.uint8)


def reference_rows(judge, train_faces, train_target, test_faces, test_target) -> list[dict]:
    from sklearn.metrics import balanced_accuracy_score

    from speechface.metrics import diversity, frechet_distance

    rng = np.random.default_rng(0)
    index = rng.choice(len(train_faces), 7 * N_PER_CLASS, replace=False)
    sample, labels = train_faces[index], train_target[index]
    rows = []
    for name, faces in (("real train faces", sample), ("real train faces, half resolution", half_resolution(sample))):
        rows.append({
            "model": name,
            "cond_acc": balanced_accuracy_score(labels, judge.predict(faces)),
            "frechet": frechet_distance(judge, faces, test_faces),
            "diversity": diversity(judge, faces, labels),
        })
    rows.append({"model": "real test faces (judge's own accuracy)",
                 "cond_acc": balanced_accuracy_score(test_target, judge.predict(test_faces)),
                 "diversity": diversity(judge, test_faces, test_target)})
    return rows


def score_generator(name: str, generator, judge, test_faces) -> dict:
    """Conditional accuracy, Frechet distance, diversity, sampling speed, and a grid PNG."""
    import torch

    from speechface.faces.plotting import save_face_grid
    from speechface.labels import FER_EMOTIONS
    from speechface.metrics import conditional_accuracy, diversity, frechet_distance

    accuracy = conditional_accuracy(generator, judge, n_per_class=N_PER_CLASS, random_state=0)
    labels = np.repeat(generator.classes_, N_PER_CLASS)
    faces = generator.sample(labels.tolist(), random_state=1)
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
    grid = np.stack([generator.sample(e, 10, random_state=5) for e in FER_EMOTIONS if e in generator.classes_])
    save_face_grid(grid, RESULTS / f"gan_grid_{slug}.png", [str(e) for e in generator.classes_])
    row = {
        "model": name,
        "cond_acc": accuracy["macro"],
        "frechet": frechet_distance(judge, faces, test_faces),
        "diversity": diversity(judge, faces, labels),
        "images_seen": generator.n_images_seen_,
        "train_img_s": float(np.median([h["images_per_s"] for h in generator.history_])),
        "faces_s_b256": faces_per_s,
        "one_face_ms_1thread": 1000 * float(np.median(times)),
    }
    row.update({f"acc_{k}": v for k, v in accuracy.items() if k != "macro"})
    return row


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="FER-2013 folder or CSV (default ../shared/data/fer2013)")
    parser.add_argument("--epochs", type=int, default=1, help="training epochs of each model in the comparison")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--shipped-only", action="store_true",
                        help="score the shipped generator only (and the reference rows)")
    parser.add_argument("--train-shipped", type=int, metavar="EPOCHS",
                        help=f"train the shipped default generator for EPOCHS in all (resuming from "
                             f"{SHIPPED_CHECKPOINT.relative_to(ROOT)}), write it to the package, and stop")
    args = parser.parse_args()
    set_threads(args.threads)
    path = data_dir("fer2013", args.data)

    from speechface import pretrained
    from speechface.datasets import load_fer2013
    from speechface.faces import ConditionalFaceGenerator, save_generator

    train = load_fer2013(path, split="train")
    if args.train_shipped:
        SHIPPED_CHECKPOINT.parent.mkdir(exist_ok=True)
        generator = ConditionalFaceGenerator(max_epochs=args.train_shipped, random_state=args.seed,
                                             checkpoint=SHIPPED_CHECKPOINT, checkpoint_every=100)
        generator.fit(train.images, train.target)
        save_generator(generator.set_params(checkpoint=None), SHIPPED)  # the path means nothing elsewhere
        print(f"shipped: {SHIPPED} ({SHIPPED.stat().st_size / 1e6:.2f} MB) after {generator.n_images_seen_} images")
        return

    test = load_fer2013(path, split="test")
    judge = pretrained.face_judge()
    rows = reference_rows(judge, train.images, train.target, test.images, test.target)
    for architecture in () if args.shipped_only else ("seed", "default"):
        generator = ConditionalFaceGenerator(architecture, max_epochs=args.epochs, random_state=args.seed)
        start = time.perf_counter()
        generator.fit(train.images, train.target)
        row = score_generator(f"{architecture} ({args.epochs} epoch(s))", generator, judge, test.images)
        row["fit_s"] = time.perf_counter() - start
        rows.append(row)
        print(markdown_table([row], list(row)), flush=True)
    if SHIPPED.is_file():
        rows.append(score_generator("shipped default", pretrained.generator(), judge, test.images))
    name = "gan_shipped" if args.shipped_only else "gan"
    write_json(name, {"epochs": args.epochs, "rows": rows})
    columns = ["model", "cond_acc", "frechet", "diversity", "images_seen", "train_img_s", "faces_s_b256",
               "one_face_ms_1thread", "fit_s"]
    table = markdown_table(rows, columns)
    (RESULTS / f"{name}.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
