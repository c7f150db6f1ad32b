"""Every example runs, on small synthetic data (SPEECHFACE_EXAMPLE_SMALL=1), in a scratch folder."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

#: example -> a line its output must contain
EXPECTED = {
    "predict_emotion.py": "03-01-03-02-01-01-24.flac",  # a shipped demo clip
    "fit_pipeline.py": "actors 21-24: accuracy",
    "grid_search.py": "best: {",
    "persistence.py": "identical outputs",
    "train_generator.py": "wrote generator.pt and generator_faces.png",
    "speech_to_face.py": "faces: speech_to_face.png",
    "dask_features.py": "tasks on 2 workers",
    "timeline.py": "windows; timeline: timeline.png",
    "face_controls.py": "sheet: face_controls.png",
}


def test_every_example_is_listed():
    assert sorted(p.name for p in EXAMPLES.glob("*.py") if not p.name.startswith("_")) == sorted(EXPECTED)


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(EXPECTED))
def test_example_runs(name, tmp_path):
    env = {**os.environ, "SPEECHFACE_EXAMPLE_SMALL": "1", "OMP_NUM_THREADS": "1", "PYTHONWARNINGS": "ignore"}
    result = subprocess.run(
        [sys.executable, str(EXAMPLES / name)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert EXPECTED[name] in result.stdout
