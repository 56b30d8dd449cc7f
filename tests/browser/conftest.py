"""Browser tests: Playwright drives Debian's Chromium against a live server.

Never ``playwright install``: the browser is the system's ``chromium`` (``.ci/run`` installs
it). Screenshots of each page go to ``var/screenshots/`` as CI artifacts.
"""

import os
import shutil
from pathlib import Path

import pytest

# The Playwright sync API runs an event loop in the test thread; the ORM calls in test bodies are safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
SCREENSHOTS = Path(__file__).resolve().parents[2] / "var" / "screenshots"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    if not CHROMIUM:
        pytest.fail("Chromium is not installed: apt-get install chromium (the browser tests need it).")
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "headless": True, "args": CHROMIUM_ARGS}


@pytest.fixture
def screenshot(page):
    """Save a full-page screenshot of the current page: ``screenshot("labeling")``."""
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)

    def take(name: str) -> Path:
        path = SCREENSHOTS / f"{name}.png"
        page.screenshot(path=str(path), full_page=True)
        return path

    return take


@pytest.fixture
def login(page, live_server):
    """Log a user in through the login page: ``login(user)`` (factory password by default)."""

    def log_in(user, password: str = "secret-pass-123"):
        page.goto(f"{live_server.url}/accounts/login/")
        page.fill("#id_username", user.username)
        page.fill("#id_password", password)
        page.click("input[type=submit]")
        page.wait_for_url(lambda url: "/accounts/login/" not in url)

    return log_in
