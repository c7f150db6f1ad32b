"""Train and score the FER-2013 expression classifier that judges generated faces.

Fits :class:`speechface.metrics.FaceExpressionClassifier` on the FER-2013
train split (early stopping on a 10% stratified part of it) and scores it once
on the test split. ``--ship`` writes the fitted judge into the package.

    python face_judge.py [--data PATH] [--threads 2] [--seed 0] [--ship]
"""

from __future__ import annotations

import argparse
import time
from pathlib import Path

from _common import RESULTS, data_dir, markdown_table, set_threads, write_json
from sklearn.metrics import accuracy_score, balanced_accuracy_score

SHIPPED = Path(__file__).resolve().parents[1] / "speechface" / "pretrained" / "face_judge.pt"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--data", help="FER-2013 folder or CSV (default ../shared/data/fer2013)")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--ship", action="store_true", help=f"write the fitted judge to {SHIPPED}")
    args = parser.parse_args()
    set_threads(args.threads)
    path = data_dir("fer2013", args.data)

    from speechface.datasets import load_fer2013
    from speechface.metrics import FaceExpressionClassifier, save_face_classifier

    faces = load_fer2013(path)
    train, test = faces.split == "train", faces.split == "test"
    judge = FaceExpressionClassifier(random_state=args.seed, verbose=1)
    start = time.perf_counter()
    judge.fit(faces.images[train], faces.target[train])
    fit_s = time.perf_counter() - start
    predicted = judge.predict(faces.images[test])
    row = {
        "model": "FaceExpressionClassifier (defaults)",
        "test_acc": accuracy_score(faces.target[test], predicted),
        "test_macro_recall": balanced_accuracy_score(faces.target[test], predicted),
        "epochs": len(judge.history),
        "fit_s": fit_s,
    }
    write_json("face_judge", row)
    table = markdown_table([row], list(row))
    (RESULTS / "face_judge.md").write_text(table + "\n")
    print(table)
    if args.ship:
        save_face_classifier(judge, SHIPPED)
        print(f"shipped: {SHIPPED} ({SHIPPED.stat().st_size / 1e6:.2f} MB)")


if __name__ == "__main__":
    main()
