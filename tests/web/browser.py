"""Headless Debian Chromium driven through chromium-driver (Selenium), for the browser tests."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
# Screenshots are kept here (git-ignored) for a person to look at after the run.
ARTIFACTS = Path(os.environ.get("FUNDWATCH_ARTIFACTS", REPO / "artifacts")) / "web"
CHROMIUM = os.environ.get("FUNDWATCH_CHROMIUM", "/usr/bin/chromium")
CHROMEDRIVER = os.environ.get("FUNDWATCH_CHROMEDRIVER", "/usr/bin/chromedriver")
ARGS = (
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--hide-scrollbars",
    "--lang=en-US",
)
DESKTOP = (1366, 900)
PHONE = (390, 844)


def start_chromium(download_dir: Path):  # type: ignore[no-untyped-def]
    from selenium import webdriver
    from selenium.webdriver.chrome.options import Options
    from selenium.webdriver.chrome.service import Service

    missing = [p for p in (CHROMIUM, CHROMEDRIVER) if not shutil.which(p)]
    if missing:
        message = f"{', '.join(missing)} not found: apt-get install chromium chromium-driver"
        if os.environ.get("CI") == "true":
            pytest.fail(message + " (CI requires the browser tests; .ci/run installs them)")
        pytest.skip(message)
    options = Options()
    options.binary_location = CHROMIUM
    for argument in ARGS:
        options.add_argument(argument)
    options.add_experimental_option(
        "prefs",
        {"download.default_directory": str(download_dir), "download.prompt_for_download": False},
    )
    driver = webdriver.Chrome(service=Service(CHROMEDRIVER), options=options)
    driver.execute_cdp_cmd(
        "Browser.setDownloadBehavior", {"behavior": "allow", "downloadPath": str(download_dir)}
    )
    driver.set_page_load_timeout(30)
    return driver


def screenshot(driver, name: str, size: tuple[int, int]) -> Path:  # type: ignore[no-untyped-def]
    """A full-page screenshot at `size` width, kept under ARTIFACTS."""
    width, height = size
    driver.set_window_size(width, height)
    full = driver.execute_script("return document.documentElement.scrollHeight")
    driver.set_window_size(width, max(height, min(int(full) + 20, 4000)))
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    path = ARTIFACTS / f"{name}.png"
    driver.save_screenshot(str(path))
    driver.set_window_size(width, height)
    return path
