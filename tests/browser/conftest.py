"""The built site served on loopback, and Debian's Chromium driven by Playwright.

Chromium is never downloaded: ``make browser`` installs Debian's package, and CHROMIUM
may point at another Chromium-based browser. A missing browser fails the tests.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import sync_playwright

from tests.conftest import ROOT

CHROMIUM = Path(os.environ.get("CHROMIUM", "/usr/bin/chromium"))
# Headless, and quiet: no background calls to Google's services on a closed network.
FLAGS = [
    "--headless=new", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
]


@pytest.fixture(scope="session")
def site_url(built_site):
    """``python -m http.server`` on a free loopback port (its own process, so pytest-socket allows it)."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(built_site)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    port = re.search(r"port (\d+)", server.stdout.readline()).group(1)
    yield f"http://127.0.0.1:{port}/"
    server.terminate()
    server.wait(timeout=10)
    server.stdout.close()


@pytest.fixture(scope="session")
def browser():
    if not CHROMIUM.is_file():
        pytest.fail(f"no browser at {CHROMIUM}: run `make browser` (Debian's chromium) or set CHROMIUM")
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        yield chromium
        chromium.close()


class Visit:
    """One browser tab on the local site that records every request and console error."""

    def __init__(self, context, site_url: str):
        self.site_url = site_url
        self.page = context.new_page()
        self.requests: list[str] = []
        self.errors: list[str] = []
        self.page.on("request", lambda request: self.requests.append(request.url))
        self.page.on("console", lambda message: message.type == "error" and self.errors.append(message.text))
        self.page.on("pageerror", lambda error: self.errors.append(str(error)))

    def open(self, path: str):
        self.page.goto(self.site_url + path.lstrip("/"), wait_until="networkidle")
        return self.page

    def foreign_requests(self) -> list[str]:
        local = urlsplit(self.site_url).netloc
        web = [urlsplit(url) for url in self.requests if url.startswith(("http:", "https:"))]
        return [part.geturl() for part in web if part.netloc != local]


@pytest.fixture
def visit(browser, site_url):
    """A fresh browser context; after the test, no console error and no request off the local server."""
    context = browser.new_context(
        permissions=["clipboard-read", "clipboard-write"], viewport={"width": 1280, "height": 900}
    )
    tab = Visit(context, site_url)
    yield tab
    context.close()
    assert tab.errors == [], f"console errors: {tab.errors}"
    assert tab.foreign_requests() == [], f"requests to other hosts: {tab.foreign_requests()}"


@pytest.fixture(scope="session")
def unzipped_site(tmp_path_factory) -> Path:
    """Built as `make offline` builds it, zipped, and unpacked where a reader would put it (once: the
    offline tests and the practice exam's offline test share it)."""
    work = tmp_path_factory.mktemp("offline")
    subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-q", "-d", str(work / "built")],
        cwd=ROOT, env={**os.environ, "OFFLINE": "true", "NO_MKDOCS_2_WARNING": "1"}, check=True,
    )
    archive = shutil.make_archive(str(work / "notes"), "zip", work / "built")
    zipfile.ZipFile(archive).extractall(work / "reader")
    return work / "reader"
