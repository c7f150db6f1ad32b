"""The web app's HTTP server: one page, a JSON API, and the models behind a lock.

Built on the standard library's ``http.server`` alone (see ``docs/app.md`` for
the comparison with Gradio, Streamlit and Flask that chose it). The server keeps
no state between requests: a clip's emotion comes back to the page, which asks
for new faces of that emotion, so users never see each other's results.
"""

from __future__ import annotations

import base64
import io
import json
import secrets
import tempfile
import threading
from dataclasses import dataclass, field
from http import HTTPStatus
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from importlib import resources
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import numpy as np
import soundfile as sf

from speechface.exceptions import NoSpeechError
from speechface.labels import FER_EMOTIONS
from speechface.plotting import EMOTION_COLOURS
from speechface.speech_to_face import SpeechToFace

#: the most faces one request may ask for
MAX_FACES = 32
#: clips longer than this (seconds) are answered with their emotion over time too
TIMELINE_SECONDS = 5.0
#: what the faces show: the emotion heard, the blend of emotions heard, one face in every emotion
SHOWS = ("emotion", "blend", "every")
#: bytes read and thrown away from an upload over the size limit, so the browser gets the answer
_DRAIN_LIMIT = 256 * 2**20


class AppError(ValueError):
    """A request the app refuses, with the HTTP status and the message shown on the page."""

    def __init__(self, message: str, status: HTTPStatus = HTTPStatus.BAD_REQUEST):
        super().__init__(message)
        self.status = status


