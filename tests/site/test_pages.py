"""Rules every page follows: code comes from snippets/, chapters are complete."""

import re

import pytest
import yaml

from tests.site.pages import (
    CHAPTER_PAGES,
    CHAPTERS,
    DOCS,
    SECTIONS,
    fenced_blocks,
    front_matter,
    includes,
    is_typed_code,
    pages,
    word_count,
)

FIRST_AI_300_CHAPTER = 24  # chapters 24 on teach what AI-300 adds: at least 1,000 words and 3 verified blocks


def minimum_words(page) -> int:
    """Chapters 1-12 port the raw notes; 13-23 (titles only in the notes) were written anew, longer."""
    number = int(page.name[:2])
    return 500 if number <= 12 else 600 if number < FIRST_AI_300_CHAPTER else 1000


def minimum_code_blocks(page) -> int:
    number = int(page.name[:2])
    return 0 if number <= 12 else 1 if number == 20 else 2 if number < FIRST_AI_300_CHAPTER else 3


def chapter_id(page):
    return page.stem


def test_every_code_block_is_an_include():
    typed = [block.where for page in pages() for block in fenced_blocks(page) if is_typed_code(block)]
    assert typed == [], f"code typed into pages instead of included from snippets/: {typed}"


def test_site_has_its_sections_and_chapters_numbered_in_order():
    sections = sorted(p.parent.name for p in DOCS.glob("[0-9][0-9]-*/index.md"))
    assert [int(name[:2]) for name in sections] == list(range(1, SECTIONS + 1)), sections
    assert [int(p.name[:2]) for p in CHAPTER_PAGES] == list(range(1, CHAPTERS + 1))


@pytest.mark.parametrize("page", pages(), ids=lambda p: str(p.relative_to(DOCS)))
def test_every_page_has_a_description_and_one_title(page):
    meta = yaml.safe_load(front_matter(page)) or {}
    assert len(meta.get("description", "")) >= 40, f"{page}: add a one-sentence description in front matter"
    assert "TODO" not in page.read_text(encoding="utf-8"), f"{page} still has a TODO"
    titles = [line for line in page.read_text(encoding="utf-8").splitlines() if line.startswith("# ")]
    assert len(titles) == 1, f"{page}: expected exactly one H1, found {titles}"


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=chapter_id)
def test_chapter_title_names_its_number(page):
    number = int(page.name[:2])
    assert re.search(rf"^# {number}\. \S", page.read_text(encoding="utf-8"), re.M), page


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=chapter_id)
def test_chapter_has_its_words_code_and_exam_key_points(page):
    assert word_count(page) >= minimum_words(page), f"{page}: {word_count(page)} words of prose"
    code_blocks = [block for block in fenced_blocks(page) if includes(block)]
    assert len(code_blocks) >= minimum_code_blocks(page), f"{page}: {len(code_blocks)} verified code blocks"
    headings = re.findall(r"^## (.+)$", page.read_text(encoding="utf-8"), re.M)
    assert headings and headings[-1] == "Key points for the exam", f"{page}: last H2 is {headings[-1:]}"


def test_the_typed_code_rule_names_page_and_line(tmp_path, monkeypatch):
    monkeypatch.setattr("tests.site.pages.ROOT", tmp_path)
    page = tmp_path / "page.md"
    page.write_text(
        '# T\n\n```python\n--8<-- "a/b.py:part"\n```\n\n```mermaid\ngraph LR\n```\n\n```python\nprint(1)\n```\n'
    )
    typed = [block.where for block in fenced_blocks(page) if is_typed_code(block)]
    assert typed == ["page.md:11"]


QUESTION = re.compile(r'^\?\?\? question "(?P<text>[^"]+)"$', re.M)


def test_every_exam_skill_links_to_a_chapter():
    """In the exam map's skill tables (header `| Area | Skill...`), every row links to a page."""
    rows, in_skills = [], False
    for line in (DOCS / "exam-map.md").read_text(encoding="utf-8").splitlines():
        if line.startswith("| Area |"):
            in_skills = True
        elif not line.startswith("|"):
            in_skills = False
        elif in_skills and not line.startswith("|---"):
            rows.append(line)
    assert len(rows) >= 100, "both outlines, skill by skill"
    assert [row for row in rows if not re.search(r"\]\([\w/.-]+\.md(#[\w-]+)?\)", row)] == []


def test_a_covered_skill_links_a_chapter_with_tested_code():
    """"Covered" means taught with tested code or a worked example: at least one page the row
    links includes a snippet (every snippet is run by the tests)."""
    rows = [row for row in (DOCS / "exam-map.md").read_text(encoding="utf-8").splitlines()
            if row.startswith("| ") and row.rstrip().endswith("| Covered |")]
    assert len(rows) >= 60
    untaught = [row for row in rows if not any(
        "--8<--" in (DOCS / page).read_text(encoding="utf-8") for page in re.findall(r"\]\(([\w/.-]+\.md)", row))]
    assert untaught == []


def test_every_section_has_a_diagram():
    sections = sorted(DOCS.glob("[0-9][0-9]-*/"))
    without = [s.name for s in sections if not any("```mermaid" in p.read_text() for p in s.glob("*.md"))]
    assert without == []
