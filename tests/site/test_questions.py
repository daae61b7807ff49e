"""The practice questions: one data file per chapter, checked against the schema (hooks/questions.py),
rendered with the markup contract other tools read."""

import re
from pathlib import Path

import pytest
from bs4 import BeautifulSoup

from hooks.questions import QuestionError, load, outline_domains
from tests.site.pages import CHAPTER_PAGES, DOCS

DOMAINS = outline_domains(DOCS / "exam-map.md")
GOOD = """questions:
  - id: first
    kind: single
    domains: {ai-300: model-lifecycle, dp-100: train-and-deploy}
    question: Which one?
    options:
      - text: This one
        correct: true
      - text: That one
      - text: The other one
    explanation: Because.
    learn: "#somewhere"
"""


def test_the_outlines_have_their_domains_and_weights():
    assert {outline: len(domains) for outline, domains in DOMAINS.items()} == {"ai-300": 5, "dp-100": 4}
    assert DOMAINS["ai-300"]["model-lifecycle"]["weight"] == [25, 30]


@pytest.mark.parametrize("page", CHAPTER_PAGES, ids=lambda p: p.stem)
def test_every_chapter_has_at_least_five_valid_questions(page):
    questions = load(DOCS / "questions" / f"ch{page.name[:2]}.yml", DOMAINS)
    assert len(questions) >= 5


def test_the_bank_mixes_kinds():
    kinds = [q["kind"] for page in CHAPTER_PAGES for q in load(DOCS / "questions" / f"ch{page.name[:2]}.yml", DOMAINS)]
    assert {kind: kinds.count(kind) >= 3 for kind in ("single", "multiple", "order")} == {
        "single": True, "multiple": True, "order": True}


@pytest.mark.parametrize(("change", "message"), [
    (("      - text: That one\n", "      - text: That one\n        correct: true\n"),
     "exactly one correct option, not 2"),
    (("That one", "This one"), "two options have the same text"),
    (("model-lifecycle", "genai-everything"), "domains.ai-300 must be one of"),
    (('"#somewhere"', "somewhere"), "learn must be"),
    (("kind: single", "kind: multiple"), "two or more correct options"),
    (("kind: single", "kind: order"), "without 'correct'"),
    (("    explanation: Because.\n", ""), "missing ['explanation']"),
])
def test_a_broken_question_names_its_file_and_line(tmp_path, change, message):
    path = tmp_path / "ch99.yml"
    path.write_text(GOOD.replace(*change))
    with pytest.raises(QuestionError, match=rf"^{path}:2: question 'first': .*{re.escape(message)}"):
        load(path, DOMAINS)


def test_a_repeated_id_is_refused(tmp_path):
    path = tmp_path / "ch99.yml"
    path.write_text(GOOD + GOOD.removeprefix("questions:\n"))
    with pytest.raises(QuestionError, match=r":13: question 'first': the id is used twice"):
        load(path, DOMAINS)


def soup(site: Path, page: str) -> BeautifulSoup:
    return BeautifulSoup((site / page / "index.html").read_text(encoding="utf-8"), "html.parser")


def test_chapter_pages_keep_the_markup_contract(built_site):
    for page in CHAPTER_PAGES:
        html = soup(built_site, page.relative_to(DOCS).with_suffix("").as_posix())
        questions = html.select("[data-question]")
        assert len(questions) >= 5, page.name
        assert all(len(q.select("[data-option]")) >= 3 for q in questions), page.name
        assert all(q.select_one("a.quiz-learn")["href"] for q in questions), page.name


def test_the_practice_exam_holds_every_question_and_shows_a_score(built_site):
    html = soup(built_site, "practice-exam")
    exam = html.select_one("[data-exam]")
    assert exam.select_one("[data-score]") is not None
    chapters = sum(len(load(DOCS / "questions" / f"ch{p.name[:2]}.yml", DOMAINS)) for p in CHAPTER_PAGES)
    assert len(exam.select("[data-question]")) == chapters
    keys = [q["data-question"] for q in exam.select("[data-question]")]
    assert len(set(keys)) == len(keys)


@pytest.mark.parametrize("page", ["", "exam-map"])
def test_home_and_exam_map_show_progress(built_site, page):
    assert soup(built_site, page).select_one("[data-progress] .quiz-progress-reset") is not None
