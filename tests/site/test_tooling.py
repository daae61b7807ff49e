"""Checks that run the project's tools: lint, shell, workflows, and the network switch."""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
from pytest_socket import SocketConnectBlockedError

from tests.site.pages import ROOT, SNIPPETS

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHELL_SNIPPETS = sorted(SNIPPETS.rglob("*.sh"))


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean_on_snippets_and_tests():
    result = run(str(BIN / "ruff"), "check", "--no-cache", "snippets", "tests", "hooks", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", SHELL_SNIPPETS, ids=lambda p: str(p.relative_to(SNIPPETS)))
def test_shell_snippet_is_shellcheck_clean(script):
    result = run(str(BIN / "shellcheck"), "--shell=bash", str(script))
    assert result.returncode == 0, result.stdout


def test_workflows_match_the_github_schema():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert len(WORKFLOWS) >= 2 and result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_its_schema():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", ".github/dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_github_folder_has_no_medium_or_high_zizmor_finding():
    """Workflows and the Dependabot configuration alike."""
    result = run(str(BIN / "zizmor"), "--offline", "--min-severity", "medium", "--format", "json", ".github")
    assert json.loads(result.stdout) == [], result.stdout


def test_the_network_is_off_in_tests():
    # loopback only: the tests' own MLflow tracking server (tests/fake_azure/mlflow_server.py)
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
