"""Chapter 12: the command job (fake workspace) and its training script (real MLflow)."""

import runpy
import sys

import mlflow
import pandas as pd
import pytest
from azure.ai.ml import load_job
from mlflow.tracking import MlflowClient
from sklearn.datasets import make_classification

from tests.conftest import SNIPPETS, fresh_tracking_uri
from tests.fake_azure.job_envs import name_of

FOLDER = SNIPPETS / "ch12_command_job"
COMMAND = "python train.py --training_data ${{inputs.diabetes_data}} --reg_rate ${{inputs.reg_rate}}"
REG_RATES = ["0.01", "0.1", "1.0"]  # one training run each, in this order


def asset(reference: str) -> str:
    """``name:version`` from an ARM id (the command() builder resolves references) or from the
    short form ``azureml:name:version`` (a YAML job leaves it for Azure to resolve)."""
    if "/versions/" in reference:
        return "{}:{}".format(*reference.split("/")[-3::2])
    return reference.removeprefix("azureml:")


def job_inputs(job):
    """The inputs of a job Azure holds, as plain values: (type, asset) for data, the value for numbers."""
    inputs = job._to_job().inputs  # a read returns a command job as a Command node
    data = inputs["diabetes_data"]
    return {"diabetes_data": (data.type, asset(data.path)), "reg_rate": float(inputs["reg_rate"])}


def environment_of(workspace, job):
    """The environment version a stored job runs in (the SDK registered the inline one)."""
    name, version = asset(job.environment).split(":")
    return workspace.get("environments", name, version=version)


# --- the job, sent to the fake workspace -------------------------------------------


@pytest.fixture
def workspace(cluster_and_data):
    """The workspace as the earlier chapters leave it (chapters 7 and 8)."""
    return cluster_and_data


def test_submit_job_sends_command_and_streams(workspace, run_snippet):
    script = run_snippet("ch12_command_job/submit_job.py")

    (sent,) = workspace.created("jobs")
    job = workspace.get("jobs", script["returned_job"].name)  # what Azure holds
    assert job.command == sent.command == COMMAND
    assert job.code.endswith("/versions/1")  # the SDK uploaded src/ as a code asset first
    assert job.compute.endswith("/computes/cpu-cluster") and job.experiment_name == "diabetes-training"
    assert job.display_name == "diabetes-train-logreg"
    environment = environment_of(workspace, job)
    assert environment.image == "mcr.microsoft.com/azureml/openmpi5.0-ubuntu24.04:latest"
    pip = environment.conda_file["dependencies"][-1]["pip"]
    names = {name_of(package) for package in pip}  # MLflow's API and its plugin for the workspace
    assert "azureml-mlflow" in names and names & {"mlflow", "mlflow-skinny"}
    assert all("==" in package for package in pip)  # pinned: each build of the image gets the same
    assert job_inputs(job) == {"diabetes_data": ("uri_file", "diabetes-data:1"), "reg_rate": 0.01}

    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (script["returned_job"].name,)
    # Azure accepted the job (it starts), ran it, and a read shows it finished
    assert script["returned_job"].status == "Starting"
    stored = workspace.get("jobs", script["returned_job"].name)
    assert stored.status == "Completed"  # the fake ran src/train.py on the uploaded CSV, and it succeeded
    assert stored.inputs["diabetes_data"].path.endswith("/data/diabetes-data/versions/1")


def test_job_yaml_matches_python_job(workspace, run_snippet):
    python_name = run_snippet("ch12_command_job/submit_job.py")["returned_job"].name

    text = (FOLDER / "job.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/commandJob.schema.json")
    yaml_name = workspace.reader.jobs.create_or_update(load_job(FOLDER / "job.yml")).name  # as `az ml job create`

    python_job, yaml_job = workspace.get("jobs", python_name), workspace.get("jobs", yaml_name)
    assert yaml_job.command == python_job.command
    assert job_inputs(yaml_job) == job_inputs(python_job)
    # the same inline environment and code are the same registered versions
    assert asset(yaml_job.environment) == asset(python_job.environment)
    assert asset(yaml_job.code) == asset(python_job.code)
    assert python_job.compute.endswith(f"/computes/{yaml_job.compute}")  # a YAML job names it; Azure resolves it
    assert yaml_job.experiment_name == python_job.experiment_name


