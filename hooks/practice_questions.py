"""Append each chapter's practice questions, kept in docs/questions/, to the chapter page.

A chapter ``docs/<section>/NN-<slug>.md`` gets ``docs/questions/chNN.md`` appended, so the
questions are searched with their chapter and link to its headings with plain ``#anchors``.
The question files themselves are not built as pages (see ``exclude_docs``).
"""

from pathlib import Path


def on_page_markdown(markdown, page, config, files):
    name = Path(page.file.src_uri).name
    if not (name[:2].isdigit() and name[2] == "-"):
        return markdown
    questions = Path(config.docs_dir) / "questions" / f"ch{name[:2]}.md"
    if not questions.is_file():
        return markdown
    # Kept out of search: questions name other chapters' terms and would crowd their results.
    text = questions.read_text(encoding="utf-8").replace(
        "## Practice questions\n", "## Practice questions { data-search-exclude }\n", 1
    )
    return f"{markdown.rstrip()}\n\n{text}"
