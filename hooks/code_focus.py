"""Every code block can take the keyboard focus, whether Material has mounted it yet or not.

Material mounts a page's code blocks as they scroll into view (the ``content.lazy`` feature: a
code-heavy chapter starts in about half the main-thread time on a phone) and gives a block that
scrolls sideways ``tabindex="0"`` when it mounts it, so that keys can scroll it. A block not yet
mounted would be a scrollable region no key reaches (axe's scrollable-region-focusable), so the
code element of every block carries the attribute from the build.
"""

from __future__ import annotations

import re

# Pygments writes an empty <span></span> between <pre> and <code>.
UNFOCUSABLE_CODE = re.compile(r"(?P<start><pre[^>]*>(?:<span></span>)?)<code(?![^>]*\btabindex=)")


def on_page_content(html, page, config, files):
    return UNFOCUSABLE_CODE.sub(r'\g<start><code tabindex="0"', html)
