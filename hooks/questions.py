"""Exam-style questions: one data file per chapter, ``docs/questions/chNN.yml``.

Each question has:

- ``id``: unique in its chapter (the page and the practice exam know it as ``chNN-<id>``);
- ``kind``: ``single`` (one correct option), ``multiple`` (two or more correct, at least one
  wrong) or ``order`` (options written in the correct order; readers see them shuffled);
- ``domains``: the exam domain it tests in each outline, by the exam map's anchors without
  the outline prefix: ``{ai-300: model-lifecycle, dp-100: train-and-deploy}``;
- ``question``, ``explanation`` (Markdown, inline only) and ``options`` (each ``text``, and
  ``correct: true`` on the correct ones for single and multiple);
- ``learn``: the heading that teaches it, ``#anchor`` in the chapter or ``page.md#anchor``
  relative to the chapter's page.

``load`` checks all of it and names the file and line of the first problem.
"""

from __future__ import annotations

import re
from pathlib import Path

import yaml

KINDS = {"single", "multiple", "order"}
FIELDS = {"id", "kind", "domains", "question", "options", "explanation", "learn"}
OUTLINES = ("ai-300", "dp-100")
DOMAIN_ROW = re.compile(r"^\| \[(?P<name>[^\]]+)\]\(#(?P<anchor>(?P<outline>ai-300|dp-100)-[\w-]+)\) \| "
                        r"(?P<low>\d+)–(?P<high>\d+) % \|", re.M)


class QuestionError(ValueError):
    """A question file breaks the schema; the message starts with ``file:line:``."""


class _LineLoader(yaml.CSafeLoader):  # libyaml: eight times quicker than the Python parser
    """Keeps each mapping's line (1-based) under ``__line__``."""

    def construct_mapping(self, node, deep=False):
        mapping = super().construct_mapping(node, deep=deep)
        mapping["__line__"] = node.start_mark.line + 1
        return mapping


def outline_domains(exam_map: Path) -> dict[str, dict[str, dict]]:
    """Each outline's domains from the exam map's domain tables: name and weight range."""
    domains: dict[str, dict[str, dict]] = {outline: {} for outline in OUTLINES}
    for row in DOMAIN_ROW.finditer(exam_map.read_text(encoding="utf-8")):
        key = row["anchor"].removeprefix(row["outline"] + "-")
        domains[row["outline"]][key] = {"name": row["name"], "anchor": row["anchor"],
                                        "weight": [int(row["low"]), int(row["high"])]}
    return domains


def load(path: Path, domains: dict[str, dict[str, dict]]) -> list[dict]:
    """The chapter's questions, checked; each has ``line`` (where it starts in the file)."""
    try:
        data = yaml.load(path.read_text(encoding="utf-8"), Loader=_LineLoader)  # noqa: S506 (a safe loader)
    except yaml.YAMLError as error:
        raise QuestionError(f"{path}: {error}") from error
    questions = (data or {}).get("questions") or []
    seen: set[str] = set()
    for question in questions:
        _check(question, path, domains, seen)
    return [_without_lines(q) | {"line": q["__line__"]} for q in questions]


def _without_lines(value):
    if isinstance(value, dict):
        return {key: _without_lines(item) for key, item in value.items() if key != "__line__"}
    return [_without_lines(item) for item in value] if isinstance(value, list) else value


def _check(question: dict, path: Path, domains: dict, seen: set[str]) -> None:
    def fail(message: str):
        raise QuestionError(f"{path}:{question['__line__']}: question {question.get('id', '?')!r}: {message}")

    fields = set(question) - {"__line__"}
    if fields != FIELDS:
        fail(f"needs exactly the fields {sorted(FIELDS)}; missing {sorted(FIELDS - fields)}, "
             f"unknown {sorted(fields - FIELDS)}")
    if question["id"] in seen:
        fail("the id is used twice in this chapter")
    seen.add(question["id"])
    if question["kind"] not in KINDS:
        fail(f"kind must be one of {sorted(KINDS)}")
    for outline in OUTLINES:
        if question["domains"].get(outline) not in domains[outline]:
            fail(f"domains.{outline} must be one of {sorted(domains[outline])}")
    options = question["options"]
    texts = [str(option.get("text", "")).strip() for option in options]
    if len(options) < 3 or not all(texts):
        fail("needs at least three options, each with a text")
    if len(set(texts)) != len(texts):
        fail("two options have the same text")
    correct = sum(option.get("correct") is True for option in options)
    if question["kind"] == "single" and correct != 1:
        fail(f"a single-answer question needs exactly one correct option, not {correct}")
    if question["kind"] == "multiple" and not 2 <= correct < len(options):
        fail("a multiple-answer question needs two or more correct options and at least one wrong")
    if question["kind"] == "order" and correct:
        fail("an ordering question lists its options in the right order, without 'correct'")
    if not re.fullmatch(r"([\w./-]+\.md)?#[\w-]+", question["learn"]):
        fail("learn must be '#anchor' or 'page.md#anchor'")
