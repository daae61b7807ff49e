"""`make bench`: the site measured side by side with a plain Material build of the raw notes.

Build time (`mkdocs build --strict`, median of several runs), first-visit weight of a few
pages in Chromium (every response body, raw and gzipped, third-party requests apart), the
search index, and one run of the test suite; then the budgets of DESIGN.md, each PASS or
FAIL. Exits non-zero when a budget fails.

Run it with `make bench`, which builds with the environment `make build` uses
(or: python -m bench.measure --help).
"""

from __future__ import annotations

import argparse
import gzip
import json
import os
import re
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

from playwright.sync_api import sync_playwright

from bench import lighthouse
from tests.browser.conftest import CHROMIUM, FLAGS

ROOT = Path(__file__).resolve().parent.parent
NOTES = ROOT.parent / "shared" / "seed" / "dp100-notes.md"
MKDOCS = Path(sys.executable).parent / "mkdocs"
KIB = 1024
# Fetched on first visit but budgeted apart: the search index and its worker (loaded in the
# background by Material's search, the same on every page).
BESIDE_THE_PAGE = re.compile(r"/search/search_index\.json$|/workers/search\.[^/]+\.js$")

SITE_PAGES = {
    "chapter": "02-workspace/08-compute-targets/",
    "notebook": "ch11_mlflow_notebooks/track_xgboost/",
    "diagram": "01-design-ml-solution/01-data-ingestion/",
    "home": "",
}
BASELINE_PAGES = {"chapter": "chapter-08/", "home": ""}


def write_baseline(folder: Path) -> Path:
    """The raw notes as a plain Material site: the introduction as home page, then one page
    per chapter (its text as written), grouped by section in the navigation."""
    docs = folder / "docs"
    docs.mkdir(parents=True)
    parts = re.split(r"^(?=## Section |### Chapter )", NOTES.read_text(encoding="utf-8"), flags=re.M)
    (docs / "index.md").write_text(parts[0], encoding="utf-8")
    nav = ["  - Home: index.md"]
    for part in parts[1:]:
        title = part.splitlines()[0].lstrip("# ")
        if part.startswith("## Section"):
            nav.append(f'  - "{title}":')
            continue
        number = int(re.match(r"Chapter (\d+)", title).group(1))
        name = f"chapter-{number:02d}.md"
        (docs / name).write_text(part, encoding="utf-8")
        nav.append(f'      - "{title}": {name}')
    config = folder / "mkdocs.yml"
    config.write_text("site_name: DP-100 notes\ntheme:\n  name: material\nnav:\n" + "\n".join(nav) + "\n")
    return config


def build(config: Path, site: Path) -> tuple[float, float]:
    """Wall-clock and CPU seconds of one `mkdocs build --strict` (CPU time shows how much of
    the wall time other work on the machine took)."""
    cpu_before, start = children_cpu_seconds(), time.perf_counter()
    subprocess.run(
        [str(MKDOCS), "build", "--strict", "--quiet", "-f", str(config), "-d", str(site)],
        cwd=ROOT, check=True,
    )
    return time.perf_counter() - start, children_cpu_seconds() - cpu_before


def children_cpu_seconds() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def summary(runs: list[tuple[float, float]]) -> dict:
    wall = [seconds for seconds, _ in runs]
    return {"median": statistics.median(wall), "min": min(wall), "max": max(wall), "runs": wall,
            "cpu_median": statistics.median(cpu for _, cpu in runs)}


