"""Practice questions, drawn from one data file per chapter (``docs/questions/chNN.yml``).

Each chapter page ends with its questions as a self-check; the practice-exam page holds
every question (hidden) and draws an exam from them in the browser
(``assets/javascripts/practice.js``); the home page and the exam map show the reader's
progress. The markup other tools read: each question has ``data-question``, each of its
options ``data-option``; the exam has ``data-exam``, its score ``data-score``.
"""

from __future__ import annotations

import functools
import html
import json
import posixpath
import random
import re
import sys
from pathlib import Path

import markdown as markdown_lib
from mkdocs.exceptions import PluginError
from mkdocs.utils import get_relative_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))  # MkDocs loads hooks by path, not as a package
from hooks.questions import QuestionError, load, outline_domains  # noqa: E402

CHAPTER_PAGE = re.compile(r"^\d\d-[\w-]+/(?P<number>\d\d)-[\w-]+\.md$")
EXAM_PAGE = "practice-exam.md"
PROGRESS_PAGES = {"index.md", "exam-map.md"}
HINTS = {"single": "Choose one.", "multiple": "Choose {n}.", "order": "Put the steps in order."}
_bank: dict = {}
_inline_markdown = markdown_lib.Markdown()  # one converter: building one costs more than a conversion


def on_files(files, config):
    """Read and check every chapter's questions once per build; a broken file stops the build."""
    docs = Path(config.docs_dir)
    domains = outline_domains(docs / "exam-map.md")
    chapters = {}
    for file in files.documentation_pages():
        match = CHAPTER_PAGE.match(file.src_uri)
        source = docs / "questions" / f"ch{match['number']}.yml" if match else None
        if source and source.is_file():
            try:
                chapters[file.src_uri] = {"number": match["number"], "file": file,
                                          "questions": load(source, domains)}
            except QuestionError as error:
                raise PluginError(str(error)) from error
    _bank.update(domains=domains, chapters=chapters, files=files)
    return files


def on_page_markdown(markdown, page, config, files):
    src = page.file.src_uri
    if src in _bank["chapters"]:
        chapter = _bank["chapters"][src]
        items = "\n".join(_question(q, chapter, n, page) for n, q in enumerate(chapter["questions"], start=1))
        return (f"{markdown.rstrip()}\n\n## Practice questions {{ data-search-exclude }}\n\n"
                f'<div class="quiz" data-self-check="{chapter["number"]}">\n{items}\n</div>\n')
    if src == EXAM_PAGE:
        return markdown.replace("<!-- practice exam -->", _exam(page), 1)
    if src in PROGRESS_PAGES:
        return markdown.replace("<!-- progress -->", _progress(page), 1)
    return markdown


@functools.cache  # every question is drawn twice: on its chapter's page and on the practice exam's
def _inline(text: str) -> str:
    """Markdown of one paragraph (code, emphasis) as HTML without the paragraph tag."""
    return _inline_markdown.reset().convert(str(text).strip()).removeprefix("<p>").removesuffix("</p>")


def _learn_url(question: dict, chapter: dict, page) -> str:
    target, _, anchor = question["learn"].partition("#")
    src = chapter["file"].src_uri
    if target:
        src = posixpath.normpath(posixpath.join(posixpath.dirname(src), target))
    file = _bank["files"].get_file_from_path(src)
    if file is None:
        raise PluginError(f"docs/questions/ch{chapter['number']}.yml:{question['line']}: "
                          f"learn points to {question['learn']!r}, and there is no page {src}")
    url = "" if file.url == page.url else get_relative_url(file.url, page.url)
    return f"{url}#{anchor}"


