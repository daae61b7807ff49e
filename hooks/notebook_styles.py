"""Style notebook pages with a small stylesheet of the site's own, not the ~600 KiB mkdocs-jupyter inlines.

mkdocs-jupyter puts JupyterLab's whole stylesheet, Pygments' and loaders for MathJax and
Mermaid into each notebook page. None is needed here: code is coloured by Material's own
rules (``highlight_extra_classes: highlight`` in mkdocs.yml, so light and dark mode both
work) and ``assets/stylesheets/notebook.css`` lays out the cells.
"""

import re

STYLESHEET = "assets/stylesheets/notebook.css"
INLINED_BY_PLUGIN = re.compile(
    r"<style\b.*?</style>"  # JupyterLab's and Pygments' stylesheets
    r"|<!-- Load mathjax -->.*?<!-- End of mermaid configuration -->",  # loaders: no maths, no diagram here
    re.S,
)


def on_page_content(html, page, config, files):
    if not page.file.src_uri.endswith(".ipynb"):
        return html
    source = "../" * page.url.count("/") + STYLESHEET
    # A code cell scrolls sideways on a phone: focusable, so a keyboard can scroll it too.
    html = html.replace('<div class="highlight-ipynb hl-python highlight"><pre>',
                        '<div class="highlight-ipynb hl-python highlight"><pre tabindex="0">')
    return f'<link rel="stylesheet" href="{source}">\n' + INLINED_BY_PLUGIN.sub("", html)
