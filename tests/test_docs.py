"""The documentation builds with Sphinx, warnings as errors, API reference included."""

import subprocess
import sys
from pathlib import Path

import pytest

DOCS = Path(__file__).resolve().parents[1] / "docs"


@pytest.mark.slow
def test_docs_build_without_warnings(tmp_path):
    result = subprocess.run(
        [sys.executable, "-m", "sphinx", "-W", "--keep-going", "-q", "-b", "html", str(DOCS), str(tmp_path)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert result.returncode == 0, result.stderr
    api = (tmp_path / "api.html").read_text()
    for name in ("ConditionalFaceGenerator", "SpeechToFace", "MFCCTransformer", "frechet_distance"):
        assert name in api
    assert api.count("Parameters") >= 20  # numpydoc rendered the Parameters sections
