"""Chapter 19: the batch scoring script (real), the endpoint, deployment and job (fake)."""

import json
import re
from pathlib import Path

import pandas as pd
import pytest
from azure.ai.ml import Input, load_batch_endpoint
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import ModelBatchDeployment, ModelBatchDeploymentSettings
from azure.ai.ml.entities._load_functions import load_model_batch_deployment
from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from sklearn.datasets import make_classification

from tests.conftest import SNIPPETS
from tests.fake_azure.job_envs import run_script
from tests.fake_azure.scoring import HOST

FOLDER = SNIPPETS / "ch19_batch_endpoint"
COLUMNS = ["Pregnancies", "PlasmaGlucose", "BloodPressure", "SerumInsulin", "BMI"]
ROWS_PER_FILE = {"patients-1.csv": 4, "patients-2.csv": 5, "patients-3.csv": 6}


# --- the scoring script, run for real ------------------------------------------------


# Trains the model in the deployment's environment, as a job in that environment would, and
# prints its own predictions for the files to score: python -c TRAIN <model.pkl> <file>...
TRAIN = """
import json, sys
import joblib, pandas as pd
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression
X, y = make_classification(n_samples=120, n_features=5, random_state=0)
model = LogisticRegression().fit(pd.DataFrame(X, columns=json.loads(sys.argv[2])), y)
joblib.dump(model, sys.argv[1])
print(json.dumps([int(p) for f in sys.argv[3:] for p in model.predict(pd.read_csv(f))]))
"""


def test_scoring_script_scores_every_row_of_every_file(tmp_path):
    environment = load_model_batch_deployment(FOLDER / "batch_deployment.yml").environment
    model_dir = tmp_path / "azureml-models" / "diabetes-model" / "1"
    (model_dir / "model").mkdir(parents=True)  # a registered folder: one level below the model dir

    inputs = tmp_path / "inputs"
    inputs.mkdir()
    X_new, _ = make_classification(n_samples=sum(ROWS_PER_FILE.values()), n_features=len(COLUMNS), random_state=1)
    start = 0
    for name, rows in ROWS_PER_FILE.items():
        pd.DataFrame(X_new[start : start + rows], columns=COLUMNS).to_csv(inputs / name, index=False)
        start += rows
    files = sorted(str(p) for p in inputs.glob("*.csv"))
    trained = run_script(environment, ["-c", TRAIN, str(model_dir / "model" / "model.pkl"), json.dumps(COLUMNS),
                                       *files])
    assert trained.returncode == 0, trained.stderr

    # the script in its environment: init() once, then run() per mini-batch (mini_batch_size=2)
    mini_batches = [files[:2], files[2:]]
    served = run_script(environment, ["-P", str(HOST), "script", str(FOLDER / "src" / "batch_score.py")],
                        input="".join(json.dumps({"body": batch}) + "\n" for batch in mini_batches),
                        env={"AZUREML_MODEL_DIR": str(model_dir)})
    started, *answers = (json.loads(line) for line in served.stdout.splitlines())
    assert started["ok"] and all(answer["ok"] for answer in answers), served.stdout + served.stderr
    outputs = [pd.DataFrame(answer["result"]) for answer in answers]
    combined = pd.concat(outputs, ignore_index=True)

    assert [len(out) for out in outputs] == [4 + 5, 6]
    assert list(combined.columns) == ["file", "prediction"]
    assert combined["file"].value_counts().to_dict() == ROWS_PER_FILE
    assert set(combined["prediction"]) <= {0, 1}
    assert list(combined["prediction"]) == json.loads(trained.stdout)


# --- endpoint, deployment and job, on the fake Azure ----------------------------------


