"""End to end: ``speechface serve`` driven in headless Chromium, as a person uses the page.

Needs Debian's ``chromium`` and ``chromium-driver``: found on PATH, or installed with
apt-get when the tests run as root. Without them the tests skip, except in CI,
where they fail. ``SPEECHFACE_SCREENSHOT=path.png`` saves the page's screenshot
there too (that is how ``docs/_static/app.png`` was made).

The microphone tests use Chromium's fake microphone: by default it plays a beep
(which silero-vad's low fallback takes for speech in some recordings and not in
others), and ``--use-file-for-fake-audio-capture=clip.wav%noloop`` makes it play
``clip.wav`` once from the moment the page opens the microphone. Found by
experiment (Chromium 156): 16-bit PCM WAV at 8, 16 or 48 kHz and float WAV play
(resampled to the page's 44.1 kHz), 24-bit PCM plays as silence; without
``%noloop`` the file loops; with it, once the file ends Chromium repeats its last
10 ms over and over (a 100 Hz buzz when a clip ends in noise), so the clips end
in silence here. The page asks for the microphone without Chromium's echo
cancellation, noise suppression and automatic gain, which would change what the
model hears (with them: x2.6 gain, correlation 0.87 with the file); without
them the page gets the file's samples exactly.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import threading
from pathlib import Path

import numpy as np
import pytest
import soundfile as sf
from conftest import write_audio
from long_take import write_long_take

from speechface.app import App, AppServer
from speechface.audio import load_audio
from speechface.audio.vad import find_speech
from speechface.datasets.synthetic import tone
from speechface.demo import demo_clips

pytestmark = pytest.mark.slow  # a browser: seconds per test

selenium = pytest.importorskip("selenium", reason="selenium is in the test extra: pip install -e '.[test]'")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as when  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

N_FACES = 4
SR = 16000  # the demo clips' rate
MICROPHONE_SR = 48000  # the WAV files the fake microphone plays
SNR_DB = 10.0  # of the background noise mixed into clip B
END_SILENCE = 0.25  # s of silence that end each WAV: Chromium repeats a file's last 10 ms after it


def _chromium() -> tuple[str, str] | None:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    return (browser, driver) if browser and driver else None


def _find_or_install_chromium() -> tuple[str, str]:
    found = _chromium()
    if found is None and sys.platform == "linux" and shutil.which("apt-get") and os.geteuid() == 0:
        env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
        for command in (["apt-get", "update", "-q"], ["apt-get", "install", "-y", "-q", "chromium", "chromium-driver"]):
            subprocess.run(command, env=env, capture_output=True, check=False, timeout=900)
        found = _chromium()
    if found is None:
        message = "headless Chromium is missing: apt-get install chromium chromium-driver"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)
    return found


@pytest.fixture(scope="module")
def server():
    app = App(max_upload_bytes=2_000_000, max_seconds=10.0)
    app.warm_up()
    with AppServer(("127.0.0.1", 0), app) as httpd:
        threading.Thread(target=httpd.serve_forever, daemon=True).start()
        yield httpd
        httpd.shutdown()


def _start_chromium(monkeypatch, *flags: str):
    """Headless Chromium with a fake microphone (a beep unless ``flags`` give it a file) and no prompts."""
    chromium, chromedriver = _find_or_install_chromium()
    monkeypatch.setenv("SE_OFFLINE", "true")  # Selenium Manager must not look anything up online
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in (
        "--headless=new",
        "--no-sandbox",
        "--disable-dev-shm-usage",
        "--window-size=820,1000",
        "--use-fake-ui-for-media-stream",
        "--use-fake-device-for-media-stream",
        *flags,
    ):
        options.add_argument(flag)
    return webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=chromedriver))


@pytest.fixture(scope="module")
def browser(monkeypatch_module):
    driver = _start_chromium(monkeypatch_module)
    yield driver
    driver.quit()


@pytest.fixture
def browser_hearing(monkeypatch):
    """Start a Chromium whose fake microphone plays a WAV file once: ``browser_hearing(path)``."""
    drivers = []

    def start(wav: Path):
        drivers.append(_start_chromium(monkeypatch, f"--use-file-for-fake-audio-capture={wav}%noloop"))
        return drivers[-1]

    yield start
    for driver in drivers:
        driver.quit()


@pytest.fixture(scope="module")
def monkeypatch_module():
    with pytest.MonkeyPatch.context() as patch:
        yield patch


def _faces(driver) -> list:
    return driver.find_elements(By.CSS_SELECTOR, "#faces img.face")


def _sources(driver) -> list[str]:
    return driver.execute_script("return [...document.querySelectorAll('#faces img.face')].map((i) => i.src)")


def _wait_for_faces(driver, n: int) -> list:
    """Wait until exactly ``n`` faces are shown, each a loaded 48x48 image."""
    loaded = "return [...document.querySelectorAll('#faces img.face')].map((i) => i.complete && i.naturalWidth)"
    WebDriverWait(driver, 60).until(lambda d: d.execute_script(loaded) == [48] * n)
    return _faces(driver)


def _open(driver, server) -> None:
    driver.get(server.url)
    WebDriverWait(driver, 30).until(when.text_to_be_present_in_element((By.ID, "limits"), "MiB"))


def _record(driver, seconds: float) -> None:
    """Click Record, let the microphone run ``seconds`` and click Stop (the page then sends the recording)."""
    driver.find_element(By.ID, "record").click()
    WebDriverWait(driver, 10).until(when.text_to_be_present_in_element((By.ID, "status"), "Recording"))
    driver.execute_script(f"return new Promise((done) => setTimeout(done, {round(1000 * seconds)}))")
    driver.find_element(By.ID, "stop").click()


def _wait_for_answer(driver, n: int = 8) -> str:
    """Wait for the page's answer to a recording: ``n`` loaded faces, or an error; return the error text."""
    loaded = "return [...document.querySelectorAll('#faces img.face')].map((i) => i.complete && i.naturalWidth)"
    WebDriverWait(driver, 60).until(
        lambda d: d.find_element(By.ID, "error").text or d.execute_script(loaded) == [48] * n
    )
    return driver.find_element(By.ID, "error").text


