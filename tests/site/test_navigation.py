"""Finding one's way: one name per chapter, breadcrumbs, the glossary's anchors and A–Z index,
and each chapter's exam skills box drawn from the exam map."""

import re

import markdown
from bs4 import BeautifulSoup
from mkdocs.config import load_config

from hooks.exam_skills import skills_by_page
from hooks.glossary import TERM, term_anchor
from tests.site.pages import CHAPTERS, DOCS, ROOT

CHAPTER = re.compile(r"^\d\d-[\w-]+/\d\d-[\w-]+\.md$")


def nav_chapters() -> dict[str, str]:
    """Each chapter page and its name in the navigation."""
    found = {}

    def walk(items):
        for item in items:
            for title, target in (item.items() if isinstance(item, dict) else []):
                if isinstance(target, list):
                    walk(target)
                elif CHAPTER.match(target):
                    found[target] = title
    walk(load_config(str(ROOT / "mkdocs.yml"))["nav"])
    return found


def html(site, src: str) -> BeautifulSoup:
    page = site / (src.removesuffix(".md").removesuffix("index") + "/index.html").lstrip("/")
    return BeautifulSoup(page.read_text(encoding="utf-8"), "html.parser")


def test_each_chapter_has_one_name_in_nav_title_and_home_table(built_site):
    chapters = nav_chapters()
    assert len(chapters) == CHAPTERS
    home = html(built_site, "index.md")
    home_names = {a["href"].strip("/").split("/")[-1]: a.get_text() for a in home.select("table a")}
    for src, name in chapters.items():
        page = html(built_site, src)
        assert page.h1.get_text().strip("¶ ") == name, src
        assert page.title.get_text().startswith(name), src
        assert home_names[src.split("/")[-1].removesuffix(".md")] == name, src


def test_chapter_pages_have_breadcrumbs(built_site):
    page = html(built_site, "02-workspace/08-compute-targets.md")
    assert "2. Explore and configure the workspace" in page.select_one(".md-path").get_text()


def test_every_glossary_term_has_an_anchor_and_the_index_reaches_each_letter(built_site):
    source = (DOCS / "glossary.md").read_text(encoding="utf-8")
    terms = [m["term"] for m in TERM.finditer(source)]
    assert terms == sorted(terms, key=str.lower) and len(terms) >= 68
    page = html(built_site, "glossary.md")
    assert {dt["id"] for dt in page.select("dt[id]")} == {term_anchor(t) for t in terms}
    index = {a.get_text(): a["href"] for a in page.select(".glossary-index a")}
    assert set(index) == {t[0].upper() for t in terms}
    for term in ("Foundry", "Groundedness", "Bicep", "GenAIOps", "Tracing", "Vector index", "Hybrid search",
                 "Provisioned throughput"):
        assert term in terms


def test_each_chapter_box_lists_the_skills_the_exam_map_links_it_to(built_site):
    skills = skills_by_page((DOCS / "exam-map.md").read_text(encoding="utf-8"))
    for src in nav_chapters():
        box = html(built_site, src).select_one("details.exam-skills")
        listed = [li.get_text().rsplit(",", 1)[0] for li in box.select("li")] if box else []
        expected = [s["skill"] for outline in ("AI-300", "DP-100") for s in skills[src].get(outline, [])]
        assert listed == [markdown.markdown(s).removeprefix("<p>").removesuffix("</p>").replace("<code>", "")
                          .replace("</code>", "") for s in expected], src
        assert expected, f"{src}: the exam map links no skill to it"
