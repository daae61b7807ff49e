"""Chapter 16: MLflow models saved, logged and loaded for real (the tests' MLflow server), registered on the
fake workspace."""

import io
import json
import runpy
import shutil
import sys
from pathlib import Path

import mlflow
import numpy as np
import pandas as pd
import pytest
import yaml
from azure.ai.ml import load_model
from azure.ai.ml.constants import ListViewType
from azure.ai.ml.entities import Model
from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import ResourceNotFoundError
from mlflow import MlflowClient

from tests.conftest import SNIPPETS, diabetes_csv, fresh_tracking_uri
from tests.fake_azure.job_envs import for_mlflow_model, run_script

FOLDER = SNIPPETS / "ch16_register_mlflow_model"
FEATURES = ["age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6"]
YAML_JOB = "bold_river_4kx9w2m1pz"  # the example job model.yml names
# python -c PREDICT <model folder> <CSV>: the model's prediction for each row, one per line
PREDICT = """
import sys
import mlflow.pyfunc, pandas as pd
print(*mlflow.pyfunc.load_model(sys.argv[1]).predict(pd.read_csv(sys.argv[2])), sep="\\n")
"""


# --- one tracking store for the module ---------------------------------------------------


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
    folder = model_folder(store, logged["model_uri"])
    meta = mlmodel(folder)
    assert set(meta["flavors"]) == {"python_function", "sklearn"}
    assert meta["flavors"]["python_function"]["loader_module"] == "mlflow.sklearn"
    assert logged["model_uri"] == f"runs:/{logged['run'].info.run_id}/model"  # the run's own artifacts
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
    loaded = load_pyfunc(store, logged["model_uri"])
    rows = logged["X_test"].head(8)
    predictions = np.asarray(loaded.predict(rows))
    assert predictions.shape == (8,)
    assert set(predictions) <= {0, 1}
    assert list(predictions) == list(logged["model"].predict(rows))


def test_custom_signature_is_written_as_declared(store, logged):
    meta = mlmodel(model_folder(store, logged["custom_uri"]))
    assert columns(meta["signature"]["inputs"]) == [(name, "double") for name in FEATURES]
    assert columns(meta["signature"]["outputs"]) == [(None, "long")]
    assert "saved_input_example_info" not in meta
    # Same inputs as the inferred signature: both describe the same model
    assert logged["custom_signature"].inputs == logged["signature"].inputs


def test_custom_pyfunc_model_applies_its_threshold(store, screened):
    folder = model_folder(store, screened["model_uri"])
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
    result = load_pyfunc(store, screened["model_uri"]).predict(rows)
    expected = screened["classifier"].predict_proba(rows)[:, 1]
    assert list(result.columns) == ["probability", "follow_up"]
    np.testing.assert_allclose(result["probability"], expected)
    assert list(result["follow_up"]) == [p >= 0.3 for p in expected]
    assert result["follow_up"].any() and not result["follow_up"].all()  # the threshold really splits
    # The script's own printout came from the reloaded model too
    assert list(screened["screen"].predict(rows)["follow_up"]) == list(result["follow_up"])


# --- registering in the workspace (fake) ----------------------------------------------


@pytest.fixture
def submit_training_job(workspace, run_snippet, capsys):
    """Submit chapter 12's training job (on chapter 8's cluster, with chapter 7's data asset): the
    job whose MLflow model register_from_job.py registers. Returns a function giving its name."""
    run_snippet("ch08_compute_targets/compute_cluster.py")
    run_snippet("ch07_data/data_asset_uri_file.py")
    workspace.upload("workspaceblobstore", "diabetes/diabetes.csv", diabetes_csv())  # chapter 7's studio step

    def submit() -> str:
        name = run_snippet("ch12_command_job/submit_job.py")["returned_job"].name
        capsys.readouterr()
        return name

    return submit


def test_register_from_job_sends_an_mlflow_model(workspace, submit_training_job, run_snippet, capsys):
    job_name = submit_training_job()
    run_snippet("ch16_register_mlflow_model/register_from_job.py", job_name)

    (sent,) = workspace.created("models")
    assert isinstance(sent, Model)
    job_path = f"azureml://jobs/{job_name}/outputs/artifacts/paths/model/"
    assert (sent.name, sent.type, sent.path) == ("diabetes-classifier", "mlflow_model", job_path)
    assert "Registered diabetes-classifier version 1" in capsys.readouterr().out

    # what Azure holds: version 1, numbered by the workspace, pointing at the job's model folder
    (held,) = workspace.all("models", name="diabetes-classifier")
    assert (held.version, held.type, held.path) == ("1", "mlflow_model", job_path)
    assert held.tags == {"training_job": job_name, "algorithm": "logistic-regression"}
    assert "trained by a command job" in held.description