def _speech_from_onset(path: Path) -> np.ndarray:
    """A demo clip from the first sample in which voice activity detection finds speech, at 16 kHz."""
    y = load_audio(path, sr=SR)
    intervals = find_speech(y, SR)
    assert len(intervals), f"no speech found in the demo clip {path.name}"
    return y[intervals[0, 0] :]


def _with_noise(y: np.ndarray, snr_db: float, seed: int) -> np.ndarray:
    """``y`` with seeded white noise at ``snr_db`` dB below the power of its speech."""
    speech = np.concatenate([y[a:b] for a, b in find_speech(y, SR)])
    noise = np.random.default_rng(seed).standard_normal(len(y))
    noise *= np.sqrt(np.mean(speech.astype(np.float64) ** 2) / 10 ** (snr_db / 10) / np.mean(noise**2))
    return (y + noise).astype(np.float32)


def _write_microphone_wav(path: Path, y: np.ndarray) -> Path:
    """``y`` (16 kHz) as the 48 kHz mono 16-bit PCM WAV the fake microphone plays, ending in silence."""
    y48 = load_audio(y, sr=MICROPHONE_SR, source_sr=SR)
    y48 = np.concatenate([y48, np.zeros(round(END_SILENCE * MICROPHONE_SR), np.float32)])
    sf.write(str(path), np.clip(y48, -1.0, 1.0), MICROPHONE_SR, subtype="PCM_16")
    return path