@dataclass
class App:
    """What the server serves: the model and the upload limits.

    Parameters
    ----------
    model : SpeechToFace
        The speech-to-face model (the shipped one by default).
    max_upload_bytes : int, default=10 MiB
        Largest upload accepted.
    max_seconds : float, default=30.0
        Longest clip accepted, in seconds.
    """

    model: SpeechToFace = field(default_factory=SpeechToFace)
    max_upload_bytes: int = 10 * 2**20
    max_seconds: float = 30.0
    _lock: threading.Lock = field(default_factory=threading.Lock, init=False, repr=False, compare=False)

    def warm_up(self) -> None:
        """Load the models and run them once on a shipped speech clip, so that the first request is fast."""
        from speechface.demo import demo_clips

        with self._lock:
            self.model.predict_proba([str(demo_clips()[0][0])])
            self.model.sample_faces([self.model.classes_[0]], n_faces=1, random_state=0)
            self.model.every_emotion(1, random_state=0)

    def config(self) -> dict:
        """The limits, emotions and emotion colours the page needs to know."""
        return {
            "max_upload_bytes": self.max_upload_bytes,
            "max_seconds": self.max_seconds,
            "max_faces": MAX_FACES,
            "shows": list(SHOWS),
            "emotions": list(FER_EMOTIONS),
            "colours": EMOTION_COLOURS,
        }

    def predict(self, audio: bytes, n_faces: int, seed: int, show: str = "emotion") -> dict:
        """Emotion probabilities and faces (see :meth:`faces`) for one uploaded clip.

        A clip longer than ``TIMELINE_SECONDS`` (5 s) in which speech is found
        also gets its ``"timeline"``: the ``start`` and ``end`` of each window
        in seconds, the ``classes`` and each window's ``proba`` (see
        :meth:`~speechface.SpeechToFace.timeline`).
        """
        if not audio:
            raise AppError("the upload is empty: choose or record an audio clip")
        with tempfile.TemporaryDirectory(prefix="speechface-") as folder:
            path = Path(folder) / "upload"
            path.write_bytes(audio)
            try:
                info = sf.info(str(path))
            except (sf.LibsndfileError, RuntimeError):
                raise AppError("the upload is not an audio file that can be read (try WAV, FLAC or OGG)") from None
            if not info.frames or not info.samplerate:
                raise AppError("the audio file holds no samples")
            seconds = info.frames / info.samplerate
            if seconds > self.max_seconds:
                raise AppError(
                    f"the clip is {seconds:.1f} s long; the limit is {self.max_seconds:g} s",
                    HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
                )
            try:
                with self._lock:
                    proba = self.model.predict_proba([str(path)])[0]
            except (ValueError, OSError) as exc:  # the model's own checks of the clip
                raise AppError(str(exc).replace(str(path), "upload")) from None
            timeline = self._timeline(path) if seconds > TIMELINE_SECONDS else None
        classes = [str(c) for c in self.model.classes_]
        emotion = classes[int(np.argmax(proba))]
        probabilities = dict(zip(classes, map(float, proba)))
        return {
            "emotion": emotion,
            "probability": float(proba.max()),
            "seconds": seconds,
            "probabilities": probabilities,
            **({} if timeline is None else {"timeline": timeline}),
            **self.faces(show, emotion, probabilities, n_faces, seed),
        }

    def _timeline(self, path: Path) -> dict | None:
        """The clip's windows and their probabilities, as JSON lists; None when it holds no speech."""
        try:
            with self._lock:
                timeline = self.model.timeline(str(path))
        except NoSpeechError:
            return None
        return {
            "start": timeline.start.tolist(),
            "end": timeline.end.tolist(),
            "classes": [str(c) for c in timeline.classes],
            "proba": timeline.proba.tolist(),
        }

    def faces(self, show: str, emotion: str, probabilities: dict[str, float], n_faces: int, seed: int) -> dict:
        """Faces drawn with ``seed``, as PNG data URLs with a label each.

        ``show="emotion"``: ``n_faces`` faces of ``emotion``; ``"blend"``:
        ``n_faces`` faces of the blend ``probabilities`` (emotion to weight);
        ``"every"``: ``n_faces`` faces, each in every emotion.
        """
        if show not in SHOWS:
            raise AppError(f"show must be one of {list(SHOWS)}, got {show!r}")
        classes = [str(c) for c in self.model.classes_]
        with self._lock:
            if show == "every":
                grid = self.model.every_emotion(n_faces, random_state=seed)
                faces = grid.transpose(1, 0, 2, 3).reshape(-1, 48, 48)
                labels = classes * n_faces
            elif show == "blend":
                weights = self._weights(probabilities, classes)
                faces = self.model.sample_faces(weights[None], n_faces=n_faces, random_state=seed)[0]
                labels = ["blend"] * n_faces
            else:
                if emotion not in classes:
                    raise AppError(f"unknown emotion {emotion!r}; expected one of {classes}")
                faces = self.model.sample_faces([emotion], n_faces=n_faces, random_state=seed)[0]
                labels = [emotion] * n_faces
        return {"faces": [_png_data_url(face) for face in faces], "labels": labels, "seed": seed, "show": show}

    @staticmethod
    def _weights(probabilities: dict[str, float], classes: list[str]) -> np.ndarray:
        unknown = sorted(set(probabilities) - set(classes))
        if unknown or not probabilities:
            raise AppError(f"a blend needs weights of the emotions {classes}; got {sorted(probabilities) or 'none'}")
        weights = np.array([probabilities.get(c, 0.0) for c in classes])
        if not np.isfinite(weights).all() or (weights < 0).any() or weights.sum() <= 0:
            raise AppError("blend weights must be non-negative numbers, not all 0")
        return weights / weights.sum()


def _png_data_url(face: np.ndarray) -> str:
    from PIL import Image

    buffer = io.BytesIO()
    Image.fromarray(face).save(buffer, format="PNG")
    return "data:image/png;base64," + base64.b64encode(buffer.getvalue()).decode("ascii")


def _blend_param(query: dict) -> dict[str, float]:
    """``blend=happy:0.6,sad:0.4`` as a mapping of emotion to weight."""
    raw, weights = query.get("blend", [""])[0], {}
    for part in filter(None, raw.split(",")):
        name, sep, value = part.partition(":")
        try:
            weights[name] = float(value) if sep else float("nan")
        except ValueError:
            weights[name] = float("nan")
        if weights[name] != weights[name]:
            raise AppError(f"blend must read emotion:weight,emotion:weight, got {raw!r}")
    return weights


def _int_param(query: dict, name: str, default: int, low: int, high: int) -> int:
    raw = query.get(name, [None])[0]
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise AppError(f"{name} must be a whole number, got {raw!r}") from None
    if not low <= value <= high:
        raise AppError(f"{name} must be between {low} and {high}, got {value}")
    return value