def _question(question: dict, chapter: dict, number: int, page) -> str:
    key = f"ch{chapter['number']}-{question['id']}"
    kind, options = question["kind"], question["options"]
    shown = list(enumerate(options))
    if kind == "order":  # the same shuffle on every build
        random.Random(key).shuffle(shown)  # noqa: S311 (a fixed order, not a secret)
    items = "\n".join(_option(key, kind, index, option, len(options)) for index, option in shown)
    correct = ([f"{i + 1}. {_inline(o['text'])}" for i, o in enumerate(options)] if kind == "order"
               else [_inline(o["text"]) for o in options if o.get("correct")])
    hint = HINTS[kind].format(n=sum(bool(o.get("correct")) for o in options))
    domains = " ".join(f'data-domain-{outline}="{domain}"' for outline, domain in question["domains"].items())
    return f"""<div class="quiz-question" data-question="{key}" data-kind="{kind}"
data-chapter="{chapter['number']}" {domains}>
<p class="quiz-stem"><span class="quiz-number">{number}.</span> {_inline(question['question'])}
<em class="quiz-hint">{hint}</em></p>
<ol class="quiz-options">
{items}
</ol>
<button type="button" class="md-button quiz-check" hidden>Check the answer</button>
<details class="quiz-answer"><summary>Answer</summary>
<p><strong>Answer:</strong> {'; '.join(correct)}</p>
<p>{_inline(question['explanation'])}</p>
<p><a class="quiz-learn" href="{_learn_url(question, chapter, page)}">Where this is taught</a></p>
</details>
</div>"""


def _option(key: str, kind: str, index: int, option: dict, count: int) -> str:
    text = _inline(option["text"])
    if kind == "order":
        choices = "".join(f'<option value="{p}">{p}</option>' for p in range(1, count + 1))
        return (f'<li data-option="{index}" data-position="{index + 1}"><label>'
                f'<select name="{key}-{index}" aria-label="Position of this step"><option value="">–</option>{choices}'
                f"</select> {text}</label></li>")
    kind_input = "radio" if kind == "single" else "checkbox"
    correct = " data-correct" if option.get("correct") else ""
    return (f'<li data-option="{index}"{correct}><label><input type="{kind_input}" name="{key}" value="{index}"> '
            f"{text}</label></li>")


def _exam(page) -> str:
    """The exam's settings, paper and result, and every question of the site (hidden) to draw from."""
    outlines = {outline: {key: {"name": d["name"], "weight": d["weight"]} for key, d in domains.items()}
                for outline, domains in _bank["domains"].items()}
    bank = "\n".join(_question(q, chapter, n, page) for chapter in _bank["chapters"].values()
                     for n, q in enumerate(chapter["questions"], start=1))
    return f"""<div class="quiz-exam" data-exam data-outlines='{html.escape(json.dumps(outlines))}'>
<form class="quiz-exam-settings">
<p><label>Outline <select name="outline"><option value="ai-300" selected>AI-300 (in force)</option>
<option value="dp-100">DP-100 (retired)</option></select></label>
<label>Questions <select name="count"><option>10</option><option selected>20</option><option>40</option>
<option>60</option></select></label></p>
<p><label><input type="checkbox" name="timed"> Timed:</label>
<label><input type="number" name="minutes" value="30" min="1" max="180" aria-label="Minutes"> minutes</label></p>
<p><button type="submit" class="md-button md-button--primary">Start the exam</button></p>
</form>
<div class="quiz-paper" hidden>
<p class="quiz-clock" role="timer" hidden></p>
<div class="quiz-paper-questions"></div>
<p><button type="button" class="md-button md-button--primary quiz-submit">Submit the answers</button></p>
</div>
<div class="quiz-result" hidden>
<p class="quiz-score">Score: <strong data-score></strong></p>
<table class="quiz-domains"><thead><tr><th>Domain</th><th>Correct</th></tr></thead><tbody></tbody></table>
<p>Questions to review, each linked to the section that teaches it:</p>
<ol class="quiz-review"></ol>
<p class="quiz-review-none" hidden>None: every answer was right.</p>
<p><button type="button" class="md-button quiz-again">Take another exam</button></p>
</div>
<div class="quiz-bank" hidden>
{bank}
</div>
</div>"""


def _progress(page) -> str:
    """The reader's progress, filled in by practice.js from this browser's storage."""
    chapters = [{"chapter": c["number"], "title": c["file"].page.title,
                 "url": get_relative_url(c["file"].url, page.url), "questions": len(c["questions"])}
                for c in _bank["chapters"].values()]
    return f"""<div class="quiz-progress" data-progress data-chapters='{html.escape(json.dumps(chapters))}'>
<p class="quiz-progress-summary">Your progress is kept in this browser once you answer a question.</p>
<table><thead><tr><th>Chapter</th><th>Read</th><th>Practice questions</th></tr></thead><tbody></tbody></table>
<p><button type="button" class="md-button quiz-progress-reset">Reset my progress</button></p>
</div>"""