@contextmanager
def served(site: Path):
    """`python -m http.server` on a free loopback port; yields its URL."""
    server = subprocess.Popen(
        [sys.executable, "-u", "-m", "http.server", "0", "--bind", "127.0.0.1", "--directory", str(site)],
        stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    port = re.search(r"port (\d+)", server.stdout.readline()).group(1)
    try:
        yield f"http://127.0.0.1:{port}/"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()


def first_visit(browser, url: str) -> dict:
    """Everything a fresh browser fetches to show the page (until the network is idle)."""
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    page = context.new_page()
    responses, failed = [], []
    page.on("response", lambda response: responses.append(response))
    page.on("requestfailed", lambda request: failed.append(request.url))
    page.goto(url, wait_until="networkidle")
    local = urlsplit(url).netloc
    received = [
        {"url": response.url, "status": response.status, "raw_bytes": len(body), "gzip_bytes": len(gzip.compress(body))}
        for response in responses
        for body in [b"" if 300 <= response.status < 400 else response.body()]
    ]
    requested = [response.url for response in responses] + failed
    loads_mermaid = any("mermaid" in address for address in requested) or page.evaluate(
        "[...document.scripts].some(script => /mermaid/i.test(script.src + script.textContent))"
    )
    visit = {
        "requests": len(requested),
        "raw_bytes": sum(item["raw_bytes"] for item in received),
        "gzip_bytes": sum(item["gzip_bytes"] for item in received),
        "page_bytes": sum(item["raw_bytes"] for item in received if not BESIDE_THE_PAGE.search(item["url"])),
        "third_party_requests": [address for address in requested if urlsplit(address).netloc != local],
        "failed_requests": failed,
        "has_diagram": page.locator("figure.diagram").count() > 0,
        "loads_mermaid": loads_mermaid,
        "responses": received,
    }
    context.close()
    return visit


def page_weights(site: Path, paths: dict[str, str]) -> dict:
    with served(site) as url, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=FLAGS)
        weights = {name: {"path": "/" + path, **first_visit(browser, url + path)} for name, path in paths.items()}
        browser.close()
    return weights


def search_index(site: Path) -> dict:
    data = (site / "search" / "search_index.json").read_bytes()
    return {"raw_bytes": len(data), "gzip_bytes": len(gzip.compress(data))}


def test_suite_seconds() -> dict:
    """One run of the whole suite as a developer runs it (it builds its own site)."""
    env = {name: value for name, value in os.environ.items() if name != "BUILT_SITE"}
    start = time.perf_counter()
    run = subprocess.run([str(ROOT / ".venv" / "bin" / "pytest"), "-q"], cwd=ROOT, env=env, check=False,
                         capture_output=True, text=True)
    return {"seconds": time.perf_counter() - start, "passed": run.returncode == 0,
            "last_line": run.stdout.strip().splitlines()[-1] if run.stdout.strip() else run.stderr[-500:]}


def budgets(results: dict) -> list[tuple[str, bool]]:
    site = results["site"]
    build_median, ratio = site["build_seconds"]["median"], results["build_ratio"]
    chapter, notebook = site["pages"]["chapter"], site["pages"]["notebook"]
    pages = site["pages"].items()
    loading_mermaid = [name for name, visit in pages if visit["loads_mermaid"]]
    return [
        (f"site build ≤ 2.5 s (median {build_median:.2f} s)", build_median <= 2.5),
        (f"site build ≤ 4 × baseline ({ratio:.2f} ×)", ratio <= 4),
        (f"chapter page ≤ 400 KiB, fonts included ({chapter['page_bytes'] / KIB:.0f} KiB)",
         chapter["page_bytes"] <= 400 * KIB),
        (f"chapter page: no third-party request ({len(chapter['third_party_requests'])})",
         not chapter["third_party_requests"]),
        (f"notebook page ≤ 450 KiB ({notebook['page_bytes'] / KIB:.0f} KiB)", notebook["page_bytes"] <= 450 * KIB),
        (f"no page loads Mermaid ({', '.join(loading_mermaid) or 'none does'})", not loading_mermaid),
        *[lighthouse_budget(page, scored) for page, scored in results.get("lighthouse", {}).items()],
    ]


def lighthouse_budget(page: str, s: dict) -> tuple[str, bool]:
    label = (f"Lighthouse {page}: performance ≥ 95, others 100, layout shift < 0.05 "
             f"({s['performance']:.0f}/{s['accessibility']:.0f}/{s['best-practices']:.0f}/{s['seo']:.0f}, "
             f"{s['cls']:.3f})")
    others = min(s["accessibility"], s["best-practices"], s["seo"])
    return label, s["performance"] >= 95 and others == 100 and s["cls"] < 0.05


