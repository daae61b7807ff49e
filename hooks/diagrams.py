"""Diagrams are drawn ahead of time: each Mermaid block in a page is shown as SVG, with no
Mermaid JavaScript on the page.

The page keeps the diagram's Mermaid source (its one source of truth, with an ``accDescr:``
line: the text alternative). ``make diagrams`` (tools/render_diagrams.py) renders each to
``docs/assets/diagrams/<page>.svg`` and ``<page>.dark.svg``; this hook puts both in the
page, and the stylesheet shows the one for the reader's colour scheme. A test fails when an
SVG no longer matches its source.
"""

from __future__ import annotations

import html
import itertools
import re
from pathlib import Path

from mkdocs.exceptions import PluginError

FENCE = re.compile(r"^(?P<indent>[ \t]*)```mermaid[ \t]*\n(?P<source>.*?)^(?P=indent)```[ \t]*$", re.M | re.S)
ALT = re.compile(r"^\s*accDescr:\s*(?P<alt>.+?)\s*$", re.M)
VIEW_BOX = re.compile(r'viewBox="[-\d.]+ [-\d.]+ (?P<width>[\d.]+) (?P<height>[\d.]+)"')
FOLDER = "assets/diagrams"
THEMES = {"light": "", "dark": ".dark"}


def diagram_name(page_uri: str, number: int) -> str:
    """``02-workspace/08-compute-targets.md``, first diagram -> ``08-compute-targets``; then ``-2``, ``-3``."""
    return Path(page_uri).stem + ("" if number == 1 else f"-{number}")


def svg_path(name: str, theme: str) -> str:
    return f"{FOLDER}/{name}{THEMES[theme]}.svg"


def page_diagrams(page_uri: str, markdown: str) -> list[tuple[str, str]]:
    """Each diagram of a page: its SVG name and its Mermaid source."""
    return [(diagram_name(page_uri, n), m["source"]) for n, m in enumerate(FENCE.finditer(markdown), start=1)]


def on_page_markdown(markdown, page, config, files):
    numbers = itertools.count(1)
    return FENCE.sub(lambda fence: _figure(fence, page, next(numbers), config), markdown)


def _figure(fence: re.Match, page, number: int, config) -> str:
    name, where = diagram_name(page.file.src_uri, number), f"{page.file.src_uri}, diagram {number}"
    alt = ALT.search(fence["source"])
    if alt is None:
        raise PluginError(f"{where}: a diagram needs an 'accDescr: …' line, its text alternative")
    svg = Path(config.docs_dir) / svg_path(name, "light")
    if not svg.is_file():
        raise PluginError(f"{where}: no {FOLDER}/{svg.name}; run `make diagrams`")
    size = VIEW_BOX.search(svg.read_text(encoding="utf-8"))
    width, height = round(float(size["width"])), round(float(size["height"]))
    root = "../" * page.url.count("/")
    images = "".join(
        f'<img class="diagram-{theme}" src="{root}{svg_path(name, theme)}" alt="{html.escape(alt["alt"])}" '
        f'width="{width}" height="{height}" loading="lazy" decoding="async">'
        for theme in THEMES
    )
    # Focusable, so a keyboard can scroll a diagram wider than the screen.
    return f'{fence["indent"]}<figure class="diagram" tabindex="0" style="--diagram-width: {width}px">{images}</figure>'
