"""How much of the generator's Frechet distance is the mix of emotions, not the faces.

``gan.py`` draws generated faces equally for the seven emotions (300 each)
and measures their Frechet distance to all 7,178 real test faces, whose
emotions are far from equal (happy 1,774, disgust 111). Its real-versus-real
floor, real train faces against the test faces, is drawn at random from the
train split, so it has the test faces' mix. This measures the distance of
the same number of faces, 2,100, under each judge, drawn in two mixes:

- ``balanced``: 300 per emotion, as ``gan.py`` draws generated faces;
- ``test mix``: each emotion in proportion to its share of the test faces.

for real train faces (the floor at each mix) and for a generator's faces (the
shipped one, or ``--checkpoint``). The generated faces of both mixes come from
the same seed per emotion.

    python benchmarks/experiments/frechet_class_prior.py [--checkpoint PATH] [--seeds 3]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import RESULTS, data_dir, markdown_table, set_threads, write_json  # noqa: E402
from _fer_judge import load_fer_judge  # noqa: E402

N_FACES = 2100


def real_draw(images: np.ndarray, codes: np.ndarray, counts: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """``counts[k]`` real faces of emotion code ``k``, drawn without replacement."""
    index = [rng.choice(np.flatnonzero(codes == k), n, replace=False) for k, n in enumerate(counts)]
    return images[np.concatenate(index)]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="FER-2013 folder (default ../shared/data/fer2013)")
    parser.add_argument("--checkpoint", help="a training checkpoint to score instead of the shipped generator")
    parser.add_argument("--seeds", type=int, default=3, help="draws of each set; the table gives their mean")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    set_threads(args.threads)
    path = data_dir("fer2013", args.data)

    from speechface import pretrained
    from speechface.datasets import load_fer2013
    from speechface.faces import ConditionalFaceGenerator
    from speechface.labels import FER_EMOTIONS, fer_codes
    from speechface.metrics import frechet_distance, labels_in_proportion

    generator = ConditionalFaceGenerator.from_checkpoint(args.checkpoint) if args.checkpoint else pretrained.generator()
    train, test = load_fer2013(path, split="train"), load_fer2013(path, split="test")
    train_codes, test_codes = np.asarray(fer_codes(train.target.tolist())), np.asarray(fer_codes(test.target.tolist()))
    judges = {"": pretrained.face_judge()}
    second = load_fer_judge()
    if second is not None:
        judges["fer_"] = second
    rows = []
    for mix in ("balanced", "test mix"):
        names = labels_in_proportion(test_codes if mix == "test mix" else np.arange(len(FER_EMOTIONS)), N_FACES)
        counts = np.bincount(fer_codes(names.tolist()), minlength=len(FER_EMOTIONS))
        for source in ("real train", "generated"):
            row = {"faces": source, "mix": mix, "counts": "/".join(map(str, counts))}
            for prefix, judge in judges.items():
                distances = []
                for seed in range(args.seeds):
                    if source == "real train":
                        faces = real_draw(train.images, train_codes, counts, np.random.default_rng(seed))
                    else:
                        faces = np.concatenate(
                            [
                                generator.sample(e, n, random_state=1000 * seed + k)
                                for k, (e, n) in enumerate(zip(FER_EMOTIONS, counts))
                            ]
                        )
                    distances.append(frechet_distance(judge, faces, test.images))
                row[f"{prefix}frechet"] = float(np.mean(distances))
                row[f"{prefix}frechet_sd"] = float(np.std(distances))
            rows.append(row)
            print(row, flush=True)
    source = Path(args.checkpoint).stem if args.checkpoint else "shipped"
    name = f"frechet_class_prior_{source}"
    write_json(name, {"rows": rows, "n_faces": N_FACES, "seeds": args.seeds})
    table = markdown_table(rows, list(rows[0]))
    (RESULTS / f"{name}.md").write_text(table + "\n")
    print(table)


if __name__ == "__main__":
    main()
