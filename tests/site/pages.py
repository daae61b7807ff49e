"""Reading the site's Markdown sources: pages, fenced blocks, includes, prose."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
DOCS = ROOT / "docs"
SNIPPETS = ROOT / "snippets"
SECTIONS, CHAPTERS = 12, 36  # what the site holds: a page that goes missing fails the count
CHAPTER_PAGES = sorted(DOCS.glob("[0-9][0-9]-*/[0-9][0-9]-*.md"), key=lambda page: page.name)

FENCE = re.compile(r"^(?P<indent>\s*)(?P<fence>`{3,}|~{3,})(?P<info>.*)$")
INCLUDE = re.compile(r"""^\s*-{2}8<-{2}\s+["'](?P<path>[^"':]+)(?::(?P<section>[\w-]+))?["']\s*$""")
FRONT_MATTER = re.compile(r"\A---\n(?P<yaml>.*?)\n---\n", re.S)


@dataclass
class Block:
    page: Path
    line: int  # 1-based line of the opening fence
    info: str
    body: list[str]

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


# Pulled into pages by hooks, not pages themselves (mkdocs.yml: exclude_docs).
NOT_PAGES = ("questions", "includes")


def pages() -> list[Path]:
    return sorted(p for p in DOCS.rglob("*.md") if p.relative_to(DOCS).parts[0] not in NOT_PAGES)


def fenced_blocks(page: Path) -> list[Block]:
    blocks, opening, body = [], None, []
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        match = FENCE.match(line)
        if opening is None and match:
            opening, body = (number, match["fence"], match["info"].strip()), []
        elif opening is not None and match and match["fence"].startswith(opening[1]) and not match["info"].strip():
            blocks.append(Block(page, opening[0], opening[2], body))
            opening = None
        elif opening is not None:
            body.append(line)
    if opening is not None:
        raise AssertionError(f"{page.relative_to(ROOT)}:{opening[0]}: code fence is never closed")
    return blocks


def includes(block: Block) -> list[re.Match]:
    return [m for line in block.body if (m := INCLUDE.match(line))]


def is_typed_code(block: Block) -> bool:
    """A block with content that is not only snippet includes (Mermaid diagrams excepted)."""
    if block.info.split()[:1] == ["mermaid"]:
        return False
    lines = [line for line in block.body if line.strip()]
    return not lines or any(not INCLUDE.match(line) for line in lines)


def prose(page: Path) -> str:
    """The page's text without front matter, code blocks, HTML tags and link targets."""
    text = FRONT_MATTER.sub("", page.read_text(encoding="utf-8"))
    text = re.sub(r"^(\s*)(`{3,}|~{3,}).*?^\1\2\s*$", "", text, flags=re.S | re.M)
    text = re.sub(r"<[^>]+>", " ", text)
    return re.sub(r"\]\([^)]*\)", "]", text)


def word_count(page: Path) -> int:
    return len(re.findall(r"[A-Za-z][A-Za-z'’-]*", prose(page)))


def front_matter(page: Path) -> str:
    match = FRONT_MATTER.match(page.read_text(encoding="utf-8"))
    return match["yaml"] if match else ""
