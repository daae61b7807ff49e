"""Every code block that shows part of a snippet file also carries the whole file.

A block that includes a named section (``--8<-- "chNN_topic/file.py:part"``) gets
"(part)" in its title, and right under it a collapsed "Whole file" block with the whole
file (its own copy button) and a link to download it. The downloads are the snippet files
themselves, without the section markers, published under ``downloads/``. The whole file is
shown as plain text: coloured, it would add thousands of elements to a page for a block that
is mostly copied or downloaded, and the parts above it are coloured.
"""

from __future__ import annotations

import posixpath
import re
from pathlib import Path

from mkdocs.structure.files import File

PART_BLOCK = re.compile(
    r"^(?P<indent>[ \t]*)(?P<fence>`{3,})(?P<lang>[\w+-]+)(?P<attrs>[^\n]*)\n"
    r"(?P=indent)-{2}8<-{2} \"(?P<path>[^\":]+):(?P<section>[\w-]+)\"\n"
    r"(?P=indent)(?P=fence)[ \t]*$",
    re.M,
)
TITLE = re.compile(r'title="(?P<title>[^"]*)"')
LABEL = re.compile(r"\s*\((?P<label>[^)]*)\)$")  # "src/train.py (arguments)": the part's own name
SECTION_MARKER = re.compile(r"^\s*(#|//|<!--)\s*-{2}8<-{2}\s*\[(start|end):[\w-]+\].*$")
DOWNLOADS = "downloads"
WHOLE_FILE = "Whole file: "
WHOLE_FILE_BLOCK = re.compile(rf'<details class="example">(\s*<summary>{WHOLE_FILE})')


def whole_text(snippet: Path) -> str:
    """The file as a reader downloads it: the snippet without its section markers."""
    lines = snippet.read_text(encoding="utf-8").splitlines(keepends=True)
    return "".join(line for line in lines if not SECTION_MARKER.match(line))


def download_uri(path: str) -> str:
    return f"{DOWNLOADS}/{path}"


def on_files(files, config):
    snippets = Path(config.config_file_path).parent / "snippets"
    docs = Path(config.docs_dir)
    parts = {m["path"] for page in docs.rglob("*.md") for m in PART_BLOCK.finditer(page.read_text(encoding="utf-8"))}
    for path in sorted(parts):
        if (snippets / path).is_file():  # a missing file fails the build in pymdownx.snippets, naming it
            files.append(File.generated(config, download_uri(path), content=whole_text(snippets / path)))
    return files


def on_page_markdown(markdown, page, config, files):
    folder = posixpath.dirname(page.file.src_uri)
    return PART_BLOCK.sub(lambda block: _with_whole_file(block, folder), markdown)


def _with_whole_file(block: re.Match, folder: str) -> str:
    indent, fence, path = block["indent"], block["fence"], block["path"]
    name = path.split("/", 1)[1]
    title = TITLE.search(block["attrs"])
    label = LABEL.search(title["title"]) if title else None
    shown = LABEL.sub("", title["title"]) if title else name
    part = f"part: {label['label']}" if label else "part"
    attrs = TITLE.sub("", block["attrs"]).strip()
    link = posixpath.relpath(download_uri(path), folder or ".")
    inner = indent + "    "
    return (
        f'{indent}{fence}{block["lang"]} title="{shown} ({part})" {attrs}'.rstrip() + "\n"
        f'{indent}--8<-- "{path}:{block["section"]}"\n'
        f"{indent}{fence}\n\n"
        f'{indent}??? example "{WHOLE_FILE}{name}"\n\n'
        f'{inner}{fence}text title="{name}"\n'
        f'{inner}--8<-- "{path}"\n'
        f"{inner}{fence}\n\n"
        f"{inner}[Download {posixpath.basename(name)}]({link}){{ download }}\n"
    )


def on_page_content(html, page, config, files):
    """Whole files stay out of search: each repeats its imports, which would crowd the results."""
    return WHOLE_FILE_BLOCK.sub(r'<details class="example" data-search-exclude>\1', html)
