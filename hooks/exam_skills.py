"""An "Exam skills in this chapter" box at the top of each chapter, read from the exam map.

The exam map (``docs/exam-map.md``) is the one source: every skill row that links a chapter
appears in that chapter's box, AI-300 (the exam in force) first, with its coverage label and
a link to the section that teaches it.
"""

from __future__ import annotations

import posixpath
import re
from collections import defaultdict
from pathlib import Path

OUTLINE = re.compile(r"^## (?P<outline>AI-300|DP-100)\b")
SKILL_ROW = re.compile(r"^\| (?P<area>[^|]+) \| (?P<skill>[^|]+) \| (?P<where>[^|]+) \| (?P<coverage>[^|]+) \|$")
LINK = re.compile(r"\]\((?P<page>[\w./-]+\.md)(?:#(?P<anchor>[\w-]+))?\)")
TITLE = re.compile(r"^# .+$", re.M)
_skills: dict[str, dict[str, list[dict]]] = {}


def skills_by_page(exam_map: str) -> dict[str, dict[str, list[dict]]]:
    """For each page the map links: per outline, the skills and the anchor each links to."""
    found: dict[str, dict[str, list[dict]]] = defaultdict(lambda: defaultdict(list))
    outline = None
    for line in exam_map.splitlines():
        if heading := OUTLINE.match(line):
            outline = heading["outline"]
        row = SKILL_ROW.match(line)
        if not (outline and row) or row["area"] in ("Area", "---"):
            continue
        for link in LINK.finditer(row["where"]):
            found[link["page"]][outline].append({"skill": row["skill"].strip(), "anchor": link["anchor"],
                                                 "coverage": row["coverage"].split(":")[0].strip()})
    return found


def on_files(files, config):
    _skills.clear()
    _skills.update(skills_by_page((Path(config.docs_dir) / "exam-map.md").read_text(encoding="utf-8")))
    return files


def on_page_markdown(markdown, page, config, files):
    outlines = _skills.get(page.file.src_uri)
    if not outlines:
        return markdown
    lines = ['<details class="abstract exam-skills" markdown="1" data-search-exclude>',
             "<summary>Exam skills in this chapter</summary>", ""]
    for outline in ("AI-300", "DP-100"):
        if outline in outlines:
            lines.append(f"**{outline}**{' (the exam in force)' if outline == 'AI-300' else ''}\n")
            lines += [f"- {_linked(s)}, *{s['coverage'].lower()}*" for s in outlines[outline]]
            lines.append("")
    link = posixpath.relpath("exam-map.md", posixpath.dirname(page.file.src_uri) or ".")
    lines += [f"The [exam map]({link}) lists every skill of both outlines.", "", "</details>"]
    box = "\n".join(lines)
    return TITLE.sub(lambda title: f"{title.group(0)}\n\n{box}\n", markdown, count=1)


def _linked(skill: dict) -> str:
    return f"[{skill['skill']}](#{skill['anchor']})" if skill["anchor"] else skill["skill"]
