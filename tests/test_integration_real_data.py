"""Opt-in checks on the real RAVDESS speech data (1440 files of 24 actors).

Run with ``pytest -m integration`` or ``SPEECHFACE_INTEGRATION=1 pytest``. The data
folder is ``$SPEECHFACE_DATA`` (default ``../shared/data`` from the repository root);
a ``ravdess`` sub-folder of it is used when there is one.
"""

import os
from pathlib import Path

import numpy as np
import pytest

from speechface import MFCCTransformer, load_ravdess
from speechface.labels import RAVDESS_EMOTIONS

pytestmark = pytest.mark.integration

REPO_ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def ravdess_dir():
    data = Path(os.environ.get("SPEECHFACE_DATA", REPO_ROOT.parent / "shared" / "data"))
    folder = data / "ravdess" if (data / "ravdess").is_dir() else data
    if not folder.is_dir():
        pytest.skip(f"real RAVDESS data not found at {folder} (set SPEECHFACE_DATA to the folder holding it)")
    return folder


@pytest.fixture(scope="module")
def bunch(ravdess_dir):
    return load_ravdess(ravdess_dir)


def test_full_ravdess_speech_set(bunch):
    frame = bunch.frame
    assert len(bunch.data) == len(frame) == 1440
    assert sorted(frame["actor"].unique()) == list(range(1, 25))
    assert (frame["actor"].value_counts() == 60).all()
    counts = frame["emotion"].value_counts()
    assert counts["neutral"] == 96  # neutral has no strong intensity
    assert all(counts[e] == 192 for e in RAVDESS_EMOTIONS if e != "neutral")
    assert set(frame["gender"]) == {"male", "female"}


def test_mfcc_on_real_files(bunch):
    paths = list(bunch.data[::144][:10])
    mfcc = MFCCTransformer(n_jobs=1)
    out = mfcc.fit_transform(paths)
    assert out.shape == (10, len(mfcc.get_feature_names_out()))
    assert out.dtype == np.float32 and np.isfinite(out).all()
    assert np.std(out, axis=0).max() > 0  # real clips differ
