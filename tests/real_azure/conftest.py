"""Snippets run against a real workspace (``pytest --real-azure``, ``make test-azure``).

The fake is off: requests go to Azure with the credential ``az login`` (or the workflow's
OIDC login) left. Each snippet runs from a scratch copy of its folder with a ``config.json``
naming the workspace from the environment, under names made unique for the run, and what a
test creates is deleted (or archived, for assets Azure keeps) when it ends.
"""

from __future__ import annotations

import json
import os
import runpy
import shutil
import sys
import uuid
from collections.abc import Callable

import pytest
from azure.ai.ml import MLClient
from azure.core.exceptions import ResourceNotFoundError
from azure.identity import DefaultAzureCredential

from tests.conftest import SNIPPETS

WORKSPACE_VARIABLES = {"subscription_id": "AZURE_SUBSCRIPTION_ID", "resource_group": "AZURE_RESOURCE_GROUP",
                       "workspace_name": "AZUREML_WORKSPACE_NAME"}


@pytest.fixture(scope="session")
def workspace_ids() -> dict[str, str]:
    missing = [name for name in WORKSPACE_VARIABLES.values() if not os.environ.get(name)]
    if missing:
        pytest.fail(f"--real-azure needs {', '.join(missing)} (the workflow sets them from repository variables)")
    return {key: os.environ[name] for key, name in WORKSPACE_VARIABLES.items()}


@pytest.fixture(scope="session")
def suffix() -> str:
    """Unique per run, so runs in parallel (or a run after a failed clean-up) never collide."""
    return os.environ.get("NAME_SUFFIX") or uuid.uuid4().hex[:8]


@pytest.fixture
def ml_client(workspace_ids) -> MLClient:
    return MLClient(DefaultAzureCredential(), **workspace_ids)


@pytest.fixture
def clean_up():
    """Register what a test creates; each is removed at the end, even when the test fails."""
    steps: list[Callable[[], object]] = []
    yield steps.append
    for step in reversed(steps):
        try:
            step()
        except ResourceNotFoundError:
            pass  # the snippet failed before creating it


@pytest.fixture
def run_on_azure(tmp_path, monkeypatch, workspace_ids):
    """Run ``snippets/<path>`` with each quoted name in ``renames`` replaced by its unique one."""

    def run(path: str, renames: dict[str, str] | None = None) -> dict:
        script = SNIPPETS / path
        workdir = tmp_path / script.parent.name
        shutil.copytree(script.parent, workdir, dirs_exist_ok=True)
        (workdir / "config.json").write_text(json.dumps(workspace_ids))
        text = script.read_text(encoding="utf-8")
        for old, new in (renames or {}).items():
            assert f'"{old}"' in text, f"snippets/{path} no longer names {old!r}: update the real-Azure test"
            text = text.replace(f'"{old}"', f'"{new}"')
        (workdir / script.name).write_text(text, encoding="utf-8")
        monkeypatch.chdir(workdir)
        monkeypatch.setattr(sys, "argv", [str(workdir / script.name)])
        return runpy.run_path(str(workdir / script.name), run_name="__main__")

    return run
