"""Tab groups that show one operation three ways: Python SDK, YAML and Azure CLI."""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

from tests.site.pages import INCLUDE, ROOT, pages

LABELS = ("Python SDK", "YAML", "Azure CLI")
TAB = re.compile(r'^=== "(?P<label>[^"]+)"\s*$')


@dataclass
class TabGroup:
    page: Path
    line: int
    files: dict[str, list[str]]  # tab label -> snippet paths included in that tab

    @property
    def where(self) -> str:
        return f"{self.page.relative_to(ROOT)}:{self.line}"


def tab_groups(page: Path) -> list[TabGroup]:
    """Consecutive `=== "label"` tabs whose labels are the three forms of an operation."""
    groups, current, label = [], None, None
    for number, line in enumerate(page.read_text(encoding="utf-8").splitlines(), start=1):
        tab = TAB.match(line)
        if tab and tab["label"] in LABELS:
            if tab["label"] == LABELS[0] or current is None:
                current = TabGroup(page, number, {})
                groups.append(current)
            label = tab["label"]
            current.files[label] = []
        elif current is not None and line.strip() and not line.startswith((" ", "\t")):
            current, label = None, None
        elif current is not None and (include := INCLUDE.match(line)):
            current.files[label].append(include["path"])
    return groups


def all_tab_groups() -> list[TabGroup]:
    return [group for page in pages() for group in tab_groups(page)]
