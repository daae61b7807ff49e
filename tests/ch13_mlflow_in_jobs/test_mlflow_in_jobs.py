"""Chapter 13: the training script logs to a real MLflow store as it would in a job,
read_runs.py reads it back, and the job itself goes to the fake workspace."""

import os
import re
import runpy
import shlex
import sys
from pathlib import Path

import mlflow
import pandas as pd
import pytest
import yaml
from mlflow import MlflowClient
from sklearn.datasets import make_classification

from tests.conftest import DIABETES_COLUMNS, SNIPPETS, diabetes_csv, fresh_tracking_uri

TRAIN = SNIPPETS / "ch13_mlflow_in_jobs" / "src" / "train.py"
EXPERIMENT = "diabetes-training"
EPOCHS = 8
JOB_EPOCHS = 20  # the epochs input of submit_job.py
FEATURES = ["Pregnancies", "PlasmaGlucose", "BloodPressure", "SerumInsulin", "BMI"]


# --- the job, sent to the fake workspace -------------------------------------------


@pytest.fixture
def workspace(cluster_and_data):
    """The workspace as the earlier chapters leave it (chapters 7 and 8)."""
    return cluster_and_data


def test_submit_job_sends_the_tracked_training_job(workspace, run_snippet):
    script = run_snippet("ch13_mlflow_in_jobs/submit_job.py")

    (job,) = workspace.created("jobs")
    assert job.environment == "azureml:AzureML-sklearn-1.5@latest"
    assert (job.experiment_name, job.display_name) == (EXPERIMENT, "diabetes-sgd-tracked")
    sent = job._to_job()
    assert sent.inputs["diabetes_data"].type == "uri_file"
    assert (sent.inputs["epochs"], sent.inputs["alpha"]) == (20, 0.0001)
    assert sent.outputs["model_output"].type == "uri_folder"

    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (script["returned_job"].name,)

    # what Azure holds: the job, finished, each reference resolved to a resource of the workspace
    stored = workspace.get("jobs", script["returned_job"].name)
    assert (stored.status, stored.experiment_name) == ("Completed", EXPERIMENT)
    assert stored.compute.endswith("/computes/cpu-cluster")
    assert stored.inputs["diabetes_data"].path.endswith("/data/diabetes-data/versions/1")
    *_, code_name, _, code_version = stored.code.split("/")
    assert Path(workspace.get("_code", code_name, version=code_version).path).name == "src"  # ./src, uploaded
    assert set(stored.outputs) == {"model_output", "default"}  # Azure adds the default artifacts output


def test_job_command_matches_the_script_arguments(workspace, run_snippet):
    """Every --option in the command exists in train.py, and every placeholder names an input or output."""
    job = run_snippet("ch13_mlflow_in_jobs/submit_job.py")["job"]
    placeholders = re.findall(r"\$\{\{(inputs|outputs)\.(\w+)\}\}", job.command)
    assert {name for kind, name in placeholders if kind == "inputs"} == set(job.inputs)
    assert {name for kind, name in placeholders if kind == "outputs"} == set(job.outputs)

    argv = shlex.split(re.sub(r"\$\{\{\w+\.(\w+)\}\}", r"1", job.command))[1:]
    parse_args = runpy.run_path(str(TRAIN))["parse_args"]
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sys, "argv", argv)
        args = parse_args()  # an unknown option would exit with an error
    assert (args.training_data, args.epochs, args.alpha, args.model_output) == ("1", 1, 1.0, "1")


# --- the training script, on a real MLflow store, the way a job runs it ---------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """A tracking store holding the 'job' run (resumed through MLFLOW_RUN_ID) and one local run."""
    folder = tmp_path_factory.mktemp("ch13")
    X, y = make_classification(n_samples=300, n_features=5, n_informative=3, random_state=0)
    csv = folder / "diabetes.csv"
    pd.DataFrame(X, columns=FEATURES).assign(Diabetic=y).to_csv(csv, index=False)
    uri = fresh_tracking_uri(folder)

    with pytest.MonkeyPatch.context() as patch:
        patch.chdir(folder)  # artifacts go under this folder, never into the repository
        client = MlflowClient(uri)
        # What Azure ML does before the script starts: create the experiment and the job's run
        job_run = client.create_run(client.create_experiment(EXPERIMENT), run_name="diabetes-sgd-tracked")
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.setenv("MLFLOW_EXPERIMENT_NAME", EXPERIMENT)
        patch.setenv("MLFLOW_RUN_ID", job_run.info.run_id)
        train(patch, csv, folder / "job_model", "--alpha", "0.0001")
        run_id_left = os.environ.get("MLFLOW_RUN_ID")
        # A second run, started locally: no run ID, so the script creates a new run
        patch.delenv("MLFLOW_RUN_ID", raising=False)
        train(patch, csv, folder / "local_model", "--alpha", "0.1")
        yield {"uri": uri, "job": job_run.info.run_id, "folder": folder, "run_id_left": run_id_left}
    mlflow.set_tracking_uri(None)