def test_conda_file_uses_a_current_python(workspace, run_snippet):
    job = workspace.get("jobs", run_snippet("ch12_command_job/submit_job.py")["returned_job"].name)
    conda = environment_of(workspace, job).conda_file
    python = next(d for d in conda["dependencies"] if str(d).startswith("python="))
    assert python in ("python=3.11", "python=3.12")


# --- the training script and the queries, on a real MLflow store ---------------------


@pytest.fixture(scope="module")
def tracking_store(tmp_path_factory):
    """Train three times into one tracking store, plus one experiment that is then deleted."""
    folder = tmp_path_factory.mktemp("mlflow")
    X, y = make_classification(n_samples=200, n_features=5, random_state=0)
    data = pd.DataFrame(X, columns=["Pregnancies", "PlasmaGlucose", "BloodPressure", "SerumInsulin", "BMI"])
    data.insert(0, "PatientID", range(1000000, 1000000 + len(data)))  # as in the site's diabetes.csv
    data["Diabetic"] = y
    csv = folder / "diabetes.csv"
    data.to_csv(csv, index=False)
    uri = fresh_tracking_uri(folder)

    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.setenv("MLFLOW_EXPERIMENT_NAME", "diabetes-training")  # in a job, Azure ML sets this
        patch.chdir(folder)
        for rate in REG_RATES:
            patch.setattr(sys, "argv", ["train.py", "--training_data", str(csv), "--reg_rate", rate])
            runpy.run_path(str(FOLDER / "src" / "train.py"), run_name="__main__")
        client = MlflowClient(uri)
        client.delete_experiment(client.create_experiment("old-experiment"))
        yield uri
    mlflow.set_tracking_uri(None)  # forget the store: other modules choose their own


def test_train_logs_params_metrics_and_model(tracking_store):
    client = MlflowClient(tracking_store)
    experiment = client.get_experiment_by_name("diabetes-training")
    runs = client.search_runs([experiment.experiment_id], order_by=["attributes.start_time ASC"])

    assert [run.data.params for run in runs] == [{"regularization_rate": rate} for rate in REG_RATES]
    for run in runs:
        assert run.info.status == "FINISHED"
        assert set(run.data.metrics) == {"accuracy", "AUC"}
        assert 0.7 < run.data.metrics["accuracy"] <= 1.0
        # the run's folder itself: with a path, MlflowClient.list_artifacts looks for a logged model first
        logged = mlflow.artifacts.list_artifacts(artifact_uri=f"{run.info.artifact_uri}/model",
                                                 tracking_uri=tracking_store)
        assert "MLmodel" in {item.path.rsplit("/", 1)[-1] for item in logged}


def test_query_runs_orders_and_filters(tracking_store, workspace, run_snippet, capsys):
    workspace.set_tracking_uri(tracking_store)

    found = run_snippet("ch12_command_job/query_runs.py")

    assert mlflow.get_tracking_uri() == tracking_store
    active = [line for line in capsys.readouterr().out.splitlines() if line.startswith("active:")]
    assert active and len(active) <= 2
    assert len(found["all_experiments"]) == len(active) + 1
    assert {e.name: e.lifecycle_stage for e in found["all_experiments"]}["old-experiment"] == "deleted"
    assert len(found["runs"]) == len(REG_RATES)
    assert list(found["latest"]["params.regularization_rate"]) == ["1.0", "0.1"]
    assert list(found["filtered"]["params.regularization_rate"]) == ["0.01"]
