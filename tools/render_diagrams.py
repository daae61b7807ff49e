"""Render every Mermaid diagram of the pages to SVG, light and dark (``make diagrams``).

Drives Debian's Chromium (``CHROMIUM``) through Playwright with the Mermaid kept in tools/;
writes ``docs/assets/diagrams/<page>.svg`` and ``<page>.dark.svg``, each starting with the
hash of what it was drawn from, and removes SVGs no page draws any more.
"""

from __future__ import annotations

import hashlib
import os
import sys
from pathlib import Path

from playwright.sync_api import sync_playwright

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
from hooks.diagrams import FOLDER, page_diagrams, svg_path  # noqa: E402

DOCS = ROOT / "docs"
MERMAID = ROOT / "tools" / "mermaid.min.js"
MERMAID_THEMES = {"light": "default", "dark": "dark"}
HASH_LINE = "<!-- drawn from sha256:{} -->\n"
RENDER = """async ([id, source, theme]) => {
  mermaid.initialize({startOnLoad: false, theme, htmlLabels: false, flowchart: {htmlLabels: false},
                      fontFamily: 'Arial, Helvetica, sans-serif', securityLevel: 'strict'});
  const {svg} = await mermaid.render(id, source);
  return svg;
}"""


def source_hash(source: str, theme: str) -> str:
    """What an SVG depends on: the diagram's source, the theme and the Mermaid release."""
    return hashlib.sha256(MERMAID.read_bytes() + theme.encode() + source.encode()).hexdigest()


def all_diagrams() -> dict[str, str]:
    """Every diagram on the site: its name, and its Mermaid source."""
    found = {}
    for page in sorted(DOCS.rglob("*.md")):
        found.update(page_diagrams(page.relative_to(DOCS).as_posix(), page.read_text(encoding="utf-8")))
    return found


def main() -> None:
    diagrams = all_diagrams()
    wanted = {DOCS / svg_path(name, theme) for name in diagrams for theme in MERMAID_THEMES}
    (DOCS / FOLDER).mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=os.environ.get("CHROMIUM", "/usr/bin/chromium"))
        page = browser.new_page()
        page.add_script_tag(path=str(MERMAID))
        for name, source in diagrams.items():
            for theme, mermaid_theme in MERMAID_THEMES.items():
                target = DOCS / svg_path(name, theme)
                stamp = HASH_LINE.format(source_hash(source, theme))
                if target.is_file() and target.read_text(encoding="utf-8").startswith(stamp):
                    continue
                svg = page.evaluate(RENDER, [f"diagram-{name}", source, mermaid_theme])
                target.write_text(stamp + svg + "\n", encoding="utf-8")
                print(f"drew {target.relative_to(ROOT)}")
        browser.close()
    for stale in sorted(set((DOCS / FOLDER).glob("*.svg")) - wanted):
        stale.unlink()
        print(f"removed {stale.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
