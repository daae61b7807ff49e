"""Checks that run the project's tools: lint, shell, workflows, and the network switch."""

import json
import re
import socket
import subprocess
import sys
from pathlib import Path

import azure.ai.ml as aml
import pytest
import yaml
from azure.ai.ml.entities._load_functions import (
    load_model_batch_deployment,
    load_pipeline_component_batch_deployment,
    load_schedule,
)
from pytest_socket import SocketBlockedError

from tests.site.pages import ROOT, SNIPPETS

BIN = Path(sys.executable).parent
WORKFLOWS = sorted((ROOT / ".github" / "workflows").glob("*.yml"))
SHELL_SNIPPETS = sorted(SNIPPETS.rglob("*.sh"))


def load_batch_deployment(path: Path):
    """Like the CLI, read a batch deployment with the schema its `type` names."""
    kind = yaml.safe_load(path.read_text()).get("type")
    loader = {"model": load_model_batch_deployment, "pipeline": load_pipeline_component_batch_deployment}
    return loader.get(kind, aml.load_batch_deployment)(path)


# `az ml <kind> create --file X`: the SDK loader that must accept X.
LOADERS = {
    "batch-deployment": load_batch_deployment,
    "batch-endpoint": aml.load_batch_endpoint,
    "component": aml.load_component,
    "compute": aml.load_compute,
    "data": aml.load_data,
    "datastore": aml.load_datastore,
    "environment": aml.load_environment,
    "job": aml.load_job,
    "model": aml.load_model,
    "online-deployment": aml.load_online_deployment,
    "online-endpoint": aml.load_online_endpoint,
    "schedule": load_schedule,
    "workspace": aml.load_workspace,
}
AZ_CREATE = re.compile(r"az ml ([\w-]+) create\b.*?--file\s+\"?([\w./-]+)")


def run(*command: str) -> subprocess.CompletedProcess:
    return subprocess.run(command, cwd=ROOT, capture_output=True, text=True, check=False)


def test_ruff_is_clean_on_snippets_and_tests():
    result = run(str(BIN / "ruff"), "check", "--no-cache", "snippets", "tests", "hooks", "bench")
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("script", SHELL_SNIPPETS, ids=lambda p: str(p.relative_to(SNIPPETS)))
def test_shell_snippet_is_shellcheck_clean(script):
    result = run(str(BIN / "shellcheck"), "--shell=bash", str(script))
    assert result.returncode == 0, result.stdout


def az_ml_creates():
    """(script, kind, YAML file) for each `az ml <kind> create --file <YAML>` in a shell snippet."""
    return [
        pytest.param(script, kind, name, id=f"{script.relative_to(SNIPPETS)}:{name}")
        for script in SHELL_SNIPPETS
        for kind, name in AZ_CREATE.findall(script.read_text().replace("\\\n", " "))
    ]


@pytest.mark.parametrize(("script", "kind", "name"), az_ml_creates())
def test_yaml_named_by_az_ml_create_loads_with_the_sdk(script, kind, name):
    LOADERS[kind](script.parent / name)  # an invalid file fails with the SDK's own message


def test_workflows_match_the_github_schema():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.github-workflows", *map(str, WORKFLOWS))
    assert len(WORKFLOWS) >= 2 and result.returncode == 0, result.stdout + result.stderr


def test_dependabot_config_matches_its_schema():
    result = run(str(BIN / "check-jsonschema"), "--builtin-schema", "vendor.dependabot", ".github/dependabot.yml")
    assert result.returncode == 0, result.stdout + result.stderr


def test_workflows_have_no_medium_or_high_zizmor_finding():
    result = run(str(BIN / "zizmor"), "--offline", "--min-severity", "medium", "--format", "json", *map(str, WORKFLOWS))
    assert json.loads(result.stdout) == [], result.stdout


def test_the_network_is_off_in_tests():
    with pytest.warns(UserWarning, match="socket"), pytest.raises(SocketBlockedError):
        socket.create_connection(("192.0.2.1", 443), timeout=1)
