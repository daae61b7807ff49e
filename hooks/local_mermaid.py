"""Serve Mermaid from the site itself, and only on pages that have a diagram.

Material loads Mermaid from a CDN unless ``window.mermaid`` already exists, so a
page with a diagram gets the site's own copy just before Material's bundle.
"""

import re

MERMAID = "assets/javascripts/mermaid.min.js"
BUNDLE = re.compile(r'<script src="[^"]*assets/javascripts/bundle\.[^"]+"')


def on_post_page(html, page, config):
    if 'class="mermaid"' not in html:
        return html
    source = "../" * page.url.count("/") + MERMAID
    return BUNDLE.sub(lambda bundle: f'<script src="{source}"></script>\n    {bundle.group(0)}', html, count=1)
