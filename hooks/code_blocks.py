"""What every code block carries from the build: a focusable code element and its line count.

Material mounts a page's code blocks as they scroll into view (the ``content.lazy`` feature) and
gives a block that scrolls sideways ``tabindex="0"`` when it mounts it, so that keys can scroll
it. A block not yet mounted would be a scrollable region no key reaches (axe's
scrollable-region-focusable), so the code element of every block carries the attribute from the
build.

A block off screen is not laid out until it nears the viewport (``content-visibility: auto`` in
extra.css: a code-heavy chapter's first layout on a phone is several times smaller). Until then
it takes the height its line count gives (``--code-lines``), so the page is as long as it will be
and a link to a heading lands on the heading.
"""

from __future__ import annotations

import re

# Pygments writes an empty <span></span> between <pre> and <code>.
CODE_BLOCK = re.compile(
    r"<pre(?P<pre>[^>]*)>(?P<gap>(?:<span></span>)?)<code(?P<code>[^>]*)>(?P<text>.*?)</code></pre>", re.S)


def with_size_and_focus(block: re.Match) -> str:
    text = block["text"]
    lines = text.count("\n") + (not text.endswith("\n"))
    code = block["code"] if "tabindex=" in block["code"] else f' tabindex="0"{block["code"]}'
    return f'<pre{block["pre"]} style="--code-lines: {lines}">{block["gap"]}<code{code}>{text}</code></pre>'


def on_page_content(html, page, config, files):
    return CODE_BLOCK.sub(with_size_and_focus, html)
