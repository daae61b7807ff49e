"""The checked-in fact tables (``facts/*.yml``, each naming its source), read once."""

from __future__ import annotations

import functools
from pathlib import Path

import yaml

FACTS = Path(__file__).parent / "facts"


@functools.cache
def facts(name: str) -> dict:
    return yaml.safe_load((FACTS / f"{name}.yml").read_text())


def curated_environments() -> list[dict]:
    """Curated environments every workspace lists (name, version, image), from ``curated_environments.yml``."""
    return facts("curated_environments")["environments"]
