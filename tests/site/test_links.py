"""Every link inside the built site leads to a file, and every #fragment to an id on that page.

Offline: links to other hosts are left to the weekly .github/workflows/links.yml.
"""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urljoin, urlsplit


class Page(HTMLParser):
    """One built HTML page: the anchors it defines and the URLs it links to, with their line."""

    def __init__(self, path: Path):
        super().__init__()
        self.anchors: set[str] = set()
        self.links: list[tuple[int, str]] = []
        self.canonical = ""
        self.feed(path.read_text(encoding="utf-8"))
        self.close()

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if attributes.get("id"):
            self.anchors.add(attributes["id"])
        if tag == "a" and attributes.get("name"):
            self.anchors.add(attributes["name"])
        if tag == "link" and attributes.get("rel") == "canonical":
            self.canonical = attributes["href"]
        for name in ("href", "src"):
            if attributes.get(name) is not None:
                self.links.append((self.getpos()[0], attributes[name]))


def target_file(site: Path, url_path: str) -> Path:
    """The file a web server gives for a path inside the site (a folder gives its index.html)."""
    file = site / unquote(url_path)
    return file / "index.html" if url_path.endswith("/") or file.is_dir() else file


def why_broken(site: Path, pages: dict[Path, Page], base: str, url: str) -> str | None:
    """What is wrong with an absolute URL, or None when it resolves (or is not the site's to check)."""
    link = urlsplit(url)
    if link.scheme not in ("http", "https") or link.netloc != urlsplit(base).netloc:
        return None  # another host, mailto: and the like
    path = link._replace(query="", fragment="").geturl()
    if not (path + "/").startswith(base):
        return f"outside the site {base}"
    target = target_file(site, path[len(base):])
    anchor = unquote(link.fragment)
    if not target.is_file():
        return f"no file {target.relative_to(site)}"
    if anchor and anchor not in (pages[target].anchors if target in pages else set()):
        return f"no id {anchor!r} in {target.relative_to(site)}"
    return None


def broken_links(site: Path) -> list[str]:
    """``page:line: url (why)`` for each internal link to a missing file or a missing anchor."""
    pages = {path: Page(path) for path in sorted(site.rglob("*.html"))}
    base = pages[site / "index.html"].canonical  # the site's own URL (mkdocs.yml: site_url)
    broken = []
    for path, page in pages.items():
        where = path.relative_to(site).as_posix()
        for line, url in page.links:
            if why := why_broken(site, pages, base, urljoin(base + where, url)):
                broken.append(f"{where}:{line}: {url} ({why})")
    return broken


def test_every_internal_link_and_anchor_resolves(built_site):
    assert broken_links(built_site) == []


def test_the_checker_reports_a_missing_page_and_a_missing_anchor(tmp_path):
    (tmp_path / "glossary").mkdir()
    (tmp_path / "glossary" / "index.html").write_text('<h2 id="mlflow">MLflow</h2>')
    (tmp_path / "index.html").write_text(
        '<link rel="canonical" href="https://notes.example/dp100/">\n'
        '<a href="glossary/#mlflow">ok</a> <a href="/dp100/glossary/">ok</a> <a href="#top">\n'
        '<a href="glossary/#mltable">no anchor</a> <img src="img/missing.png">\n'
        '<a href="https://learn.microsoft.com/">other host</a> <a href="/elsewhere/">outside</a>\n'
        '<a id="top" href="https://notes.example/dp100/glossary/index.html#mlflow">ok</a>'
    )
    assert broken_links(tmp_path) == [
        "index.html:3: glossary/#mltable (no id 'mltable' in glossary/index.html)",
        "index.html:3: img/missing.png (no file img/missing.png)",
        "index.html:4: /elsewhere/ (outside the site https://notes.example/dp100/)",
    ]