class Handler(BaseHTTPRequestHandler):
    """Routes: ``GET /`` the page, ``GET /api/config``, ``POST /api/predict``, ``GET /api/faces``.

    ``/api/predict`` and ``/api/faces`` take ``n_faces``, ``seed`` and ``show``
    (``emotion``, ``blend`` or ``every``); ``/api/faces`` also takes
    ``emotion=NAME`` or ``blend=NAME:WEIGHT,...``.
    """

    server: AppServer

    def log_message(self, format: str, *args) -> None:  # noqa: A002 (the base class's name)
        if self.server.verbose:
            super().log_message(format, *args)

    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        app = self.server.app
        routes = {
            "/": _page,
            "/api/config": app.config,
            "/api/faces": lambda: app.faces(
                query.get("show", ["emotion"])[0],
                query.get("emotion", [""])[0],
                _blend_param(query),
                *self._faces_params(query),
            ),
        }
        self._answer(routes.get(url.path, lambda: self._not_found(url.path)))

    def do_POST(self) -> None:  # noqa: N802
        url = urlsplit(self.path)
        query = parse_qs(url.query)
        routes = {
            "/api/predict": lambda: self.server.app.predict(
                self._body(), *self._faces_params(query), query.get("show", ["emotion"])[0]
            )
        }
        self._answer(routes.get(url.path, lambda: self._not_found(url.path)))

    def _faces_params(self, query: dict) -> tuple[int, int]:
        return (
            _int_param(query, "n_faces", 8, 1, MAX_FACES),
            _int_param(query, "seed", secrets.randbelow(2**31), 0, 2**31 - 1),
        )

    def _not_found(self, path: str):
        raise AppError(f"no such page: {path}", HTTPStatus.NOT_FOUND)

    def _body(self) -> bytes:
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            raise AppError("the upload has no Content-Length", HTTPStatus.LENGTH_REQUIRED)
        size, limit = int(length), self.server.app.max_upload_bytes
        if size > limit:
            remaining = size if size <= _DRAIN_LIMIT else 0  # read it, so the browser sees the answer
            while remaining > 0:
                chunk = self.rfile.read(min(2**20, remaining))
                remaining = remaining - len(chunk) if chunk else 0
            raise AppError(
                f"the upload is {size / 2**20:.1f} MiB; the limit is {limit / 2**20:g} MiB",
                HTTPStatus.REQUEST_ENTITY_TOO_LARGE,
            )
        return self.rfile.read(size)

    def _answer(self, respond) -> None:
        try:
            body = respond()
            status = HTTPStatus.OK
        except AppError as exc:
            body, status = {"error": str(exc)}, exc.status
        except Exception as exc:  # the server keeps serving whatever one request does
            body, status = {"error": f"internal error: {type(exc).__name__}: {exc}"}, HTTPStatus.INTERNAL_SERVER_ERROR
        if isinstance(body, str):
            data, kind = body.encode("utf-8"), "text/html; charset=utf-8"
        else:
            data, kind = json.dumps(body).encode("utf-8"), "application/json"
        self.send_response(status)
        self.send_header("Content-Type", kind)
        self.send_header("Content-Length", str(len(data)))
        self.send_header("Cache-Control", "no-store")
        self.end_headers()
        self.wfile.write(data)


def _page() -> str:
    return resources.files("speechface.app").joinpath("static/index.html").read_text(encoding="utf-8")


class AppServer(ThreadingHTTPServer):
    """A threading HTTP server for an :class:`App` (one thread per connection).

    Parameters
    ----------
    address : tuple of (str, int)
        Host and port; port 0 picks a free one (see ``url``).
    app : App
        What to serve.
    verbose : bool, default=False
        Log each request to stderr.
    """

    daemon_threads = True

    def __init__(self, address: tuple[str, int], app: App, verbose: bool = False):
        self.app = app
        self.verbose = verbose
        super().__init__(address, Handler)

    @property
    def url(self) -> str:
        """The address the server listens on."""
        host, port = self.server_address[:2]
        return f"http://{host}:{port}/"