@pytest.fixture
def reader_files(tmp_path):
    """The reader's files: patients to train on (features and label), and a folder of CSV files to score."""
    X, y = make_classification(n_samples=120, n_features=len(COLUMNS), random_state=0)
    pd.DataFrame(X, columns=COLUMNS).assign(Diabetic=y).to_csv(tmp_path / "patients.csv", index=False)
    folder = tmp_path / "to-score"
    folder.mkdir()
    start = 0
    for name, rows in ROWS_PER_FILE.items():
        pd.DataFrame(X[start : start + rows], columns=COLUMNS).to_csv(folder / name, index=False)
        start += rows
    return str(tmp_path / "patients.csv"), str(folder)


@pytest.fixture
def deployed(workspace, run_snippet, reader_files, capsys):
    """The page up to the invocation: endpoint, model, deployment made the default, data to score."""
    training, to_score = reader_files
    run_snippet("ch19_batch_endpoint/create_batch_endpoint.py")
    run_snippet("ch19_batch_endpoint/register_model.py", training)
    for script in ("create_batch_deployment.py", "set_default_deployment.py"):
        run_snippet(f"ch19_batch_endpoint/{script}")
    run_snippet("ch19_batch_endpoint/register_batch_data.py", to_score)
    capsys.readouterr()


def test_create_batch_endpoint_sends_cluster_and_endpoint(workspace, run_snippet):
    run_snippet("ch19_batch_endpoint/create_batch_endpoint.py")

    (cluster,) = workspace.created("compute")
    assert (cluster.name, cluster.type, cluster.min_instances, cluster.max_instances) == (
        "cpu-cluster",
        "amlcompute",
        0,
        2,
    )
    (endpoint,) = workspace.created("batch_endpoints")
    assert endpoint.name == "diabetes-batch"
    assert "diabetes" in endpoint.description
    created = workspace.get("batch_endpoints", "diabetes-batch")
    assert created.auth_mode == "aad_token"  # Azure's default for batch endpoints
    assert created.scoring_uri == "https://diabetes-batch.eastus.inference.ml.azure.com/jobs"
    assert created.defaults.deployment_name is None  # no deployment yet


def test_register_model_and_data_upload_the_readers_files(workspace, run_snippet, reader_files, capsys):
    training, to_score = reader_files
    script = run_snippet("ch19_batch_endpoint/register_model.py", training)
    run_snippet("ch19_batch_endpoint/register_batch_data.py", to_score)

    (model,) = workspace.created("models")
    assert (model.name, model.type, Path(model.path).name) == ("diabetes-model", "custom_model", "model")
    assert list(script["classifier"].feature_names_in_) == COLUMNS
    (data,) = workspace.created("data")
    assert (data.name, data.type) == ("diabetes-batch-data", "uri_folder")
    # Azure numbered both: version 1, which the deployment and the invocation name
    assert workspace.get("models", "diabetes-model", version="1").type == "custom_model"
    assert workspace.get("data", "diabetes-batch-data", version="1").type == "uri_folder"
    assert capsys.readouterr().out.splitlines()[-2:] == [
        "Registered diabetes-model version 1", "Registered diabetes-batch-data version 1"]


def deployment_fields(deployment):
    """The settings of a model batch deployment that the chapter explains, as plain values."""
    settings = getattr(deployment, "settings", deployment)  # what `get` returns, a BatchDeployment, holds them itself
    return {
        "name": deployment.name,
        "endpoint": deployment.endpoint_name,
        "model": deployment.model.removeprefix("azureml:"),  # loaders drop the prefix
        "code": Path(deployment.code_configuration.code).name,
        "scoring_script": deployment.code_configuration.scoring_script,
        "environment": deployment.environment.removeprefix("azureml:"),
        "compute": deployment.compute.removeprefix("azureml:"),
        "instance_count": deployment.resources.instance_count,
        "mini_batch_size": settings.mini_batch_size,
        "max_concurrency_per_instance": settings.max_concurrency_per_instance,
        "output_action": settings.output_action,
        "output_file_name": settings.output_file_name,
        "retries": (settings.retry_settings.max_retries, settings.retry_settings.timeout),
        "error_threshold": settings.error_threshold,
        "logging_level": settings.logging_level,
    }


