"""End to end: ``speechface serve`` driven in headless Chromium, as a person uses the page.

Needs Debian's ``chromium`` and ``chromium-driver``: found on PATH, or installed with
apt-get when the tests run as root. Without them the tests skip, except in CI,
where they fail. ``SPEECHFACE_SCREENSHOT=path.png`` saves the page's screenshot
there too (that is how ``docs/_static/app.png`` was made).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import threading

import pytest
from conftest import write_audio

from speechface.app import App, AppServer
from speechface.datasets.synthetic import tone
from speechface.demo import demo_clips

selenium = pytest.importorskip("selenium", reason="selenium is in the test extra: pip install -e '.[test]'")
from selenium import webdriver  # noqa: E402
from selenium.webdriver.common.by import By  # noqa: E402
from selenium.webdriver.support import expected_conditions as when  # noqa: E402
from selenium.webdriver.support.ui import WebDriverWait  # noqa: E402

N_FACES = 4


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


@pytest.fixture(scope="module")
def browser(monkeypatch_module):
    chromium, chromedriver = _find_or_install_chromium()
    monkeypatch_module.setenv("SE_OFFLINE", "true")  # Selenium Manager must not look anything up online
    options = webdriver.ChromeOptions()
    options.binary_location = chromium
    for flag in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--window-size=820,1000",
                 "--use-fake-ui-for-media-stream", "--use-fake-device-for-media-stream"):
        options.add_argument(flag)
    driver = webdriver.Chrome(options=options, service=webdriver.ChromeService(executable_path=chromedriver))
    yield driver
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
    assert len(bars) == 7 and browser.find_element(By.CSS_SELECTOR, "#chart .bar.top").get_attribute(
        "data-emotion") == emotion
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


def test_recording_from_the_microphone(browser, server):
    _open(browser, server)  # Chromium's fake microphone plays a beep
    browser.find_element(By.ID, "record").click()
    WebDriverWait(browser, 10).until(when.text_to_be_present_in_element((By.ID, "status"), "Recording"))
    WebDriverWait(browser, 10).until(lambda d: d.execute_script("return window.performance.now()") > 0)
    browser.execute_script("return new Promise((done) => setTimeout(done, 1500))")
    browser.find_element(By.ID, "stop").click()
    _wait_for_faces(browser, 8)
    assert browser.find_element(By.ID, "error").text == ""
    assert browser.find_element(By.ID, "emotion").text != ""
