"""The same tree builds to the same site, byte for byte.

The build's only input besides the tree is the date: MkDocs writes it into sitemap.xml
(<lastmod>) and into sitemap.xml.gz's gzip header, both taken from SOURCE_DATE_EPOCH
when set (the Makefile sets it to the last commit's time), else from the clock.
Everything else, the notebook page included, is the same on every build.
"""

import gzip
import os
import re
import subprocess
import sys
from pathlib import Path

from tests.site.pages import ROOT

MKDOCS = Path(sys.executable).parent / "mkdocs"
NEW_YEAR_2025 = 1735689600  # 2025-01-01T00:00:00Z: a midnight, as the sitemap's dates have no time


def build(site: Path) -> dict[str, bytes]:
    """Every file of a strict build, by its path in the site."""
    subprocess.run(
        [str(MKDOCS), "build", "--strict", "--quiet", "-d", str(site)], cwd=ROOT, check=True,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1", "SOURCE_DATE_EPOCH": str(NEW_YEAR_2025)},
    )
    return {path.relative_to(site).as_posix(): path.read_bytes() for path in site.rglob("*") if path.is_file()}


def test_two_builds_of_the_same_tree_are_identical(tmp_path):
    first, second = build(tmp_path / "first"), build(tmp_path / "second")
    assert sorted(first) == sorted(second)
    assert [name for name in first if first[name] != second[name]] == []
    # The one date in the site is SOURCE_DATE_EPOCH's, not the clock's.
    assert set(re.findall(rb"<lastmod>(.*?)</lastmod>", first["sitemap.xml"])) == {b"2025-01-01"}
    assert gzip.decompress(first["sitemap.xml.gz"]) == first["sitemap.xml"]
    assert int.from_bytes(first["sitemap.xml.gz"][4:8], "little") == NEW_YEAR_2025  # gzip's MTIME field
