"""The web app's server, over real HTTP on localhost, with the shipped models."""

from __future__ import annotations

import io
import json
import threading
import urllib.error
import urllib.request
from concurrent.futures import ThreadPoolExecutor

import numpy as np
import pytest
from conftest import write_audio
from long_take import write_long_take
from PIL import Image

from speechface.app import App, AppServer
from speechface.app.server import TIMELINE_SECONDS
from speechface.datasets.synthetic import tone
from speechface.demo import demo_clips
from speechface.labels import FER_EMOTIONS

LIMIT_BYTES = 200_000


def serving(app: App):
    """A server of ``app`` on a free localhost port, running on a thread until the test module ends."""
    app.warm_up()
    with AppServer(("127.0.0.1", 0), app) as httpd:
        thread = threading.Thread(target=httpd.serve_forever, daemon=True)
        thread.start()
        yield httpd
        httpd.shutdown()


@pytest.fixture(scope="module")
def server():
    yield from serving(App(max_upload_bytes=LIMIT_BYTES, max_seconds=5.0))


@pytest.fixture(scope="module")
def roomy_server():
    """A server that takes clips long enough for a timeline."""
    yield from serving(App(max_upload_bytes=4 * 2**20, max_seconds=30.0))


def request(server, path: str, data: bytes | None = None) -> tuple[int, dict | str]:
    req = urllib.request.Request(server.url.rstrip("/") + path, data=data, method="GET" if data is None else "POST")
    try:
        with urllib.request.urlopen(req, timeout=60) as response:
            status, body, kind = response.status, response.read(), response.headers["Content-Type"]
    except urllib.error.HTTPError as exc:
        status, body, kind = exc.code, exc.read(), exc.headers["Content-Type"]
    return status, json.loads(body) if kind == "application/json" else body.decode()


def clip_bytes(tmp_path, seconds: float = 1.0, freq: float = 220.0, name: str = "clip.wav") -> bytes:
    path = write_audio(tmp_path / name, tone(freq, duration=seconds), 16000, "PCM_16")
    return path.read_bytes()


def decode(url: str) -> np.ndarray:
    prefix = "data:image/png;base64,"
    assert url.startswith(prefix)
    import base64

    return np.asarray(Image.open(io.BytesIO(base64.b64decode(url[len(prefix) :]))))


def test_page_and_config(server):
    status, page = request(server, "/")
    assert status == 200 and "<title>speechface</title>" in page
    local = page.replace("http://127.0.0.1", "").replace('"http://www.w3.org/2000/svg"', "")  # SVG's namespace
    assert "http://" not in local and "https://" not in page  # nothing fetched
    status, config = request(server, "/api/config")
    assert status == 200
    assert config["max_upload_bytes"] == LIMIT_BYTES and config["max_seconds"] == 5.0
    assert config["emotions"] == list(FER_EMOTIONS) and config["shows"] == ["emotion", "blend", "every"]
    assert set(config["colours"]) == set(FER_EMOTIONS) and len(set(config["colours"].values())) == 7


def test_predict_gives_emotion_chart_and_faces(server, tmp_path):
    status, result = request(server, "/api/predict?n_faces=3&seed=7", clip_bytes(tmp_path))
    assert status == 200, result
    assert result["emotion"] in FER_EMOTIONS and result["emotion"] != "calm"
    proba = result["probabilities"]
    assert set(proba) <= set(FER_EMOTIONS) and "neutral" in proba
    assert sum(proba.values()) == pytest.approx(1.0)
    assert result["probability"] == pytest.approx(max(proba.values()))
    assert max(proba, key=proba.get) == result["emotion"]
    assert result["seed"] == 7 and result["seconds"] == pytest.approx(1.0)
    faces = [decode(url) for url in result["faces"]]
    assert len(faces) == 3 and all(f.shape == (48, 48) and f.dtype == np.uint8 for f in faces)
    assert faces[0].std() > 5  # a drawn face, not a blank image


def test_new_faces_follow_the_seed(server):
    def faces(seed):
        status, result = request(server, f"/api/faces?emotion=happy&n_faces=2&seed={seed}")
        assert status == 200, result
        return [decode(url) for url in result["faces"]]

    first, again, other = faces(1), faces(1), faces(2)
    assert all(np.array_equal(a, b) for a, b in zip(first, again))
    assert not np.array_equal(first[0], other[0])


def test_blends_and_every_emotion(server, tmp_path):
    status, result = request(server, "/api/faces?show=every&n_faces=2&seed=3")
    assert status == 200, result
    classes = [str(c) for c in server.app.model.classes_]
    assert result["labels"] == classes * 2 and len(result["faces"]) == 2 * len(classes)
    expected = server.app.model.every_emotion(2, random_state=3)  # (emotion, face)
    np.testing.assert_array_equal(decode(result["faces"][len(classes) + 1]), expected[1, 1])

    status, result = request(server, "/api/faces?show=blend&blend=sad:0.6,fear:0.4&n_faces=2&seed=3")
    assert status == 200 and result["labels"] == ["blend", "blend"], result
    weights = np.array([[{"sad": 0.6, "fear": 0.4}.get(c, 0.0) for c in classes]])
    np.testing.assert_array_equal(
        decode(result["faces"][1]), server.app.model.sample_faces(weights, n_faces=2, random_state=3)[0, 1]
    )

    status, result = request(server, "/api/predict?n_faces=1&seed=5&show=blend", clip_bytes(tmp_path))
    assert status == 200 and result["show"] == "blend", result
    heard = np.array([[result["probabilities"][c] for c in classes]])
    expected = server.app.model.sample_faces(heard / heard.sum(), n_faces=1, random_state=5)[0, 0]
    assert np.abs(decode(result["faces"][0]).astype(int) - expected).max() <= 1  # probabilities went through JSON