EXPECTED_DEPLOYMENT = {
    "name": "diabetes-logreg",
    "endpoint": "diabetes-batch",
    "model": "diabetes-model:1",
    "code": "src",
    "scoring_script": "batch_score.py",
    "environment": "AzureML-sklearn-1.5@latest",
    "compute": "cpu-cluster",
    "instance_count": 2,
    "mini_batch_size": 10,
    "max_concurrency_per_instance": 2,
    "output_action": "append_row",
    "output_file_name": "predictions.csv",
    "retries": (3, 300),
    "error_threshold": -1,
    "logging_level": "info",
}


def as_azure_resolves_it(workspace, fields):
    """``fields`` with the names the SDK resolves before sending (model, code, compute) as Azure's ids."""
    model_name, model_version = fields["model"].split(":")
    return {**fields, "model": workspace.get("models", model_name, version=model_version).id,
            "compute": workspace.get("compute", fields["compute"]).id}


def test_create_batch_deployment_sends_settings_and_sets_default(workspace, deployed):
    (deployment,) = workspace.created("batch_deployments")
    assert isinstance(deployment, ModelBatchDeployment)
    sent = {**deployment_fields(deployment), "code": EXPECTED_DEPLOYMENT["code"]}  # ./src, uploaded as a code asset
    assert sent == as_azure_resolves_it(workspace, EXPECTED_DEPLOYMENT)
    stored = workspace.get("batch_deployments", "diabetes-logreg", endpoint_name="diabetes-batch")
    assert {**deployment_fields(stored), "code": "src"} == as_azure_resolves_it(workspace, EXPECTED_DEPLOYMENT)
    workers = deployment.resources.instance_count * deployment.settings.max_concurrency_per_instance
    assert workers == 4
    assert (FOLDER / "src" / "batch_score.py").is_file()

    (get,) = workspace.sent("batch_endpoints", "get")
    assert get.kwargs == {"name": "diabetes-batch"}
    created, updated = workspace.created("batch_endpoints")
    assert created.defaults is None
    assert updated.name == "diabetes-batch"
    assert updated.defaults.deployment_name == "diabetes-logreg"
    assert workspace.get("batch_endpoints", "diabetes-batch").defaults.deployment_name == "diabetes-logreg"


def test_a_deployment_needs_its_endpoint_and_a_default_needs_its_deployment(workspace, run_snippet, reader_files):
    run_snippet("ch19_batch_endpoint/register_model.py", reader_files[0])
    with pytest.raises(ResourceNotFoundError, match="batch endpoint 'diabetes-batch' not found"):
        run_snippet("ch19_batch_endpoint/create_batch_deployment.py")

    run_snippet("ch19_batch_endpoint/create_batch_endpoint.py")
    with pytest.raises(HttpResponseError, match="'diabetes-logreg' isn't a deployment of batch endpoint"):
        run_snippet("ch19_batch_endpoint/set_default_deployment.py")
    assert workspace.get("batch_endpoints", "diabetes-batch").defaults.deployment_name is None


def test_invoke_starts_a_job_then_streams_and_downloads_it(workspace, deployed, run_snippet, capsys):
    script = run_snippet("ch19_batch_endpoint/invoke_batch_endpoint.py")

    (invoke,) = workspace.sent("batch_endpoints", "invoke")
    data = invoke.kwargs["input"]
    assert invoke.kwargs["endpoint_name"] == "diabetes-batch"
    # azureml:diabetes-batch-data:1, which the SDK resolved to the registered data asset
    assert (data.type, data.path) == ("uri_folder", workspace.get("data", "diabetes-batch-data", version="1").id)
    assert invoke.kwargs["deployment_name"] == "diabetes-logreg"

    job_name = script["job"].name
    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (job_name,)
    (get,) = workspace.sent("jobs", "get")
    assert get.args == (job_name,)
    (download,) = workspace.sent("jobs", "download")
    assert download.kwargs == {"name": job_name, "output_name": "score", "download_path": "./results"}
    # the job as Azure keeps it: in the workspace, finished, with the output named score
    job = workspace.get("jobs", job_name)
    assert (job.status, job.experiment_name) == ("Completed", "diabetes-batch")
    assert "score" in job.outputs
    assert script["finished"].status == "Completed"
    assert f"Job {job_name} ended with status" in capsys.readouterr().out