def test_a_model_from_a_job_that_does_not_exist_is_refused(workspace, run_snippet):
    with pytest.raises(ResourceNotFoundError, match=f"job '{YAML_JOB}' not found"):
        run_snippet("ch16_register_mlflow_model/register_from_job.py", YAML_JOB)
    assert workspace.all("models") == []


def test_model_yaml_matches_the_python_model(workspace, submit_training_job, run_snippet):
    job_name = submit_training_job()
    run_snippet("ch16_register_mlflow_model/register_from_job.py", job_name)
    python_model = workspace.get("models", "diabetes-classifier", version="1")

    text = (FOLDER / "model.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/model.schema.json")
    yaml_model = load_model(FOLDER / "model.yml")
    for field in ("name", "type", "description"):
        assert getattr(yaml_model, field) == getattr(python_model, field), field
    assert yaml_model.version is None  # the workspace numbers it, as it did the Python one
    # model.yml names an example job where register_from_job.py takes the job's name
    assert yaml_model.path == python_model.path.replace(job_name, YAML_JOB)
    assert yaml_model.tags == {key: value.replace(job_name, YAML_JOB) for key, value in python_model.tags.items()}


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
    assert ran["registered"].version == "1"

    # what Azure holds: the folder uploaded to the default datastore, its MLmodel flavors read
    held = workspace.get("models", "diabetes-progression", version="1")
    assert held.path.startswith("azureml://") and held.path.rstrip("/").endswith("diabetes-progression-model")
    assert set(held.flavors) == set(meta["flavors"])


def test_manage_versions_gets_latest_lists_and_archives(workspace, submit_training_job, run_snippet, capsys):
    jobs = [submit_training_job(), submit_training_job()]
    for job_name in jobs:  # two trainings registered under one name: versions 1 and 2
        run_snippet("ch16_register_mlflow_model/register_from_job.py", job_name)
    capsys.readouterr()

    ran = run_snippet("ch16_register_mlflow_model/manage_model_versions.py")

    (get,) = workspace.sent("models", "get")
    assert get.kwargs == {"name": "diabetes-classifier", "label": "latest"}
    assert (ran["latest"].version, ran["latest"].tags["training_job"]) == ("2", jobs[1])
    out = capsys.readouterr().out
    assert "Latest: version 2, type mlflow_model" in out
    assert sorted(line.split()[:2] for line in out.splitlines()[1:]) == [
        ["diabetes-classifier", "1"], ["diabetes-classifier", "2"],
    ]
    lists = workspace.sent("models", "list")
    assert [c.kwargs for c in lists] == [
        {"name": "diabetes-classifier"},
        {"name": "diabetes-classifier", "list_view_type": ListViewType.ARCHIVED_ONLY},
    ]
    (archive,) = workspace.sent("models", "archive")
    assert archive.kwargs == {"name": "diabetes-classifier", "version": "1"}

    # what Azure holds: version 1 archived, hidden from lists, still there when asked for
    assert [m.version for m in ran["archived"]] == ["1"]
    assert [m.version for m in workspace.all("models", name="diabetes-classifier")] == ["2"]
    assert workspace.get("models", "diabetes-classifier", version="1").path.startswith(f"azureml://jobs/{jobs[0]}/")
    # latest is the one label Azure manages; a label no version carries is not found
    with pytest.raises(ValidationException, match="version label production does not exist"):
        workspace.get("models", "diabetes-classifier", label="production")


# --- registering through MLflow, for real against SQLite ---------------------------------


def test_register_with_mlflow_creates_a_version_from_the_run(store, workspace, submit_training_job, run_snippet,
                                                            tmp_path, capsys):
    uri = store[0]
    workspace.set_tracking_uri(uri)
    # Azure runs chapter 12's script in the job's MLflow run, whose ID is the job's name; the
    # script uploads the MLflow model to the run's "model" folder
    job_name = submit_training_job()

    ran = run_snippet("ch16_register_mlflow_model/register_with_mlflow.py", job_name)

    assert mlflow.get_tracking_uri() == uri
    version = ran["version"]
    assert (version.name, version.version) == ("diabetes-classifier", "1")  # the REST API sends versions as text
    assert version.run_id == job_name
    assert "Registered diabetes-classifier version 1" in capsys.readouterr().out
    # the registered model, loaded as pyfunc in the environment it was saved with (the job's)
    folder = Path(mlflow.artifacts.download_artifacts("models:/diabetes-classifier/1"))
    patients = tmp_path / "patients.csv"
    pd.read_csv(io.BytesIO(diabetes_csv())).drop(columns="Diabetic").head(5).to_csv(patients, index=False)
    loaded = run_script(for_mlflow_model(folder), ["-c", PREDICT, str(folder), str(patients)])
    assert loaded.returncode == 0, loaded.stderr
    assert set(loaded.stdout.split()) <= {"0", "1"} and len(loaded.stdout.split()) == 5
