"""Code works when pasted: every Python block on the built site is a whole snippet file, or
shows a part and carries the whole file with it (a collapsed block to copy, and a download)."""

from __future__ import annotations

import posixpath
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hooks.whole_files import whole_text
from tests.site.pages import SNIPPETS

NOTEBOOK = SNIPPETS / "ch11_mlflow_notebooks/track_xgboost.ipynb"


@pytest.fixture(scope="module")
def snippet_files() -> dict[str, str]:
    """Each snippet file's text as a reader gets it whole, mapped to its path."""
    return {whole_text(p): p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.rglob("*.py")}


def html_pages(site: Path) -> list[Path]:
    return sorted(p for p in site.rglob("*.html") if p.name == "index.html")


def copied(block) -> str:
    """What the copy button copies: the text of the block's code element."""
    return block.find("code").get_text()


def download(page: Path, details, site: Path) -> str:
    link = details.find("a", attrs={"download": True})
    assert link is not None, f"{page.relative_to(site)}: a whole-file block without a download link"
    target = (page.parent / link["href"]).resolve()
    assert target.is_file(), f"{page.relative_to(site)}: download {link['href']} is not in the site"
    return target.read_text(encoding="utf-8")


def check_page(page: Path, site: Path, snippet_files: dict[str, str]) -> tuple[int, int, list[str]]:
    """Count a page's whole-file and part blocks; list each block that breaks the rule."""
    whole_blocks, parts, problems = 0, 0, []
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    for block in soup.select("div.language-python.highlight"):
        title = block.find(class_="filename")
        where = f"{page.relative_to(site)}: {title.get_text() if title else 'untitled block'}"
        text = copied(block)
        if text in snippet_files:
            whole_blocks += 1
            continue
        details = block.find_next_sibling()
        whole = details.select_one("div.highlight") if details is not None and details.name == "details" else None
        if whole is None or copied(whole) not in snippet_files:
            problems.append(f"{where}: shows part of a file and offers no whole file")
            continue
        if title is None or "(part" not in title.get_text():
            problems.append(f"{where}: a part whose title does not say so")
        whole_lines = {line.strip() for line in copied(whole).splitlines()}
        if any(line.strip() not in whole_lines for line in text.splitlines()):
            problems.append(f"{where}: the part is not in the whole file it offers")
        if download(page, details, site) != copied(whole):
            problems.append(f"{where}: the download differs from the whole file shown")
        parts += 1
    return whole_blocks, parts, problems


def test_every_python_block_is_a_whole_file_or_offers_it(built_site, snippet_files):
    counts = [check_page(page, built_site, snippet_files) for page in html_pages(built_site)]
    assert [problem for _, _, problems in counts for problem in problems] == []
    # Both kinds were found, so the selectors still match Material's markup.
    assert sum(whole for whole, _, _ in counts) > 10 and sum(parts for _, parts, _ in counts) > 100


def test_a_part_without_its_whole_file_is_reported(tmp_path, snippet_files):
    page = tmp_path / "index.html"
    page.write_text(
        '<div class="language-python highlight"><span class="filename">compute_cluster.py</span>'
        "<pre><code>cluster = AmlCompute(name=\"cpu-cluster\")\n</code></pre></div><p>Next.</p>"
    )
    assert check_page(page, tmp_path, snippet_files) == (
        0, 0, ["index.html: compute_cluster.py: shows part of a file and offers no whole file"])


def test_the_notebook_page_offers_its_notebook_and_edits_the_real_file(built_site):
    page = built_site / "ch11_mlflow_notebooks/track_xgboost/index.html"
    soup = BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")
    link = soup.find("a", attrs={"download": True})
    assert link is not None and link["href"].endswith(".ipynb")
    assert (page.parent / link["href"]).read_bytes() == NOTEBOOK.read_bytes()
    edit = soup.find("a", attrs={"rel": "edit"})
    assert posixpath.basename(edit["href"]) == NOTEBOOK.name
    assert edit["href"].endswith("/" + NOTEBOOK.relative_to(SNIPPETS.parent).as_posix())