def test_a_job_without_a_deployment_name_runs_the_default_one(workspace, deployed):
    data = Input(type=AssetTypes.URI_FOLDER, path="azureml:diabetes-batch-data:1")
    job = workspace.reader.batch_endpoints.invoke(endpoint_name="diabetes-batch", input=data)
    assert workspace.get("jobs", job.name).status == "Completed"

    endpoint = workspace.reader.batch_endpoints.get("diabetes-batch")
    endpoint.defaults.deployment_name = None
    workspace.reader.batch_endpoints.begin_create_or_update(endpoint).result()
    with pytest.raises(HttpResponseError, match="has no default deployment"):
        workspace.reader.batch_endpoints.invoke(endpoint_name="diabetes-batch", input=data)


# --- the YAML forms and the CLI script -------------------------------------------------


def test_endpoint_yaml_matches_python(workspace, run_snippet):
    run_snippet("ch19_batch_endpoint/create_batch_endpoint.py")
    python_endpoint = workspace.created("batch_endpoints")[0]

    text = (FOLDER / "batch_endpoint.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/batchEndpoint.schema.json")
    yaml_endpoint = load_batch_endpoint(FOLDER / "batch_endpoint.yml")
    assert (yaml_endpoint.name, yaml_endpoint.description) == (python_endpoint.name, python_endpoint.description)


def test_deployment_yaml_matches_python(workspace, deployed):
    python_deployment = workspace.created("batch_deployments")[0]

    text = (FOLDER / "batch_deployment.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/modelBatchDeployment.schema.json")
    yaml_deployment = load_model_batch_deployment(FOLDER / "batch_deployment.yml")
    assert isinstance(yaml_deployment, ModelBatchDeployment)
    # the Python deployment as sent, its names resolved by the SDK; the YAML file's names resolve to the same
    assert as_azure_resolves_it(workspace, deployment_fields(yaml_deployment)) == {
        **deployment_fields(python_deployment), "code": "src"}


CLI_LOADERS = {"batch-endpoint": load_batch_endpoint, "batch-deployment": load_model_batch_deployment}


def test_cli_script_creates_from_these_yaml_files_and_downloads_score():
    script = (FOLDER / "deploy_with_cli.sh").read_text().replace("\\\n", " ")
    creates = re.findall(r"az ml ([\w-]+) create --file (\S+)", script)
    assert creates == [("batch-endpoint", "batch_endpoint.yml"), ("batch-deployment", "batch_deployment.yml")]
    for kind, name in creates:
        CLI_LOADERS[kind](FOLDER / name)  # the loader `az ml` uses for this kind
    assert re.search(r"batch-deployment create .*--set-default", script)
    assert "az ml batch-endpoint invoke --name diabetes-batch" in script
    assert "--input azureml:diabetes-batch-data:1" in script
    assert "--output-name score" in script


def test_instance_count_in_settings_and_resources_does_not_reload(tmp_path):
    """Why the chapter sets the node count with `resources` only."""
    deployment = ModelBatchDeployment(
        name="both-places",
        endpoint_name="diabetes-batch",
        model="azureml:diabetes-model:1",
        compute="cpu-cluster",
        settings=ModelBatchDeploymentSettings(mini_batch_size=10, instance_count=2),
    )
    deployment.dump(tmp_path / "deployment.yml")  # the SDK copies the count into `resources`
    with pytest.raises(ValidationException, match="Can't set instance_count when resources is provided"):
        load_model_batch_deployment(tmp_path / "deployment.yml")
