"""Blown-out pixels: how often the real FER-2013 faces have them, against a generator's faces.

The generator's faces show white, speckled patches. This measures the share of
pixels at 250 or above (blown-out white) and at 5 or below (crushed black), and
the share of faces where more than 5% of the pixels are blown out, in real
FER-2013 faces (train and test splits) and in a generator's faces (the shipped
one, or ``--checkpoint``), drawn equally for the seven emotions. It saves a
sheet of real test faces and generated faces at the same ranks of blown-out
share (10th to 100th percentile, one column each), so a person can compare the
patches.

    python benchmarks/experiments/face_saturation.py [--checkpoint PATH] [--n 2002]
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from _common import RESULTS, WHITE, data_dir, markdown_table, set_threads, white_share, write_json  # noqa: E402

BLACK, BLOWN_FACE = 5, 0.05


def saturation(faces: np.ndarray) -> dict:
    """Shares of blown-out and crushed pixels of uint8 faces (n, 48, 48), and of blown-out faces."""
    white = white_share(faces)
    return {
        "pixels_white": float(white.mean()),
        "pixels_black": float((faces <= BLACK).mean()),
        "faces_over_5pct_white": float((white > BLOWN_FACE).mean()),
    }


def by_rank(faces: np.ndarray, columns: int = 10) -> np.ndarray:
    """``columns`` faces at evenly spaced ranks of blown-out share, the least blown-out first."""
    order = np.argsort(white_share(faces), kind="stable")
    return faces[order[np.linspace(len(faces) // columns, len(faces) - 1, columns).astype(int)]]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="FER-2013 folder (default ../shared/data/fer2013)")
    parser.add_argument("--checkpoint", help="a training checkpoint to score instead of the shipped generator")
    parser.add_argument("--n", type=int, default=2002, help="generated faces, split equally over the emotions")
    parser.add_argument("--threads", type=int, default=2)
    args = parser.parse_args()
    set_threads(args.threads)
    path = data_dir("fer2013", args.data)

    from speechface import pretrained
    from speechface.datasets import load_fer2013
    from speechface.faces import ConditionalFaceGenerator
    from speechface.faces.plotting import save_face_grid

    generator = ConditionalFaceGenerator.from_checkpoint(args.checkpoint) if args.checkpoint else pretrained.generator()
    per_emotion = args.n // len(generator.classes_)
    fake = np.concatenate([generator.sample(e, per_emotion, random_state=i) for i, e in enumerate(generator.classes_)])
    test = load_fer2013(path, split="test").images
    faces = {"real train": load_fer2013(path, split="train").images, "real test": test, "generated": fake}
    rows = [{"faces": name, "n": len(x), **saturation(x)} for name, x in faces.items()]
    source = Path(args.checkpoint).stem if args.checkpoint else "shipped"
    name = f"face_saturation_{source}"
    write_json(name, {"rows": rows, "white": WHITE, "black": BLACK})
    table = markdown_table(rows, list(rows[0]))
    (RESULTS / f"{name}.md").write_text(table + "\n")
    print(table)
    sheet = RESULTS / f"{name}.png"
    save_face_grid(np.stack([by_rank(test), by_rank(fake)]), sheet, row_labels=["real test", "generated"])
    print(f"wrote {sheet}")


if __name__ == "__main__":
    main()
