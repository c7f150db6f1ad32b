"""A ConditionalFaceGenerator.fit killed mid-run (SIGKILL) resumes from its checkpoint, ending as an unbroken fit."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import pytest
import torch

from speechface.faces import load_generator
from speechface.faces.checkpoint import load_checkpoint

EPOCHS, STEPS_PER_EPOCH = 60, 4

FIT = f"""
import sys
import torch
torch.set_num_threads(1)
from speechface.datasets.synthetic import drawn_faces
from speechface.faces import ConditionalFaceGenerator, save_generator
images, labels = drawn_faces(8)  # 16 faces: {STEPS_PER_EPOCH} steps of 4 an epoch
generator = ConditionalFaceGenerator(width=4, latent_dim=8, max_epochs={EPOCHS}, batch_size=4, random_state=0,
                                     verbose=0, checkpoint=sys.argv[1] or None, checkpoint_every=1,
                                     precision=sys.argv[3], lecam=float(sys.argv[4]))
generator.fit(images, labels)
save_generator(generator, sys.argv[2])
"""


def fit(checkpoint: str, out: str, precision: str, lecam: float) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-c", FIT, checkpoint, out, precision, str(lecam)])


def step_of(path) -> int:
    try:
        return load_checkpoint(path)["step"]
    except (FileNotFoundError, ValueError):
        return -1


@pytest.mark.slow
@pytest.mark.skipif(sys.platform == "win32", reason="SIGKILL is POSIX")
@pytest.mark.parametrize("precision, lecam", [("float32", 0.0), ("bfloat16", 0.0), ("float32", 0.3)])
def test_killed_fit_resumes_and_ends_where_an_uninterrupted_one_ends(tmp_path, precision, lecam):
    checkpoint, total = tmp_path / "train.pt", EPOCHS * STEPS_PER_EPOCH
    process = fit(str(checkpoint), str(tmp_path / "never.pt"), precision, lecam)
    deadline = time.monotonic() + 120
    while step_of(checkpoint) < 10 and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.01)
    os.kill(process.pid, signal.SIGKILL)
    assert process.wait() == -signal.SIGKILL
    killed_at = step_of(checkpoint)
    assert 10 <= killed_at < total, killed_at  # a whole checkpoint, from the middle of the run
    assert not (tmp_path / "never.pt").exists()

    assert fit(str(checkpoint), str(tmp_path / "resumed.pt"), precision, lecam).wait(timeout=300) == 0
    assert step_of(checkpoint) == total
    # a temporary file the kill left mid-write is gone after the next save
    assert sorted(p.name for p in tmp_path.iterdir()) == ["resumed.pt", "train.pt"]
    assert fit("", str(tmp_path / "straight.pt"), precision, lecam).wait(timeout=300) == 0
    resumed, straight = load_generator(tmp_path / "resumed.pt"), load_generator(tmp_path / "straight.pt")
    for key, value in straight.generator_.state_dict().items():
        torch.testing.assert_close(resumed.generator_.state_dict()[key], value, rtol=0, atol=0)
    assert (resumed.sample("happy", 4, random_state=1) == straight.sample("happy", 4, random_state=1)).all()
