"""Lighthouse (mobile) on pages of the built site served gzipped, as a real host serves them.

``lighthouse@12.2.3`` from npm (bench/package.json; ``make bench`` installs it) drives
Debian's Chromium (``CHROMIUM``); nothing is downloaded. Each page is measured a few times
and the median of each score kept, with the layout shift of that median run.
"""

from __future__ import annotations

import gzip
import json
import os
import statistics
import subprocess
import threading
from contextlib import contextmanager
from functools import partial
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

BENCH = Path(__file__).resolve().parent
LIGHTHOUSE = BENCH / "node_modules" / ".bin" / "lighthouse"
CATEGORIES = ("performance", "accessibility", "best-practices", "seo")
COMPRESSED = (".html", ".css", ".js", ".json", ".svg", ".xml", ".txt", ".ipynb")


class GzipHandler(SimpleHTTPRequestHandler):
    """Static files, text ones gzipped when the browser accepts it."""

    def send_head(self):
        path = Path(self.translate_path(self.path))
        if path.is_dir():
            path = path / "index.html"
        wants_gzip = "gzip" in self.headers.get("Accept-Encoding", "")
        if not (wants_gzip and path.suffix in COMPRESSED and path.is_file()):
            return super().send_head()
        body = gzip.compress(path.read_bytes())
        self.send_response(200)
        self.send_header("Content-Type", self.guess_type(str(path)))
        self.send_header("Content-Encoding", "gzip")
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Cache-Control", "max-age=3600")
        self.end_headers()
        self.wfile.write(body)
        return None

    def log_message(self, *args):
        pass


@contextmanager
def gzip_served(site: Path):
    server = ThreadingHTTPServer(("127.0.0.1", 0), partial(GzipHandler, directory=str(site)))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}/"
    finally:
        server.shutdown()


def one_run(url: str, chromium: str) -> dict:
    done = subprocess.run(
        [str(LIGHTHOUSE), url, "--output=json", "--quiet", f"--only-categories={','.join(CATEGORIES)}",
         "--chrome-flags=--headless=new --no-sandbox --disable-gpu"],
        env={**os.environ, "CHROME_PATH": chromium}, capture_output=True, text=True, check=True, timeout=300,
    )
    report = json.loads(done.stdout)
    scores = {name: round(100 * report["categories"][name]["score"]) for name in CATEGORIES}
    return {**scores, "cls": report["audits"]["cumulative-layout-shift"]["numericValue"],
            "tbt_ms": report["audits"]["total-blocking-time"]["numericValue"]}


def scores(site: Path, pages: dict[str, str], chromium: str, runs: int = 3) -> dict:
    """Per page: the median of each category over ``runs`` runs, and that page's layout shift."""
    results = {}
    with gzip_served(site) as url:
        for name, path in pages.items():
            measured = [one_run(url + path, chromium) for _ in range(runs)]
            results[name] = {"path": "/" + path,
                             **{key: statistics.median(run[key] for run in measured) for key in measured[0]}}
    return results


def heaviest_chapter(site: Path) -> str:
    """The chapter page with the most HTML (the most content and code)."""
    chapters = sorted(site.glob("[0-9][0-9]-*/[0-9][0-9]-*/index.html"), key=lambda page: page.stat().st_size)
    return chapters[-1].parent.relative_to(site).as_posix() + "/"
