"""Chapter 16: MLflow models logged and loaded for real (SQLite), registered on the fake workspace."""

import json
import runpy
import shutil
import sys
import tempfile
from pathlib import Path

import mlflow
import numpy as np
import pytest
import yaml
from azure.ai.ml import load_model
from azure.ai.ml.constants import ListViewType
from azure.ai.ml.entities import Model, Workspace
from mlflow import MlflowClient
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression

from tests.conftest import SNIPPETS, fresh_tracking_uri

FOLDER = SNIPPETS / "ch16_register_mlflow_model"
FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
JOB_NAME = "bold_river_4kx9w2m1pz"  # the job named in model.yml
JOB_PATH = f"azureml://jobs/{JOB_NAME}/outputs/artifacts/paths/model/"


# --- one SQLite store for the module (creating one takes seconds) ----------------------


@pytest.fixture(scope="module")
def store(tmp_path_factory):
    """The tracking URI, and a scratch copy of the snippets folder to run the scripts from."""
    folder = tmp_path_factory.mktemp("ch16")
    shutil.copytree(FOLDER, folder / "scripts")
    yield fresh_tracking_uri(folder), folder / "scripts"
    mlflow.set_tracking_uri(None)


def run_mlflow_script(store, name: str) -> dict:
    """Run an MLflow-only snippet against the module's store; artifacts land in its scratch folder."""
    uri, workdir = store
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", uri)
        patch.chdir(workdir)
        patch.setattr(sys, "argv", [name])
        ran = runpy.run_path(str(FOLDER / name), run_name="__main__")
    return ran


@pytest.fixture(scope="module")
def logged(store):
    return run_mlflow_script(store, "log_model_with_signature.py")


@pytest.fixture(scope="module")
def screened(store):
    return run_mlflow_script(store, "custom_pyfunc_model.py")


def model_folder(store, model_uri: str) -> Path:
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", store[0])
        return Path(mlflow.artifacts.download_artifacts(model_uri))


def mlmodel(folder: Path) -> dict:
    return yaml.safe_load((folder / "MLmodel").read_text())


def columns(schema_json: str) -> list[tuple[str, str]]:
    return [(spec.get("name"), spec["type"]) for spec in json.loads(schema_json)]


def load_pyfunc(store, model_uri: str):
    with pytest.MonkeyPatch.context() as patch:
        patch.setenv("MLFLOW_TRACKING_URI", store[0])
        return mlflow.pyfunc.load_model(model_uri)


# --- the MLflow model format, for real ---------------------------------------------


def test_logged_model_has_flavors_signature_and_example(store, logged):
    folder = model_folder(store, logged["model_info"].model_uri)
    assert folder.is_relative_to(store[1])  # artifacts stay in the test's folder
    meta = mlmodel(folder)
    assert set(meta["flavors"]) == {"python_function", "sklearn"}
    assert meta["flavors"]["python_function"]["loader_module"] == "mlflow.sklearn"
    assert meta["run_id"] == logged["run"].info.run_id
    assert meta["mlflow_version"] == mlflow.__version__
    assert meta["model_size_bytes"] > 0
    assert {"conda.yaml", "python_env.yaml", "requirements.txt"} <= {p.name for p in folder.iterdir()}

    # Inferred signature: ten named double columns in, a tensor of int64 labels out
    assert columns(meta["signature"]["inputs"]) == [(name, "double") for name in FEATURES]
    (output,) = json.loads(meta["signature"]["outputs"])
    assert (output["type"], output["tensor-spec"]["dtype"]) == ("tensor", "int64")

    # The input example: three records with the feature names
    assert meta["saved_input_example_info"]["type"] == "json_object"
    example = json.loads((folder / meta["saved_input_example_info"]["artifact_path"]).read_text())
    assert len(example) == 3 and list(example[0]) == FEATURES
    assert example == logged["X_test"].head(3).to_dict(orient="records")

    run = MlflowClient(store[0]).get_run(logged["run"].info.run_id)
    assert 0.6 < run.data.metrics["accuracy"] <= 1.0


def test_logged_model_loads_as_pyfunc_and_predicts(store, logged):
    loaded = load_pyfunc(store, logged["model_info"].model_uri)
    rows = logged["X_test"].head(8)
    predictions = np.asarray(loaded.predict(rows))
    assert predictions.shape == (8,)
    assert set(predictions) <= {0, 1}
    assert list(predictions) == list(logged["model"].predict(rows))


def test_custom_signature_is_written_as_declared(store, logged):
    meta = mlmodel(model_folder(store, logged["custom_info"].model_uri))
    assert columns(meta["signature"]["inputs"]) == [(name, "double") for name in FEATURES]
    assert columns(meta["signature"]["outputs"]) == [(None, "long")]
    assert "saved_input_example_info" not in meta
    # Same inputs as the inferred signature: both describe the same model
    assert logged["custom_signature"].inputs == logged["signature"].inputs