@pytest.mark.parametrize(
    ("path", "body", "status", "message"),
    [
        ("/api/predict", b"", 400, "empty"),
        ("/api/predict", b"this is not audio" * 10, 400, "not an audio file"),
        ("/api/predict", b"\0" * (LIMIT_BYTES + 1), 413, "the limit is"),
        ("/api/predict?n_faces=0", None, 400, "n_faces must be between 1 and 32, got 0"),
        ("/api/predict?n_faces=1.5", None, 400, "n_faces must be a whole number, got '1.5'"),
        ("/api/predict?seed=-1", None, 400, "seed must be between"),
        ("/api/faces?emotion=calm", None, 400, "unknown emotion 'calm'"),
        ("/api/faces", None, 400, "unknown emotion ''"),
        ("/api/faces?show=all", None, 400, "show must be one of"),
        ("/api/faces?show=blend", None, 400, "a blend needs weights"),
        ("/api/faces?show=blend&blend=happy:x", None, 400, "blend must read emotion:weight"),
        ("/api/faces?show=blend&blend=calm:1", None, 400, "a blend needs weights"),
        ("/api/faces?show=blend&blend=happy:0,sad:0", None, 400, "not all 0"),
        ("/api/nothing", None, 404, "no such page: /api/nothing"),
    ],
)
def test_bad_requests_get_a_clear_message_and_the_server_goes_on(server, tmp_path, path, body, status, message):
    if body is None and path.startswith("/api/predict"):
        body = clip_bytes(tmp_path)
    got, result = request(server, path, body)
    assert got == status and message in result["error"], result
    assert request(server, "/api/faces?emotion=sad&n_faces=1&seed=0")[0] == 200


def test_too_long_and_truncated_clips(server, tmp_path):
    status, result = request(server, "/api/predict", clip_bytes(tmp_path, seconds=6.0, name="long.wav"))
    assert status == 413 and "6.0 s long; the limit is 5 s" in result["error"]
    truncated = clip_bytes(tmp_path, seconds=1.0, name="cut.wav")[:20_000]
    status, result = request(server, "/api/predict", truncated)
    assert status == 400 and "truncated" in result["error"]
    assert "/tmp" not in result["error"] and "'upload'" in result["error"]  # no server paths leak


def test_users_at_once_get_their_own_results(server, tmp_path):
    clips = [clip_bytes(tmp_path, freq=f, name=f"{f}.wav") for f in (150.0, 300.0, 600.0, 1200.0)]
    alone = [request(server, f"/api/predict?n_faces=2&seed={i}", c)[1] for i, c in enumerate(clips)]
    with ThreadPoolExecutor(4) as pool:
        together = list(
            pool.map(
                lambda ic: request(server, f"/api/predict?n_faces=2&seed={ic[0] % 4}", ic[1])[1], enumerate(clips * 2)
            )
        )
    for i, result in enumerate(together):
        assert result == alone[i % 4]


def test_long_clips_get_a_timeline_and_short_ones_none(roomy_server, tmp_path):
    take = write_long_take(tmp_path / "take.wav", n_clips=2)
    status, result = request(roomy_server, "/api/predict?n_faces=1&seed=0", take.read_bytes())
    assert status == 200, result
    assert result["seconds"] > TIMELINE_SECONDS
    timeline = result["timeline"]
    expected = roomy_server.app.model.timeline(str(take))
    assert timeline["classes"] == list(result["probabilities"]) == expected.classes.tolist()
    np.testing.assert_allclose(timeline["start"], expected.start)
    np.testing.assert_allclose(timeline["end"], expected.end)
    np.testing.assert_allclose(timeline["proba"], expected.proba, atol=1e-6)
    assert len(timeline["start"]) >= 2 and timeline["end"][-1] <= result["seconds"]
    np.testing.assert_allclose(np.sum(timeline["proba"], axis=1), 1.0, atol=1e-6)

    short = demo_clips()[0][0]  # speech too, but 3.6 s
    status, result = request(roomy_server, "/api/predict?n_faces=1&seed=0", short.read_bytes())
    assert status == 200 and result["seconds"] < TIMELINE_SECONDS and "timeline" not in result


def test_a_long_clip_without_speech_gets_no_timeline(roomy_server, tmp_path):
    quiet = write_audio(tmp_path / "quiet.wav", np.zeros(8 * 16000, np.float32), 16000, "PCM_16")
    status, result = request(roomy_server, "/api/predict?n_faces=1&seed=0", quiet.read_bytes())
    if status == 200:  # a speech model without voice activity detection still answers for the clip
        assert "timeline" not in result
    else:
        assert status == 400 and "no speech found in 'upload'" in result["error"], result


def test_serve_command_rejects_bad_limits(capsys):
    from speechface.cli import main

    assert main(["serve", "--max-seconds", "0"]) == 2
    assert "--max-seconds must be > 0, got 0.0" in capsys.readouterr().err
