"""Headless Chromium for the browser tests (Selenium), or a skip that says what is missing."""

from __future__ import annotations

import shutil

import pytest

# Offline: no host name resolves, loopback stays reachable.
BASE_FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
              "--disable-dev-shm-usage"]


def start_chromium(extra_flags: list[str]):
    """A Chrome WebDriver on Debian's chromium with the browser console log captured; skips when unavailable."""
    webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
    from selenium.common.exceptions import WebDriverException
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    chromium = next((p for p in map(shutil.which, ("chromium", "chromium-browser", "google-chrome")) if p), None)
    chromedriver = shutil.which("chromedriver")
    if not chromium or not chromedriver:
        pytest.skip("headless Chromium is not installed: apt-get install -y chromium chromium-driver "
                    "(scripts/test.sh does this when apt-get exists)")
    options = Options()
    options.binary_location = chromium
    for flag in BASE_FLAGS + extra_flags:
        options.add_argument(flag)
    options.set_capability("goog:loggingPrefs", {"browser": "ALL"})
    try:
        return webdriver.Chrome(service=Service(chromedriver), options=options)
    except WebDriverException as exc:
        pytest.skip(f"Chromium did not start: {exc.msg}")