@pytest.fixture(scope="module")
def spoken_clips(server, tmp_path_factory):
    """Two WAV files for the fake microphone and what the server's model makes of each offline.

    A is a demo clip cut at its speech onset (the speech begins at once); B is a demo
    clip of another emotion, cut the same way, with white noise at ``SNR_DB`` dB. They
    are the first pair of demo clips, in order, whose most probable emotions offline
    differ, so a page that shows one label for every recording cannot pass.

    Returns a list of (path, the two most probable FER-2013 emotions, most probable first).
    """
    folder = tmp_path_factory.mktemp("microphone")
    demo = demo_clips()
    clean, noisy = [], []
    for i, (path, _) in enumerate(demo):
        speech = _speech_from_onset(path)
        clean.append(_write_microphone_wav(folder / f"a-{path.stem}.wav", speech))
        noisy.append(_write_microphone_wav(folder / f"b-{path.stem}-noisy.wav", _with_noise(speech, SNR_DB, seed=i)))
    # The model the server answers with, not a second one: the shipped model may be replaced
    # on disk while the tests run.
    model = server.app.model
    proba = model.predict_proba([str(p) for p in clean + noisy])
    top2 = [tuple(str(model.classes_[k]) for k in np.argsort(p)[::-1][:2]) for p in proba]
    top2_clean, top2_noisy = top2[: len(demo)], top2[len(demo) :]
    for i in range(len(demo)):
        for j in range(len(demo)):
            if demo[i][1] != demo[j][1] and top2_clean[i][0] != top2_noisy[j][0]:
                return [(clean[i], top2_clean[i]), (noisy[j], top2_noisy[j])]
    pytest.fail(
        f"the speech model gives the same emotion to every demo clip, cut at its speech onset "
        f"and with noise at {SNR_DB:g} dB: {top2} (is it a constant model?)"
    )


def test_upload_shows_emotion_chart_and_faces(browser, server, tmp_path):
    clip, _ = demo_clips()[4]  # a shipped RAVDESS clip (angry) of a test speaker
    _open(browser, server)
    browser.find_element(By.ID, "n_faces").clear()
    browser.find_element(By.ID, "n_faces").send_keys(str(N_FACES))
    browser.find_element(By.ID, "file").send_keys(str(clip))
    browser.find_element(By.ID, "upload").click()
    _wait_for_faces(browser, N_FACES)
    emotion = browser.find_element(By.ID, "emotion").text
    bars = browser.find_elements(By.CSS_SELECTOR, "#chart .bar")
    assert emotion in [bar.get_attribute("data-emotion") for bar in bars]
    assert (
        len(bars) == 7
        and browser.find_element(By.CSS_SELECTOR, "#chart .bar.top").get_attribute("data-emotion") == emotion
    )
    assert browser.find_element(By.ID, "error").text == ""

    before = _sources(browser)
    assert len(set(before)) == N_FACES  # different faces, not one repeated
    browser.find_element(By.ID, "redraw").click()
    WebDriverWait(browser, 30).until(lambda d: _sources(d) != before)
    assert browser.find_element(By.ID, "seed").get_attribute("value") == "1"
    assert len(_wait_for_faces(browser, N_FACES)) == N_FACES

    shot = tmp_path / "app.png"
    assert browser.save_screenshot(str(shot)) and shot.stat().st_size > 10_000
    if os.environ.get("SPEECHFACE_SCREENSHOT"):
        shutil.copyfile(shot, os.environ["SPEECHFACE_SCREENSHOT"])


def test_faces_of_the_blend_and_one_face_in_every_emotion(browser, server):
    from selenium.webdriver.support.select import Select

    clip, _ = demo_clips()[1]
    _open(browser, server)
    browser.find_element(By.ID, "n_faces").clear()
    browser.find_element(By.ID, "n_faces").send_keys("2")
    Select(browser.find_element(By.ID, "show")).select_by_value("every")
    browser.find_element(By.ID, "file").send_keys(str(clip))
    browser.find_element(By.ID, "upload").click()
    n_classes = len(server.app.model.classes_)
    _wait_for_faces(browser, 2 * n_classes)
    captions = [c.text for c in browser.find_elements(By.CSS_SELECTOR, "#faces figcaption")]
    assert captions == [str(c) for c in server.app.model.classes_] * 2
    Select(browser.find_element(By.ID, "show")).select_by_value("blend")
    before = _sources(browser)
    browser.find_element(By.ID, "redraw").click()
    WebDriverWait(browser, 30).until(lambda d: _sources(d) != before)
    faces = _wait_for_faces(browser, 2)
    assert all(f.get_attribute("alt").startswith("blend face") for f in faces)
    assert browser.find_element(By.ID, "error").text == ""


