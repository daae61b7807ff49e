"""The built site: strict build without warnings, no known errors, nothing fetched from elsewhere."""

import json
import re
from importlib.metadata import version
from pathlib import Path

from tests.site.pages import CHAPTERS, ROOT, SECTIONS

# Wrong names and facts from the raw notes; none may reach a reader.
KNOWN_ERRORS = [
    "from azure.ai.ml. import",
    "AccountKeyCredentials",
    "SasTokenCredentials",
    "use_label_encoder",
    "azureml-flow",
    "python=3.8",
    "sklearn-0.24",
    "ubuntu18.04",
    "Computer Operator",
    "RSpark",
    "data-store-decision-tree.svg",
]
# Tags that make the browser fetch something (a canonical link is only a name, not a fetch).
FETCHING_TAG = re.compile(r"<(?:script|img|iframe|source|link)\b[^>]*>")
REMOTE = re.compile(r"""\b(?:src|href)=["']https?://""")


def html_pages(built_site: Path) -> list[Path]:
    return sorted(built_site.rglob("*.html"))


def test_every_section_and_chapter_is_built(built_site):
    built = {p.parent.relative_to(built_site).as_posix() for p in html_pages(built_site)}
    sources = [p.relative_to(ROOT / "docs").with_suffix("") for p in (ROOT / "docs").glob("[0-9][0-9]-*/*.md")]
    expected = {(s.parent if s.name == "index" else s).as_posix() for s in sources}
    assert len(expected) == SECTIONS + CHAPTERS and expected <= built


def test_no_known_error_from_the_raw_notes_reaches_the_site(built_site):
    found = [
        f"{page.relative_to(built_site)}: {error}"
        for page in [*html_pages(built_site), built_site / "search" / "search_index.json"]
        for error in KNOWN_ERRORS
        if error.lower() in page.read_text(encoding="utf-8").lower()
    ]
    assert found == []


def test_no_page_loads_anything_from_another_host(built_site):
    loads = [
        f"{page.relative_to(built_site)}: {tag}"
        for page in html_pages(built_site)
        for tag in FETCHING_TAG.findall(page.read_text(encoding="utf-8"))
        if REMOTE.search(tag) and 'rel="canonical"' not in tag
    ]
    assert loads == []


def test_pages_with_snippets_name_the_versions_they_were_tested_with(built_site):
    expected = f"azure-ai-ml {version('azure-ai-ml')}</code>, <code>mlflow {version('mlflow')}"
    chapter = re.compile(r"/\d\d-[\w-]+/\d\d-[\w-]+/index\.html$")
    chapter_pages = [p for p in html_pages(built_site) if chapter.search(p.as_posix())]
    assert len(chapter_pages) == CHAPTERS
    for page in chapter_pages:
        assert expected in page.read_text(encoding="utf-8"), page.relative_to(built_site)
    assert (built_site / "verified" / "index.html").is_file()


def test_search_previews_start_with_the_chapters_own_text(built_site):
    index = json.loads((built_site / "search" / "search_index.json").read_text(encoding="utf-8"))
    chapters = [doc for doc in index["docs"] if re.fullmatch(r"\d\d-[\w-]+/\d\d-[\w-]+/", doc["location"])]
    assert len(chapters) == CHAPTERS
    for doc in chapters:
        assert not doc["text"].startswith(("Verified with", "Exam skills", "<p>Verified")), doc["location"]
        assert doc["text"].startswith("<p>"), doc["location"]


def test_each_abbreviation_is_defined_once_a_page_at_its_first_use(built_site):
    """hooks/first_use.py keeps the first of the abbr extension's marks for a term and unwraps the
    rest: one definition a term a page, and no earlier use of the term left undefined."""
    terms = re.findall(r"^\*\[(.+?)\]: ", (ROOT / "docs/includes/abbreviations.md").read_text(encoding="utf-8"), re.M)
    definitions, faults = 0, []
    for page in html_pages(built_site):
        article = re.search(r"<article.*?</article>", page.read_text(encoding="utf-8"), re.S)
        if not article:
            continue
        prose = re.sub(r"<(pre|code|script)\b.*?</\1>", " ", article.group(0), flags=re.S)
        prose = re.sub(r"<(?!/?abbr\b)[^>]*>", "", prose)  # text and abbr marks only
        unmarked = re.sub(r"<abbr\b.*?</abbr>", lambda mark: "#" * len(mark.group(0)), prose)
        for term in terms:
            marks = [m.start() for m in re.finditer(rf'<abbr title="[^"]+">{re.escape(term)}</abbr>', prose)]
            first_plain = re.search(rf"(?<![\w-]){re.escape(term.replace('&', '&amp;'))}(?![\w-])", unmarked)
            definitions += len(marks)
            if len(marks) > 1 or (marks and first_plain and first_plain.start() < marks[0]):
                faults.append(f"{page.relative_to(built_site)}: {term}")
    assert definitions > 300  # about a dozen a chapter
    assert faults == []