def train(patch, csv, model_output, *extra):
    argv = ["train.py", "--training_data", str(csv), "--epochs", str(EPOCHS), "--model_output", str(model_output)]
    patch.setattr(sys, "argv", [*argv, *extra])
    runpy.run_path(str(TRAIN), run_name="__main__")


def test_the_script_logs_into_the_job_run(store):
    client = MlflowClient(store["uri"])
    run = client.get_run(store["job"])  # the run Azure ML "created", not a new one

    assert run.info.status == "FINISHED"
    assert client.get_experiment(run.info.experiment_id).name == EXPERIMENT
    # The local run (no MLFLOW_RUN_ID) went to the same experiment, through MLFLOW_EXPERIMENT_NAME
    all_runs = client.search_runs([run.info.experiment_id])
    assert sorted(r.data.params["alpha"] for r in all_runs) == ["0.0001", "0.1"]
    assert run.data.params == {"epochs": str(EPOCHS), "alpha": "0.0001", "loss": "log_loss", "training_rows": "210"}
    assert set(run.data.metrics) == {"train_log_loss", "val_log_loss", "val_accuracy", "val_auc"}
    assert 0.6 < run.data.metrics["val_auc"] <= 1.0

    history = client.get_metric_history(store["job"], "val_log_loss")
    assert sorted(m.step for m in history) == list(range(1, EPOCHS + 1))

    # Folders by the run's artifact URI: with a path, MlflowClient.list_artifacts looks for a logged model
    files = {a.path for a in client.list_artifacts(store["job"])}
    files |= {f"{folder}/{a.path.rsplit('/', 1)[-1]}" for folder in ("plots", "evaluation")
              for a in mlflow.artifacts.list_artifacts(f"{run.info.artifact_uri}/{folder}", tracking_uri=store["uri"])}
    assert {"plots/roc_curve.png", "summary.json", "classification_report.txt", "evaluation/predictions.csv"} <= files


def test_start_run_resumes_the_job_run_only_once(store):
    # start_run took the run ID out of the environment: a second start_run would create a new run
    assert store["run_id_left"] is None


def test_each_value_is_logged_once(store):
    """No duplicates: one value per metric without a step, one value per epoch for the curves."""
    client = MlflowClient(store["uri"])
    for name, expected in {"val_auc": 1, "val_accuracy": 1, "train_log_loss": EPOCHS, "val_log_loss": EPOCHS}.items():
        assert len(client.get_metric_history(store["job"], name)) == expected


def test_model_is_saved_to_the_output_folder(store):
    model = mlflow.sklearn.load_model(str(store["folder"] / "job_model"))
    assert list(model.named_steps) == ["scale", "classify"]
    assert (store["folder"] / "job_model" / "MLmodel").is_file()


# --- reading the runs back ----------------------------------------------------------


def test_read_runs_finds_the_job_run_and_downloads(workspace, run_snippet, tmp_path, monkeypatch, capsys):
    workspace.set_tracking_uri(fresh_tracking_uri(tmp_path))
    # Azure ML creates the job's MLflow run (its ID is the job's name) and runs train.py in it
    job_name = run_snippet("ch13_mlflow_in_jobs/submit_job.py")["returned_job"].name
    # a run started locally, with another alpha, in the same experiment: the search leaves it out
    csv = tmp_path / "diabetes.csv"
    csv.write_bytes(diabetes_csv())
    monkeypatch.setenv("MLFLOW_TRACKING_URI", workspace.get("workspaces", "mlw-dp100-labs").mlflow_tracking_uri)
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", EXPERIMENT)
    train(monkeypatch, csv, tmp_path / "local_model", "--alpha", "0.1")
    monkeypatch.delenv("MLFLOW_TRACKING_URI")
    capsys.readouterr()

    found = run_snippet("ch13_mlflow_in_jobs/read_runs.py", job_name)

    # search_runs: the filter on alpha keeps the job run and drops the local one
    assert list(found["runs"]["run_id"]) == [job_name]
    assert found["run"].info.run_id == job_name
    assert found["run"].data.params["epochs"] == str(JOB_EPOCHS)
    assert [step for step, _ in found["curve"]] == list(range(1, JOB_EPOCHS + 1))

    assert (Path(found["plots"]) / "roc_curve.png").stat().st_size > 0
    assert Path(found["plots"]).parent.name == "downloads"
    assert found["summary"]["features"] == DIABETES_COLUMNS[:-1]  # every column of the uploaded CSV but the label
    assert found["summary"]["val_auc"] == pytest.approx(found["run"].data.metrics["val_auc"])

    (download,) = workspace.sent("jobs", "download")
    assert download.args == (job_name,)
    assert download.kwargs == {"output_name": "model_output", "download_path": "downloads"}
    # the SDK asks run history for the output, then copies its files under named-outputs/<output>
    model = Path("downloads", "named-outputs", "model_output")
    # saved in the job's environment (its own scikit-learn), in a format MLflow alone can load
    flavor = yaml.safe_load((model / "MLmodel").read_text())["flavors"]["sklearn"]
    assert flavor["serialization_format"] == "cloudpickle"

    out = capsys.readouterr().out
    assert f"val_log_loss: {JOB_EPOCHS} steps" in out
    assert "status: FINISHED" in out
