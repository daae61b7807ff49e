"""The glossary's terms get anchors (``glossary/#bicep``) and the page an A–Z index.

A term is a bold line followed by a definition (``**Term**`` then ``:   …``); its anchor is
its name in lower case with dashes, without a parenthesised abbreviation.
"""

from __future__ import annotations

import re
import string

GLOSSARY = "glossary.md"
TERM = re.compile(r"^\*\*(?P<term>[^*\n]+)\*\*$(?=\n:)", re.M)


def term_anchor(term: str) -> str:
    name = re.sub(r"\s*\([^)]*\)$", "", term)
    return re.sub(r"[^a-z0-9]+", "-", name.lower()).strip("-")


def on_page_markdown(markdown, page, config, files):
    if page.file.src_uri != GLOSSARY:
        return markdown
    first = {}
    for term in TERM.finditer(markdown):
        first.setdefault(term["term"][0].upper(), term_anchor(term["term"]))
    letters = " · ".join(f"[{letter}](#{first[letter]})" if letter in first else letter
                         for letter in string.ascii_uppercase)
    markdown = TERM.sub(lambda term: f"{term.group(0)} {{ #{term_anchor(term['term'])} }}", markdown)
    return markdown.replace("<!-- a-z -->", f"{letters}\n{{ .glossary-index }}", 1)