def print_report(results: dict, checks: list[tuple[str, bool]]) -> None:
    site, baseline = results["site"], results["baseline"]
    print(f"\nmkdocs build --strict (s; load average {results['load_average']})")
    print("                       median    min    max   CPU median")
    for name, measured in (("site", site), ("baseline", baseline)):
        times = measured["build_seconds"]
        print(f"  {name:<20} {times['median']:6.2f} {times['min']:6.2f} {times['max']:6.2f} {times['cpu_median']:8.2f}")
    print(f"  site / baseline      {results['build_ratio']:6.2f} ×")
    print("\nfirst visit, all responses (page: without search index and Mermaid)")
    print(f"  {'':<17} {'path':<42} requests  raw KiB  gzip KiB  page KiB  third-party (failed)")
    for name, measured in (("site", site), ("baseline", baseline)):
        for page, visit in measured["pages"].items():
            print(f"  {name:<8} {page:<8} {visit['path']:<42} {visit['requests']:8d} {visit['raw_bytes'] / KIB:8.1f}"
                  f" {visit['gzip_bytes'] / KIB:9.1f} {visit['page_bytes'] / KIB:9.1f}"
                  f"  {len(visit['third_party_requests'])} ({len(visit['failed_requests'])})")
    print("\nsearch/search_index.json   raw KiB  gzip KiB")
    for name, measured in (("site", site), ("baseline", baseline)):
        index = measured["search_index"]
        print(f"  {name:<24} {index['raw_bytes'] / KIB:7.1f} {index['gzip_bytes'] / KIB:9.1f}")
    if "lighthouse" in results:
        print("\nLighthouse 12.2.3, mobile, served gzipped (median of 3)")
        print(f"  {'page':<17} {'path':<42} perf  a11y  best   seo   layout shift  blocking ms")
        for page, scored in results["lighthouse"].items():
            print(f"  {page:<17} {scored['path']:<42} {scored['performance']:4.0f} {scored['accessibility']:5.0f}"
                  f" {scored['best-practices']:5.0f} {scored['seo']:5.0f} {scored['cls']:13.3f}"
                  f" {scored['tbt_ms']:12.0f}")
    if "test_suite" in results:
        suite = results["test_suite"]
        print(f"\npytest -q: {suite['seconds']:.1f} s ({suite['last_line']})")
    print("\nbudgets (DESIGN.md)")
    for label, passed in checks:
        print(f"  {'PASS' if passed else 'FAIL'}  {label}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=ROOT / "bench" / "results.json", help="where to write the figures")
    parser.add_argument("--runs", type=int, default=5, help="builds of each site (default 5)")
    parser.add_argument("--skip-tests", action="store_true", help="do not time the test suite")
    parser.add_argument("--skip-lighthouse", action="store_true", help="do not run Lighthouse")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-") as scratch:
        scratch = Path(scratch)
        configs = {"site": ROOT / "mkdocs.yml", "baseline": write_baseline(scratch / "baseline")}
        times = {name: [] for name in configs}
        for _ in range(args.runs):  # alternated, so both see the same machine load
            for name, config in configs.items():
                times[name].append(build(config, scratch / f"{name}-site"))
        results = {"load_average": " ".join(f"{load:.1f}" for load in os.getloadavg())}
        for name, paths in (("site", SITE_PAGES), ("baseline", BASELINE_PAGES)):
            site = scratch / f"{name}-site"
            results[name] = {"build_seconds": summary(times[name]), "pages": page_weights(site, paths),
                             "search_index": search_index(site)}
        if not args.skip_lighthouse:
            site = scratch / "site-site"
            pages = {"home": "", "heaviest chapter": lighthouse.heaviest_chapter(site),
                     "notebook": SITE_PAGES["notebook"], "exam map": "exam-map/"}
            results["lighthouse"] = lighthouse.scores(site, pages, str(CHROMIUM))
    results["build_ratio"] = results["site"]["build_seconds"]["median"] / results["baseline"]["build_seconds"]["median"]
    if not args.skip_tests:
        results["test_suite"] = test_suite_seconds()
    checks = budgets(results)
    results["budgets"] = [{"budget": label, "passed": passed} for label, passed in checks]
    args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")
    print_report(results, checks)
    print(f"\nfigures written to {args.json}")
    return 0 if all(passed for _, passed in checks) else 1


if __name__ == "__main__":
    sys.exit(main())
