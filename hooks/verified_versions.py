"""Under the title of every page that shows snippets, name the package versions they were tested with.

The versions are read from the installed packages at build time, so the line cannot drift
from what the test suite ran against.
"""

import posixpath
import re
from importlib.metadata import version

PACKAGES = ("azure-ai-ml", "mlflow")
TITLE = re.compile(r"^# .+$", re.M)


def on_page_markdown(markdown, page, config, files):
    if "--8<--" not in markdown:
        return markdown
    tested = ", ".join(f"`{name} {version(name)}`" for name in PACKAGES)
    link = posixpath.relpath("verified.md", posixpath.dirname(page.file.src_uri) or ".")
    line = f'Verified with {tested} — [what "verified" means]({link})\n{{: .verified-with data-search-exclude }}'
    return TITLE.sub(lambda title: f"{title.group(0)}\n\n{line}", markdown, count=1)
