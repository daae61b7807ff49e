"""Diagrams are SVG drawn ahead of time from each page's Mermaid source (hooks/diagrams.py,
``make diagrams``): none is stale, each has a text alternative, and no page loads Mermaid."""

from pathlib import Path
from types import SimpleNamespace

import pytest
from mkdocs.exceptions import PluginError

from hooks.diagrams import FOLDER, VIEW_BOX, on_page_markdown, svg_path
from tests.site.pages import DOCS
from tools.render_diagrams import HASH_LINE, MERMAID_THEMES, all_diagrams, source_hash


def test_every_diagram_is_drawn_from_its_current_source():
    stale = []
    for name, source in all_diagrams().items():
        for theme in MERMAID_THEMES:
            svg = DOCS / svg_path(name, theme)
            if not svg.is_file() or not svg.read_text(encoding="utf-8").startswith(
                    HASH_LINE.format(source_hash(source, theme))):
                stale.append(svg_path(name, theme))
    assert stale == [], "run `make diagrams` and commit the SVGs"


def test_no_svg_is_left_from_a_diagram_that_is_gone():
    drawn = {svg_path(name, theme) for name in all_diagrams() for theme in MERMAID_THEMES}
    assert sorted(p.relative_to(DOCS).as_posix() for p in (DOCS / FOLDER).glob("*.svg")) == sorted(drawn)


def test_the_site_has_its_diagrams():
    assert len(all_diagrams()) >= 17


def test_a_diagram_without_a_text_alternative_fails_the_build():
    page = SimpleNamespace(file=SimpleNamespace(src_uri="02-workspace/08-compute-targets.md"), url="x/")
    config = SimpleNamespace(docs_dir=str(DOCS))
    with pytest.raises(PluginError, match=r"08-compute-targets.md, diagram 1: a diagram needs an 'accDescr"):
        on_page_markdown("```mermaid\nflowchart TD\n    A --> B\n```\n", page, config, None)


def test_pages_show_the_svgs_with_their_alternative_and_size(built_site):
    for page in sorted(built_site.rglob("*.html")):
        html = page.read_text(encoding="utf-8")
        assert "mermaid" not in html.lower(), f"{page.relative_to(built_site)} still has Mermaid"
    chapter = (built_site / "02-workspace/08-compute-targets/index.html").read_text(encoding="utf-8")
    for theme in MERMAID_THEMES:
        src = f"../../{svg_path('08-compute-targets', theme)}"
        assert f'class="diagram-{theme}" src="{src}" alt="A decision tree' in chapter
        assert (built_site / "02-workspace/08-compute-targets" / Path(src)).resolve().is_file()
    # The page reserves the drawn size, so nothing moves when the image arrives.
    box = VIEW_BOX.search((DOCS / svg_path("08-compute-targets", "light")).read_text(encoding="utf-8"))
    assert f'width="{round(float(box["width"]))}" height="{round(float(box["height"]))}"' in chapter
