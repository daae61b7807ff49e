"""Every Bicep file the site offers passes checkov's Azure policies, read offline.

No Bicep compiler installs on these machines, so checkov 3.3.30 (its own venv, `make test`
builds it) parses the files itself. One run covers every ``.bicep`` file under ``snippets/``;
a file checkov cannot parse, a failed policy, or a skip without its reason fails the suite.
A skip is written inside the resource it excuses:
``// checkov:skip=CKV_AZURE_35: the reason, in words``.
"""

import functools
import json
import subprocess
from pathlib import Path

import pytest

from tests.site.pages import ROOT, SNIPPETS

CHECKOV = ROOT / ".venv-checkov" / "bin" / "checkov"
BICEP_FILES = sorted(SNIPPETS.rglob("*.bicep"))


@functools.cache
def report() -> dict:
    """checkov's JSON report over snippets/, Bicep only, without fetching anything."""
    result = subprocess.run(
        [str(CHECKOV), "--directory", str(SNIPPETS), "--framework", "bicep", "--skip-download", "--output", "json"],
        capture_output=True, text=True, check=False, cwd=ROOT,
    )
    assert result.stdout.lstrip().startswith("{"), f"checkov gave no report: {result.stderr[-2000:]}"
    return json.loads(result.stdout)


def as_checkov_parses(path: Path) -> dict:
    """A Bicep file as checkov's own parser reads it: ``resources`` (each one's config, by symbolic
    name), their ``types`` and ``variables``, for tests that compare a template with what Azure is sent.
    Each call gets its own copy; the parser runs once a file."""
    return json.loads(_checkov_parse(path))


@functools.cache  # one checkov process a file; the callers get copies, which they may change
def _checkov_parse(path: Path) -> str:
    read = ("import json, sys; from pathlib import Path; from checkov.bicep.parser import Parser; "
            "template, _ = Parser().parse(Path(sys.argv[1])); "
            "print(json.dumps({'resources': {k: v['config'] for k, v in template['resources'].items()}, "
            "'types': {k: v['type'] for k, v in template['resources'].items()}, "
            "'variables': {k: v['value'] for k, v in template['variables'].items()}}, default=str))")
    done = subprocess.run([str(CHECKOV.parent / "python"), "-c", read, str(path)],
                          capture_output=True, text=True, check=True)
    return done.stdout


def checks(kind: str, path: Path) -> list[dict]:
    relative = "/" + str(path.relative_to(SNIPPETS))
    return [check for check in report()["results"].get(kind, []) if check["file_path"] == relative]


def where(check: dict, path: Path) -> str:
    line = check["file_line_range"][0]
    return f"{path.relative_to(ROOT)}:{line}: {check['check_id']} {check['check_name']}"


def test_the_site_offers_bicep_files():
    assert len(BICEP_FILES) >= 2


def test_checkov_parses_every_bicep_file():
    assert report()["results"].get("parsing_errors", []) == []
    assert report()["summary"]["resource_count"] > 0


@pytest.mark.parametrize("path", BICEP_FILES, ids=lambda p: str(p.relative_to(SNIPPETS)))
def test_bicep_file_passes_azure_policies(path):
    assert checks("passed_checks", path) or checks("skipped_checks", path), f"checkov checked nothing in {path}"
    failed = [where(check, path) for check in checks("failed_checks", path)]
    assert failed == [], "\n".join(failed)


@pytest.mark.parametrize("path", BICEP_FILES, ids=lambda p: str(p.relative_to(SNIPPETS)))
def test_every_skip_says_why(path):
    unexplained = [where(check, path) for check in checks("skipped_checks", path)
                   if len(check["check_result"].get("suppress_comment", "").strip()) < 15]
    assert unexplained == [], "a skip needs its reason after the colon:\n" + "\n".join(unexplained)