def test_a_long_upload_shows_its_timeline_and_a_short_one_none(browser, server, tmp_path):
    take = write_long_take(tmp_path / "take.wav", n_clips=2)  # 8.4 s: over the 5 s that get a timeline
    _open(browser, server)
    browser.find_element(By.ID, "file").send_keys(str(take))
    browser.find_element(By.ID, "upload").click()
    _wait_for_faces(browser, 8)
    WebDriverWait(browser, 30).until(lambda d: d.find_element(By.ID, "timeline").is_displayed())
    areas = browser.find_elements(By.CSS_SELECTOR, "#timeline svg polygon")
    assert sorted(a.get_attribute("data-emotion") for a in areas) == sorted(
        bar.get_attribute("data-emotion") for bar in browser.find_elements(By.CSS_SELECTOR, "#chart .bar")
    )
    assert all(a.get_attribute("points").count(",") >= 4 for a in areas)  # two windows or more, both edges
    caption = browser.find_element(By.ID, "timeline-caption").text
    assert re.match(r"Emotion over time: \d+ windows of [\d.]+ s over the speech", caption), caption

    browser.find_element(By.ID, "file").clear()
    browser.find_element(By.ID, "file").send_keys(str(demo_clips()[0][0]))
    browser.find_element(By.ID, "upload").click()
    WebDriverWait(browser, 30).until(lambda d: not d.find_element(By.ID, "timeline").is_displayed())
    assert browser.find_element(By.ID, "error").text == ""


def test_bad_upload_shows_a_message_and_the_page_goes_on(browser, server, tmp_path):
    bad = tmp_path / "notes.wav"
    bad.write_text("not audio at all")
    _open(browser, server)
    browser.find_element(By.ID, "file").send_keys(str(bad))
    browser.find_element(By.ID, "upload").click()
    WebDriverWait(browser, 30).until(when.text_to_be_present_in_element((By.ID, "error"), "not an audio file"))
    assert browser.find_element(By.ID, "result").get_attribute("hidden") is not None

    good = write_audio(tmp_path / "good.wav", tone(300.0, duration=1.0), 16000, "PCM_16")
    browser.find_element(By.ID, "file").clear()
    browser.find_element(By.ID, "file").send_keys(str(good))
    browser.find_element(By.ID, "upload").click()
    _wait_for_faces(browser, 8)
    assert browser.find_element(By.ID, "error").text == ""


def _assert_no_speech_answer(driver, error: str) -> None:
    """The page's answer to a recording without speech: the model's message, no faces, and it goes on."""
    assert "no speech" in error.lower(), error
    assert _faces(driver) == [] and driver.find_element(By.ID, "result").get_attribute("hidden") is not None
    assert driver.find_element(By.ID, "record").is_enabled() and not driver.find_element(By.ID, "stop").is_enabled()


def test_recording_the_beep_of_the_fake_microphone(browser, server):
    _open(browser, server)  # Chromium's fake microphone plays a beep
    _record(browser, 1.5)
    error = _wait_for_answer(browser)
    if error:  # silero-vad takes a beep for speech in some recordings and not in others: both are right
        _assert_no_speech_answer(browser, error)
    else:
        assert browser.find_element(By.ID, "emotion").text != ""


def test_recording_silence_says_no_speech(browser_hearing, server, tmp_path):
    quiet = tmp_path / "quiet.wav"
    sf.write(str(quiet), np.zeros(2 * MICROPHONE_SR, np.int16), MICROPHONE_SR, subtype="PCM_16")
    driver = browser_hearing(quiet)
    _open(driver, server)
    _record(driver, 2.5)
    _assert_no_speech_answer(driver, _wait_for_answer(driver))  # the defined outcome of a clip without speech


def test_recording_speech_from_the_microphone_shows_what_the_model_hears(browser_hearing, server, spoken_clips):
    shown = []
    for wav, top2 in spoken_clips:  # A: speech from its first sample; B: another emotion, in noise
        driver = browser_hearing(wav)
        _open(driver, server)
        _record(driver, sf.info(str(wav)).duration + 1.0)  # all of the clip, then silence
        assert _wait_for_answer(driver) == "", wav.name
        emotion = driver.find_element(By.ID, "emotion").text
        assert emotion in top2, f"{wav.name}: the page shows {emotion!r}; offline the model ranks {top2} first"
        shown.append(emotion)
    # The offline favourites of A and B differ (see spoken_clips): so must what the page shows.
    assert shown[0] != shown[1], f"the page shows {shown[0]!r} for both recordings: {spoken_clips}"
