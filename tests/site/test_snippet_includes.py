"""Pages and snippets/ stay in step: every include resolves, every snippet is shown."""

import markdown
import pytest
from mkdocs.config import load_config
from pymdownx.snippets import SnippetMissingError

from tests.site.pages import ROOT, SNIPPETS, fenced_blocks, includes, pages

SECTION_START = "--8<-- [start:{}]"


def all_includes():
    return [(block, match) for page in pages() for block in fenced_blocks(page) for match in includes(block)]


def test_every_include_names_an_existing_file_and_section():
    broken = []
    for block, match in all_includes():
        target = SNIPPETS / match["path"]
        if not target.is_file():
            broken.append(f"{block.where}: no file snippets/{match['path']}")
        elif match["section"] and SECTION_START.format(match["section"]) not in target.read_text():
            broken.append(f"{block.where}: no section '{match['section']}' in snippets/{match['path']}")
    assert broken == []


def test_every_snippet_file_is_shown_on_some_page():
    shown = {match["path"] for _, match in all_includes()}
    published_notebooks = {p.relative_to(SNIPPETS).as_posix() for p in SNIPPETS.glob("*/*.ipynb")}
    files = {
        p.relative_to(SNIPPETS).as_posix()
        for p in SNIPPETS.rglob("*")
        if p.is_file() and "__pycache__" not in p.parts
    }
    assert sorted(files - shown - published_notebooks) == []


def test_every_shown_python_snippet_has_a_test_module():
    chapters = {SNIPPETS.joinpath(match["path"]).relative_to(SNIPPETS).parts[0] for _, match in all_includes()}
    missing = [c for c in sorted(chapters) if c.startswith("ch") and not list((ROOT / "tests" / c).glob("test_*.py"))]
    assert missing == []


@pytest.fixture(scope="module")
def site_markdown():
    """A Markdown converter with exactly the site's extensions and settings."""
    config = load_config(str(ROOT / "mkdocs.yml"))
    return lambda: markdown.Markdown(extensions=config.markdown_extensions, extension_configs=config.mdx_configs)


def test_a_missing_include_fails_with_the_file_name(site_markdown):
    page = '```python\n--8<-- "ch99_nowhere/missing_snippet.py"\n```\n'
    with pytest.raises(SnippetMissingError, match="missing_snippet.py"):
        site_markdown().convert(page)


def test_an_include_renders_the_file_text(site_markdown):
    html = site_markdown().convert('```python\n--8<-- "ch08_compute_targets/compute_cluster.py:cluster"\n```\n')
    assert "AmlCompute" in html and "from_config" not in html
