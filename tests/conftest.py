"""Shared fixtures: the fake workspace, and running a snippet as the reader would."""

from __future__ import annotations

import os
import runpy
import shutil
import sys
from pathlib import Path

import mlflow
import pytest
from azure.ai.ml import MLClient

from tests.fake_workspace import FakeWorkspace

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"

# Saving an MLflow model infers its pip requirements in a subprocess that re-imports the
# libraries (seconds per model); with no time for it, MLflow records its default list.
os.environ["MLFLOW_REQUIREMENTS_INFERENCE_TIMEOUT"] = "0"


@pytest.fixture(autouse=True)
def forget_mlflow_state():
    """MLflow keeps the active run and experiment in globals: no test inherits another's."""
    yield
    while mlflow.active_run():
        mlflow.end_run()
    mlflow.tracking.fluent._active_experiment_id = None


@pytest.fixture
def workspace(monkeypatch) -> FakeWorkspace:
    """Every ``MLClient`` built while the test runs talks to one in-memory workspace."""
    fake = FakeWorkspace()
    real_init = MLClient.__init__

    def init_then_fake(client, *args, **kwargs):
        real_init(client, *args, **kwargs)
        fake.install(client)

    monkeypatch.setattr(MLClient, "__init__", init_then_fake)
    return fake


@pytest.fixture
def run_snippet(tmp_path, monkeypatch):
    """Run ``snippets/<path>`` as a script, from a scratch copy of its folder.

    The file itself is executed (so coverage and tracebacks name it), while the
    working directory is a copy of its folder with ``config.json`` beside it:
    relative paths resolve as they would for a reader, and nothing is written
    into the repository.
    """

    def run(path: str, *argv: str) -> dict:
        script = SNIPPETS / path
        workdir = tmp_path / script.parent.name
        if not workdir.exists():
            shutil.copytree(script.parent, workdir)
            shutil.copy(SNIPPETS / "config.json", workdir / "config.json")
        monkeypatch.chdir(workdir)
        monkeypatch.setattr(sys, "argv", [str(script), *argv])
        return runpy.run_path(str(script), run_name="__main__")

    return run
