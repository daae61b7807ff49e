"""Checks that run the project's tools: lint, shell, workflows, and the network switch."""

import json
import socket
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
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


# Every GitHub Actions workflow the project runs or the site offers (a pipeline job's YAML has
# `jobs:` too, but no `on:` trigger).
ALL_WORKFLOWS = [*WORKFLOWS, *(path for path in SNIPPETS.rglob("*.yml") if "\non:" in path.read_text())]


def oidc_jobs_without_id_token(workflow: dict) -> list[str]:
    """azure/login signs in through OIDC only with `id-token: write`; a job's own `permissions`
    replace the workflow's (https://github.com/Azure/login#login-with-openid-connect-oidc-recommended,
    https://docs.github.com/actions/using-jobs/assigning-permissions-to-jobs)."""
    return [name for name, job in workflow["jobs"].items()
            if any(str(step.get("uses", "")).startswith("azure/login@") for step in job.get("steps", []))
            and job.get("permissions", workflow.get("permissions", {})).get("id-token") != "write"]


@pytest.mark.parametrize("path", ALL_WORKFLOWS, ids=lambda p: str(p.relative_to(ROOT)))
def test_a_job_that_signs_in_to_azure_may_ask_for_an_oidc_token(path):
    assert oidc_jobs_without_id_token(yaml.safe_load(path.read_text())) == []


def test_a_job_without_id_token_write_is_found():
    job = {"steps": [{"uses": "azure/login@532459ea530d8321f2fb9bb10d1e0bcf23869a43"}]}
    assert oidc_jobs_without_id_token({"permissions": {"id-token": "write"}, "jobs": {
        "own": {**job, "permissions": {"contents": "read"}}, "inherits": job}}) == ["own"]


def test_the_network_is_off_in_tests():
    # loopback only: the tests' own MLflow tracking server (tests/fake_azure/mlflow_server.py)
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketConnectBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