def test_custom_pyfunc_model_applies_its_threshold(store, screened):
    folder = model_folder(store, screened["model_info"].model_uri)
    meta = mlmodel(folder)
    assert set(meta["flavors"]) == {"python_function"}
    assert meta["flavors"]["python_function"]["loader_module"] == "mlflow.pyfunc.model"
    assert (folder / "artifacts" / "classifier" / "MLmodel").is_file()  # the artifact travels with the model
    assert columns(meta["signature"]["inputs"]) == [(name, "double") for name in FEATURES]
    assert columns(meta["signature"]["outputs"]) == [("probability", "double"), ("follow_up", "boolean")]
    requirements = (folder / "requirements.txt").read_text().split()
    assert f"scikit-learn=={screened['sklearn'].__version__}" in requirements

    # Reloaded from storage: exactly the classifier's probability and the 0.3 threshold
    rows = screened["X_test"].head(40)
    result = load_pyfunc(store, screened["model_info"].model_uri).predict(rows)
    expected = screened["classifier"].predict_proba(rows)[:, 1]
    assert list(result.columns) == ["probability", "follow_up"]
    np.testing.assert_allclose(result["probability"], expected)
    assert list(result["follow_up"]) == [p >= 0.3 for p in expected]
    assert result["follow_up"].any() and not result["follow_up"].all()  # the threshold really splits
    # The script's own printout came from the reloaded model too
    assert list(screened["screen"].predict(rows)["follow_up"]) == list(result["follow_up"])


# --- registering in the workspace (fake) ----------------------------------------------


def test_register_from_job_sends_an_mlflow_model(workspace, run_snippet, capsys):
    run_snippet("ch16_register_mlflow_model/register_from_job.py", JOB_NAME)

    (sent,) = workspace.created("models")
    assert isinstance(sent, Model)
    assert (sent.name, sent.type, sent.path) == ("diabetes-classifier", "mlflow_model", JOB_PATH)
    assert sent.version is None  # the workspace numbers versions itself
    assert sent.tags == {"training_job": JOB_NAME, "algorithm": "logistic-regression"}
    assert "trained by a command job" in sent.description
    assert "Registered diabetes-classifier version 1" in capsys.readouterr().out


def test_model_yaml_matches_the_python_model(workspace, run_snippet):
    run_snippet("ch16_register_mlflow_model/register_from_job.py", JOB_NAME)
    python_model = workspace.created("models")[0]

    text = (FOLDER / "model.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json")
    yaml_model = load_model(FOLDER / "model.yml")
    for field in ("name", "type", "path", "description", "tags", "version"):
        assert getattr(yaml_model, field) == getattr(python_model, field), field


def test_shell_script_creates_from_model_yaml():
    script = (FOLDER / "register_model.sh").read_text()
    assert "az ml model create --file model.yml" in script
    assert "az ml model archive --name diabetes-classifier --version 1" in script


def test_register_local_folder_saves_then_uploads_it(workspace, run_snippet):
    ran = run_snippet("ch16_register_mlflow_model/register_local_model.py")

    folder = Path("diabetes-progression-model").resolve()  # cwd is the snippet's scratch folder
    meta = mlmodel(folder)
    assert {"python_function", "sklearn"} <= set(meta["flavors"])
    assert columns(meta["signature"]["inputs"]) == [(name, "double") for name in FEATURES]

    (sent,) = workspace.created("models")
    assert (sent.name, sent.type) == ("diabetes-progression", "mlflow_model")
    assert Path(sent.path).resolve() == folder
    assert ran["registered"].path == str(folder)  # stored with the absolute local path to upload


def test_manage_versions_gets_latest_lists_and_archives(workspace, run_snippet, capsys):
    for version, job in (("1", "job_one"), ("2", "job_two")):
        path = f"azureml://jobs/{job}/outputs/artifacts/paths/model/"
        workspace.add("models", Model(name="diabetes-classifier", version=version, type="mlflow_model", path=path))

    ran = run_snippet("ch16_register_mlflow_model/manage_model_versions.py")

    (get,) = workspace.sent("models", "get")
    assert get.kwargs == {"name": "diabetes-classifier", "label": "latest"}
    assert ran["latest"].version == "2"
    assert "Latest: version 2, type mlflow_model" in capsys.readouterr().out
    lists = workspace.sent("models", "list")
    assert [c.kwargs for c in lists] == [
        {"name": "diabetes-classifier"},
        {"name": "diabetes-classifier", "list_view_type": ListViewType.ARCHIVED_ONLY},
    ]
    (archive,) = workspace.sent("models", "archive")
    assert archive.kwargs == {"name": "diabetes-classifier", "version": "1"}


# --- registering through MLflow, for real against SQLite ---------------------------------


def test_register_with_mlflow_creates_a_version_from_the_run(store, workspace, run_snippet, capsys):
    uri = store[0]
    # A run shaped like chapter 12's job: the MLflow model uploaded to the run's "model" folder
    data = load_diabetes(as_frame=True, scaled=False).frame
    X, y = data.drop(columns="target"), (data["target"] > data["target"].median()).astype(int)
    client = MlflowClient(uri)
    experiment_id = client.create_experiment("ch12-style-job", artifact_location=(store[1] / "job").as_uri())
    run = client.create_run(experiment_id)
    with tempfile.TemporaryDirectory() as folder:
        mlflow.sklearn.save_model(LogisticRegression(max_iter=1000).fit(X, y), f"{folder}/model")
        client.log_artifacts(run.info.run_id, f"{folder}/model", "model")
    client.set_terminated(run.info.run_id)
    seeded = Workspace(name="mlw-dp100-labs")
    seeded._mlflow_tracking_uri = uri
    workspace.add("workspaces", seeded)

    ran = run_snippet("ch16_register_mlflow_model/register_with_mlflow.py", run.info.run_id)

    assert mlflow.get_tracking_uri() == uri
    version = ran["version"]
    assert (version.name, version.version) == ("diabetes-classifier", 1)
    assert version.run_id == run.info.run_id
    assert "Registered diabetes-classifier version 1" in capsys.readouterr().out
    registered = mlflow.pyfunc.load_model("models:/diabetes-classifier/1")
    assert set(np.asarray(registered.predict(X.head(5)))) <= {0, 1}
