"""No credential in what the site shows: detect-secrets, with its default plugins and filters."""

import base64
import json
import os
import subprocess
import sys
from pathlib import Path

from tests.site.pages import ROOT

DETECT_SECRETS = Path(sys.executable).parent / "detect-secrets"
# Mermaid's minified bundle is a vendored third-party file (3.5 MB, half the scan's time), not our text.
VENDORED = r"docs/assets/javascripts/mermaid\.min\.js$"


def secrets_found(*paths: str, cwd: Path = ROOT) -> dict[str, list[dict]]:
    """detect-secrets' findings per file, offline (--no-verify: no found key is tried against its service)."""
    scan = subprocess.run(
        [str(DETECT_SECRETS), "scan", "--all-files", "--no-verify", "--exclude-files", VENDORED, *paths],
        cwd=cwd, capture_output=True, text=True, check=True,
    )
    return json.loads(scan.stdout)["results"]


def test_docs_and_snippets_hold_no_secret():
    assert secrets_found("docs", "snippets") == {}


def test_the_scan_finds_a_storage_key_written_into_a_snippet(tmp_path):
    """The scan above can fail: a realistic (random) account key in a snippet folder is found."""
    key = base64.b64encode(os.urandom(64)).decode()
    (tmp_path / "snippets" / "ch07_data").mkdir(parents=True)
    (tmp_path / "snippets" / "ch07_data" / "datastore.py").write_text(
        f'account_key = "{key}"\n'
        f'connection = "DefaultEndpointsProtocol=https;AccountName=mlstore;AccountKey={key};"\n'
    )
    found = {finding["type"] for finding in secrets_found("snippets", cwd=tmp_path)["snippets/ch07_data/datastore.py"]}
    assert {"Secret Keyword", "Azure Storage Account access key"} <= found
