"""Each abbreviation is defined where a page first uses it, as a style guide spells a term out
on first mention.

Markdown's abbr extension marks every use of every term in docs/includes/abbreviations.md; the
exam map had 79 marks (AI alone 20 times) and the home page 97. Each mark is a tooltip that
Material's bundle sets up while the page starts, on a phone about a third of its start-up work.
Later uses read as plain text; the glossary defines every term on one page.
"""

from __future__ import annotations

import re

MARK = re.compile(r'<abbr title="[^"]*">(?P<term>[^<]*)</abbr>')


def on_page_content(html, page, config, files):
    defined: set[str] = set()

    def first_use_only(mark: re.Match) -> str:
        if mark["term"] in defined:
            return mark["term"]
        defined.add(mark["term"])
        return mark[0]

    return MARK.sub(first_use_only, html)
