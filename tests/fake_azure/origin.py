"""Where an error came from, for messages a reader can act on: the snippet line that sent the
request, and the chapters whose snippets create the resource that was missing."""

from __future__ import annotations

import functools
import re
import sys
from pathlib import Path

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets"
# `name="cpu-cluster"` in Python, `name: cpu-cluster` in YAML, `--name cpu-cluster` in a script.
NAMED = re.compile(r"""(?:\bname\s*=\s*|^\s*name:\s*|--name\s+|-n\s+)["']?([A-Za-z0-9][\w.-]*)""", re.MULTILINE)


def snippet_line() -> str | None:
    """``snippets/chNN_x/file.py:LINE`` of the innermost snippet frame now running, if any."""
    frame = sys._getframe(1)
    while frame is not None:
        path = Path(frame.f_code.co_filename)
        if SNIPPETS in path.parents:
            return f"{path.relative_to(SNIPPETS.parent)}:{frame.f_lineno}"
        frame = frame.f_back
    return None


@functools.cache
def _names_created_by_chapter() -> dict[str, list[int]]:
    found: dict[str, list[int]] = {}
    for path in sorted(SNIPPETS.rglob("*")):
        if path.suffix not in {".py", ".yml", ".yaml", ".sh"} or not path.parent.name.startswith("ch"):
            continue
        chapter = int(path.relative_to(SNIPPETS).parts[0][2:4])
        for name in NAMED.findall(path.read_text()):
            chapters = found.setdefault(name, [])
            if chapter not in chapters:
                chapters.append(chapter)
    return found


def creating_chapters(name: str) -> list[int]:
    return _names_created_by_chapter().get(name, [])


def explained(problem: str) -> str:
    """``snippets/...:10: compute 'cpu-cluster' not found in the workspace (chapter 8 creates it)``."""
    named = re.search(r"'([^']+)'", problem)
    chapters = creating_chapters(named[1]) if named and "not found" in problem else []
    hint = ""
    if chapters:
        hint = f" (chapter {', '.join(map(str, chapters))} {'creates' if len(chapters) == 1 else 'create'} it)"
    where = snippet_line()
    return f"{where}: {problem}{hint}" if where else f"{problem}{hint}"
