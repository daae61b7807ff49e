"""Chapter 11: MLflow tracking from a notebook, run for real against the tests' MLflow server."""

import json
import os
import subprocess
import sys

import mlflow
import mlflow.tracking.fluent
import nbformat
import pytest
from mlflow import MlflowClient
from nbclient import NotebookClient

from tests.conftest import SNIPPETS, fresh_tracking_uri
from tests.fake_azure.mlflow_server import tracking_server

FOLDER = SNIPPETS / "ch11_mlflow_notebooks"
EXPERIMENT = "heart-condition-classifier"

@pytest.fixture(scope="module")
def tracking_uri(tmp_path_factory):
    """One tracking store for the scripts of this module, created once."""
    return fresh_tracking_uri(tmp_path_factory.mktemp("mlflow"))


@pytest.fixture
def clean_mlflow(monkeypatch):
    """Leave MLflow's process-wide state (URI, experiment, autolog) as it was found."""
    monkeypatch.delenv("MLFLOW_TRACKING_URI", raising=False)  # restored by monkeypatch afterwards
    monkeypatch.setattr(mlflow.tracking.fluent, "_active_experiment_id", None)
    yield
    mlflow.xgboost.autolog(disable=True)
    mlflow.set_tracking_uri(None)


@pytest.fixture
def tracking(tracking_uri, clean_mlflow, monkeypatch) -> MlflowClient:
    monkeypatch.setenv("MLFLOW_TRACKING_URI", tracking_uri)
    return MlflowClient(tracking_uri)


def artifact_names(client: MlflowClient, run_id: str) -> set[str]:
    return {artifact.path for artifact in client.list_artifacts(run_id)}


def test_autolog_records_params_metrics_and_model(tracking, run_snippet, capsys):
    ran = run_snippet("ch11_mlflow_notebooks/autolog_xgboost.py")

    run = tracking.get_run(ran["run"].info.run_id)
    assert tracking.get_experiment(run.info.experiment_id).name == EXPERIMENT
    assert run.data.tags["mlflow.runName"] == "xgboost-autolog"
    # Parameters come from the estimator and from the training call.
    assert run.data.params["eval_metric"] == "logloss"
    assert run.data.params["num_boost_round"] == "100"
    # One metric per evaluation set, logged for every boosting round.
    assert 0 < run.data.metrics["validation_0-logloss"] < 0.3
    history = tracking.get_metric_history(run.info.run_id, "validation_0-logloss")
    assert len(history) == 100
    assert {"feature_importance_weight.json", "feature_importance_weight.png"} <= artifact_names(
        tracking, run.info.run_id
    )
    assert "model" not in artifact_names(tracking, run.info.run_id)  # log_models=False: Azure ML has no logged models
    assert f"Logged run {run.info.run_id}" in capsys.readouterr().out


def test_custom_logging_logs_only_your_own_calls(tracking, run_snippet):
    mlflow.xgboost.autolog()  # as if an earlier notebook cell had switched it on

    ran = run_snippet("ch11_mlflow_notebooks/custom_logging_xgboost.py")

    run = tracking.get_run(ran["run"].info.run_id)
    assert tracking.get_experiment(run.info.experiment_id).name == EXPERIMENT
    assert run.data.params == {"max_depth": "3", "learning_rate": "0.1"}
    assert set(run.data.metrics) == {"accuracy", "f1"}
    assert 0.9 < run.data.metrics["accuracy"] <= 1
    assert artifact_names(tracking, run.info.run_id) == {"confusion_matrix.png", "feature_importance.csv"}


def test_connect_sets_tracking_uri_from_workspace(workspace, run_snippet, clean_mlflow, capsys):
    # Azure's form: the workspace's region, then its full resource id
    region = workspace.get("workspaces", "mlw-dp100-labs").location
    uri = (
        f"azureml://{region}.api.azureml.ms/mlflow/v1.0/subscriptions/<your-subscription-id>"
        "/resourceGroups/rg-dp100-labs/providers/Microsoft.MachineLearningServices/workspaces/mlw-dp100-labs"
    )

    run_snippet("ch11_mlflow_notebooks/connect_mlflow_to_workspace.py")

    (call,) = workspace.sent("workspaces", "get")
    assert call.args == ("mlw-dp100-labs",)
    assert mlflow.get_tracking_uri() == uri
    assert capsys.readouterr().out == f"MLflow tracking URI: {uri}\n"


def test_check_packages_installs_only_what_is_missing(tmp_path):
    script = FOLDER / "check_packages.sh"
    # A stand-in `pip` that records its arguments and knows only mlflow.
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    fake_pip = fake_bin / "pip"
    fake_pip.write_text('#!/bin/sh\necho "$*" >> "$PIP_LOG"\n[ "$*" != "show azureml-mlflow" ]\n')
    fake_pip.chmod(0o755)
    log = tmp_path / "pip.log"
    env = {**os.environ, "PATH": f"{fake_bin}{os.pathsep}{os.environ['PATH']}", "PIP_LOG": str(log)}

    subprocess.run(["bash", script], env=env, check=True)  # noqa: S603, S607

    assert log.read_text().splitlines() == ["show mlflow", "show azureml-mlflow", "install azureml-mlflow"]


def test_notebook_runs_and_logs_both_runs(tracking, tracking_uri, tmp_path, monkeypatch):
    # A kernelspec that starts this very interpreter (the venv's), found before any user-wide one.
    spec = tmp_path / "jupyter" / "kernels" / "python3"
    spec.mkdir(parents=True)
    argv = [sys.executable, "-m", "ipykernel_launcher", "-f", "{connection_file}"]
    (spec / "kernel.json").write_text(json.dumps({"argv": argv, "display_name": "Python 3", "language": "python"}))
    monkeypatch.setenv("JUPYTER_PATH", str(tmp_path / "jupyter"))
    monkeypatch.setenv("JUPYTER_RUNTIME_DIR", str(tmp_path / "runtime"))
    monkeypatch.setenv("IPYTHONDIR", str(tmp_path / "ipython"))
    workdir = tmp_path / "work"
    workdir.mkdir()

    # The kernel inherits MLFLOW_TRACKING_URI (the module's store) from this process; the kernel
    # talks to it over zmq, on loopback.
    notebook = nbformat.read(FOLDER / "track_xgboost.ipynb", as_version=4)
    with tracking_server().speaking_for(tracking_uri, "snippets/ch11_mlflow_notebooks/track_xgboost.ipynb"):
        NotebookClient(notebook, timeout=180, resources={"metadata": {"path": str(workdir)}}).execute()

    outputs = [out for cell in notebook.cells if cell.cell_type == "code" for out in cell.outputs]
    assert not [out for out in outputs if out.output_type == "error"]
    experiment = tracking.get_experiment_by_name(EXPERIMENT)
    runs = {run.data.tags["mlflow.runName"]: run for run in tracking.search_runs([experiment.experiment_id])}
    autologged, custom = runs["autolog-depth-6"], runs["custom-depth-3"]
    assert autologged.data.params["max_depth"] == "6"
    assert {"accuracy", "validation_0-logloss"} <= set(autologged.data.metrics)
    assert custom.data.params == {"max_depth": "3"}
    assert set(custom.data.metrics) == {"accuracy"}
    # The filtered table printed by the last cell holds the custom run only.
    last = "".join(out.get("text", "") for out in notebook.cells[-2].outputs)
    assert "custom-depth-3" in last
    assert "autolog-depth-6" not in last
