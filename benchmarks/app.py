"""Start-up time and request latency of ``speechface serve``, and the web frameworks it was chosen over.

- start-up: from launching ``speechface serve`` in a fresh process to its first
  answer (``GET /api/config``), median of --repeats launches;
- latency: ``POST /api/predict`` of one demo clip (3-4 s) asking for 8 faces,
  and ``GET /api/faces`` (8 new faces), medians of 30 requests each.

``--frameworks VENV...`` also times ``import <framework>`` in virtual
environments made with ``python -m venv /tmp/cmp_NAME && /tmp/cmp_NAME/bin/pip
install NAME`` (the folder's name after ``cmp_`` is the framework), and reports
their installed size and package count.

    python app.py [--repeats 3] [--frameworks /tmp/cmp_gradio /tmp/cmp_streamlit /tmp/cmp_flask]
"""

from __future__ import annotations

import argparse
import json
import re
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import numpy as np
from _common import RESULTS, markdown_table, write_json


def launch() -> tuple[subprocess.Popen, str, float]:
    """Start ``speechface serve`` on a free port; (process, url, seconds until it answered)."""
    start = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "-m", "speechface.cli", "serve", "--port", "0", "--quiet"], stdout=subprocess.PIPE, text=True
    )
    url = re.search(r"http://\S+/", process.stdout.readline())[0]
    with urllib.request.urlopen(url + "api/config", timeout=60) as response:
        response.read()
    return process, url, time.perf_counter() - start


def timed_request(url: str, data: bytes | None = None) -> float:
    start = time.perf_counter()
    with urllib.request.urlopen(urllib.request.Request(url, data=data), timeout=60) as response:
        json.loads(response.read())
    return time.perf_counter() - start


def framework_row(venv: Path) -> dict:
    name = venv.name.removeprefix("cmp_")
    python = venv / "bin" / "python"
    code = f"import time; t = time.perf_counter(); import {name}; print(time.perf_counter() - t)"
    imports = [
        float(subprocess.run([str(python), "-c", code], capture_output=True, text=True, check=True).stdout.split()[-1])
        for _ in range(3)
    ]
    packages = subprocess.run(
        [str(python), "-m", "pip", "list", "--format=freeze"], capture_output=True, text=True, check=True
    ).stdout.split()
    size = sum(f.stat().st_size for f in (venv / "lib").rglob("*") if f.is_file())
    return {
        "framework": name,
        "import_s": float(np.median(imports)),
        "packages": len(packages) - 1,
        "installed_mb": size / 1e6,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--frameworks", nargs="*", default=[], type=Path, metavar="VENV")
    args = parser.parse_args()

    from speechface.demo import demo_clips

    clip = Path(demo_clips()[2][0]).read_bytes()
    startups, predict, faces = [], [], []
    for _ in range(args.repeats):
        process, url, seconds = launch()
        startups.append(seconds)
        try:
            for seed in range(30 if not predict else 0):
                predict.append(timed_request(f"{url}api/predict?n_faces=8&seed={seed}", clip))
                faces.append(timed_request(f"{url}api/faces?emotion=happy&n_faces=8&seed={seed}"))
        finally:
            process.terminate()
            process.wait(timeout=30)
    row = {
        "startup_s": float(np.median(startups)),
        "predict_8_faces_ms": 1000 * float(np.median(predict)),
        "new_8_faces_ms": 1000 * float(np.median(faces)),
    }
    frameworks = [framework_row(venv) for venv in args.frameworks]
    write_json("app", {**row, "startup_runs_s": startups, "frameworks": frameworks})
    text = markdown_table([row], list(row))
    if frameworks:
        text += "\n\n" + markdown_table(frameworks, ["framework", "import_s", "packages", "installed_mb"])
    (RESULTS / "app.md").write_text(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
