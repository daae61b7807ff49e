"""Chapter 18: the scoring script (real model), and the endpoint scripts (fake Azure, which runs the
deployment's own scoring script on the registered model's files)."""

import json
import runpy
from importlib.metadata import version
from pathlib import Path

import joblib
import pandas as pd
import pytest
import requests
from azure.ai.ml import load_environment, load_online_deployment, load_online_endpoint
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint, Model
from azure.core.exceptions import ResourceNotFoundError
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from tests.conftest import SNIPPETS
from tests.fake_azure.catalog import facts

FOLDER = SNIPPETS / "ch18_online_endpoint"
COLUMNS = [
    "Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness",
    "SerumInsulin", "BMI", "DiabetesPedigree", "Age",
]
ENDPOINT = "diabetes-endpoint"
REQUEST = FOLDER / "sample-request.json"
LABELS = ["not-diabetic", "diabetic"]
BASE_IMAGES = facts("curated_environments")["base_images"]
TRAINED_WITH = ("scikit-learn", "numpy", "pandas", "joblib")  # what the model was trained and saved with


def without_prefix(reference):
    return str(reference).removeprefix("azureml:")


def expected_predictions(model):
    """What the model itself says about the sample request's rows."""
    rows = pd.DataFrame(json.loads(REQUEST.read_text())["data"])
    return [LABELS[int(p)] for p in model.predict(rows)]


def order_of(workspace, *steps):
    """Indexes in the call log of (operations, method, name) steps, to compare their order."""
    def name(call):
        return call.kwargs.get("name") or getattr(call.args[0] if call.args else None, "name", None)
    return [
        next(i for i, c in enumerate(workspace.calls) if (c.operations, c.method, name(c)) == step)
        for step in steps
    ]


def traffic_sent(workspace, endpoint=ENDPOINT):
    """(traffic, mirror traffic) of each update of the endpoint, as Azure received them."""
    return [(body["properties"].get("traffic", {}), body["properties"].get("mirrorTraffic", {}))
            for path, body in workspace.azure.writes if path.lower().endswith(f"/onlineendpoints/{endpoint}")]


# --- the scoring script, for real ----------------------------------------------------


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A trained classifier, laid out as Azure ML mounts a model registered from one file."""
    folder = tmp_path_factory.mktemp("azureml-models") / "diabetes-custom" / "1"
    folder.mkdir(parents=True)
    X, y = make_classification(n_samples=200, n_features=len(COLUMNS), random_state=0)
    model = LogisticRegression(max_iter=1000).fit(pd.DataFrame(X, columns=COLUMNS), y)
    joblib.dump(model, folder / "model.pkl")
    return folder


@pytest.fixture
def score(model_dir, monkeypatch):
    """snippets/.../src/score.py, loaded and initialised as the inference server does."""
    monkeypatch.setenv("AZUREML_MODEL_DIR", str(model_dir))
    script = runpy.run_path(str(FOLDER / "src" / "score.py"))
    script["init"]()
    return script["init"].__globals__  # the script's own globals, where init() put the model


def test_score_py_predicts_one_label_per_row_of_the_sample_request(score):
    result = score["run"](REQUEST.read_text())

    predictions = result["predictions"]
    assert len(predictions) == len(json.loads(REQUEST.read_text())["data"]) == 2
    assert set(predictions) <= set(LABELS)
    assert predictions == expected_predictions(score["model"])
    assert json.loads(json.dumps(result)) == result  # what the server sends back as JSON


def test_init_loads_the_model_from_azureml_model_dir(score, model_dir):
    assert type(score["model"]).__name__ == "LogisticRegression"
    assert list(score["model"].feature_names_in_) == COLUMNS
    assert (model_dir / "model.pkl").is_file()


def test_sample_request_rows_carry_the_training_columns():
    rows = json.loads(REQUEST.read_text())["data"]
    assert [list(row) for row in rows] == [COLUMNS, COLUMNS]
    assert all(isinstance(value, int | float) for row in rows for value in row.values())


# --- the model, endpoint and deployments, on the fake Azure ----------------------------


@pytest.fixture
def patients(tmp_path):
    """The reader's training data: one row per patient, the request's columns and the label."""
    X, y = make_classification(n_samples=200, n_features=len(COLUMNS), random_state=0)
    data = pd.DataFrame(X, columns=COLUMNS).assign(Diabetic=y)
    data.to_csv(tmp_path / "patients.csv", index=False)
    return str(tmp_path / "patients.csv")


@pytest.fixture
def register(run_snippet, patients):
    """Run the page's registration script: each run registers the next version of diabetes-custom."""
    return lambda: run_snippet("ch18_online_endpoint/register_custom_model.py", patients)


@pytest.fixture
def blue(workspace, register, run_snippet, capsys):
    """What the page has done before it calls the endpoint: diabetes-custom:1, the endpoint,
    and blue with all the traffic. The registration script's globals (its classifier)."""
    registration = register()
    for script in ("create_endpoint.py", "deploy_blue.py", "route_traffic_to_blue.py"):
        run_snippet(f"ch18_online_endpoint/{script}")
    capsys.readouterr()
    return registration


def test_register_custom_model_uploads_one_file_and_azure_numbers_the_versions(workspace, register, capsys):
    first, second = register(), register()

    sent = workspace.created("models")
    assert [type(m) for m in sent] == [Model, Model]
    assert all((m.name, m.type, Path(m.path).name) == ("diabetes-custom", "custom_model", "model.pkl") for m in sent)
    assert [workspace.get("models", "diabetes-custom", version=v).version for v in ("1", "2")] == ["1", "2"]
    assert capsys.readouterr().out.splitlines() == [
        "Registered diabetes-custom version 1", "Registered diabetes-custom version 2"]
    assert list(first["classifier"].feature_names_in_) == COLUMNS  # trained on the request's columns
    assert second["registered"].version == "2"


def test_create_endpoint_sends_a_managed_endpoint_with_key_auth(workspace, run_snippet, capsys):
    run_snippet("ch18_online_endpoint/create_endpoint.py")

    (sent,) = workspace.created("online_endpoints")
    assert isinstance(sent, ManagedOnlineEndpoint)
    assert (sent.name, sent.auth_mode) == (ENDPOINT, "key")
    assert traffic_sent(workspace) == [({}, {})]
    assert "diabetes-endpoint created, auth mode: key" in capsys.readouterr().out
    created = workspace.get("online_endpoints", ENDPOINT)  # Azure gives it its scoring URI
    assert created.scoring_uri == f"https://{ENDPOINT}.eastus.inference.ml.azure.com/score"
    assert (created.auth_mode, created.traffic) == ("key", {})


def test_deploy_blue_sends_the_deployment_then_all_traffic_to_it(workspace, blue):
    (sent,) = workspace.created("online_deployments")
    assert isinstance(sent, ManagedOnlineDeployment)
    assert (sent.name, sent.endpoint_name) == ("blue", ENDPOINT)
    assert (sent.instance_type, sent.instance_count) == ("Standard_DS3_v2", 1)
    assert sent.code_configuration.scoring_script == "score.py"
    assert (FOLDER / "src" / sent.code_configuration.scoring_script).is_file()

    deployed = workspace.get("online_deployments", "blue", endpoint_name=ENDPOINT)
    assert deployed.model == workspace.get("models", "diabetes-custom", version="1").id
    serving = workspace.get("environments", "diabetes-serving", label="latest")
    assert deployed.environment == serving.id  # the SDK resolved the label to the version it points at
    assert serving.image in {f"{image}:latest" for image in BASE_IMAGES}  # a Microsoft base image
    pins = dict(pin.split("==") for pin in serving.conda_file["dependencies"][-1]["pip"])
    # A scoring-script environment needs Azure ML's inference server, and a pickled model the
    # versions that trained it: the ones installed where register_custom_model.py ran.
    assert "azureml-inference-server-http" in pins
    assert {name: pins[name] for name in TRAINED_WITH} == {name: version(name) for name in TRAINED_WITH}
    assert (deployed.instance_type, deployed.instance_count) == ("Standard_DS3_v2", 1)

    assert traffic_sent(workspace) == [({}, {}), ({"blue": 100}, {})]
    assert workspace.get("online_endpoints", ENDPOINT).traffic == {"blue": 100}
    created, deployed_at, routed = order_of(
        workspace,
        ("online_endpoints", "begin_create_or_update", ENDPOINT),
        ("online_deployments", "begin_create_or_update", "blue"),
        ("online_endpoints", "get", ENDPOINT),
    )
    assert created < deployed_at < routed


def test_a_deployment_needs_its_endpoint(workspace, register, run_snippet):
    register()
    with pytest.raises(ResourceNotFoundError, match="online endpoint 'diabetes-endpoint' not found"):
        run_snippet("ch18_online_endpoint/deploy_blue.py")
    assert workspace.all("online_endpoints") == []


def test_mlflow_model_is_deployed_without_code_or_environment(workspace, mlflow_classifier, run_snippet):
    run_snippet("ch18_online_endpoint/deploy_mlflow_model.py")

    (sent_endpoint,) = {e.name: e for e in workspace.created("online_endpoints")}.values()
    assert (sent_endpoint.name, sent_endpoint.auth_mode) == ("diabetes-mlflow-endpoint", "key")
    (deployment,) = workspace.created("online_deployments")
    assert deployment.endpoint_name == "diabetes-mlflow-endpoint"
    assert deployment.code_configuration is None and deployment.environment is None
    assert (deployment.instance_type, deployment.instance_count) == ("Standard_F4s_v2", 1)
    deployed = workspace.get("online_deployments", "mlflow", endpoint_name="diabetes-mlflow-endpoint")
    assert deployed.model == workspace.get("models", "diabetes-classifier", version="1").id
    model = workspace.get("models", "diabetes-classifier", version="1")
    assert model.type == "mlflow_model"
    # Azure read the MLmodel file the job's MLflow run logged under its artifacts: a scikit-learn model
    assert set(model.flavors) == {"python_function", "sklearn"}
    assert traffic_sent(workspace, "diabetes-mlflow-endpoint") == [({}, {}), ({"mlflow": 100}, {})]


def test_blue_green_rollout_mirrors_then_splits_then_switches(workspace, blue, register, run_snippet, capsys):
    new_model = register()  # the page registers the new model as version 2 first
    run_snippet("ch18_online_endpoint/blue_green_traffic.py")

    blue_sent, green = workspace.created("online_deployments")
    assert green.name == "green"
    assert workspace.get("online_deployments", "green", endpoint_name=ENDPOINT).model == \
        workspace.get("models", "diabetes-custom", version="2").id
    assert (green.instance_type, green.code_configuration.scoring_script) == (blue_sent.instance_type, "score.py")
    assert green.environment == blue_sent.environment

    # what Azure received: the SDK leaves out the deployments at 0 %
    assert traffic_sent(workspace) == [
        ({}, {}),
        ({"blue": 100}, {}),
        ({"blue": 100}, {"green": 10}),  # mirrored: copies only, blue still answers
        ({"blue": 90, "green": 10}, {}),
        ({"green": 100}, {}),
    ]
    for live, mirror in traffic_sent(workspace)[1:]:
        assert sum(live.values()) == 100 and sum(mirror.values()) <= 50

    (invoke,) = workspace.sent("online_endpoints", "invoke")
    assert invoke.kwargs == {
        "endpoint_name": ENDPOINT, "request_file": "sample-request.json", "deployment_name": "green"}
    assert f"green says: {json.dumps({'predictions': expected_predictions(new_model['classifier'])})}" in \
        capsys.readouterr().out

    (delete,) = workspace.sent("online_deployments", "begin_delete")
    assert delete.kwargs == {"name": "blue", "endpoint_name": ENDPOINT}
    assert workspace.calls.index(delete) == len(workspace.calls) - 1  # after green took all traffic
    assert [d.name for d in workspace.all("online_deployments", endpoint_name=ENDPOINT)] == ["green"]
    assert workspace.get("online_endpoints", ENDPOINT).traffic == {"green": 100}


def test_invoke_prints_blue_predictions(workspace, blue, run_snippet, capsys):
    script = run_snippet("ch18_online_endpoint/invoke_endpoint.py")

    (call,) = workspace.sent("online_endpoints", "invoke")
    assert call.kwargs == {"endpoint_name": ENDPOINT, "request_file": "sample-request.json", "deployment_name": "blue"}
    # blue ran score.py on the model the page registered
    assert script["predictions"] == expected_predictions(blue["classifier"])
    assert capsys.readouterr().out.strip() == str(expected_predictions(blue["classifier"]))


def test_rest_call_posts_the_request_with_a_bearer_key(workspace, blue, run_snippet, capsys):
    script = run_snippet("ch18_online_endpoint/call_endpoint_rest.py")

    assert script["scoring_uri"] == workspace.get("online_endpoints", ENDPOINT).scoring_uri
    assert ("POST", script["scoring_uri"]) in workspace.azure.requests
    assert workspace.sent("online_endpoints", "get_keys")[0].kwargs == {"name": ENDPOINT}
    out = capsys.readouterr().out
    assert str({"predictions": expected_predictions(blue["classifier"])}) in out
    assert script["key"] not in out  # the key is used, never printed
    # the endpoint checks the key: another bearer is refused
    refused = requests.post(script["scoring_uri"], data=script["body"], timeout=60,
                            headers={"Content-Type": "application/json", "Authorization": "Bearer not-the-key"})
    assert refused.status_code == 401


def test_get_logs_tails_both_containers(workspace, blue, run_snippet, capsys):
    run_snippet("ch18_online_endpoint/get_logs.py")

    server, storage = workspace.sent("online_deployments", "get_logs")
    assert server.kwargs == {"name": "blue", "endpoint_name": ENDPOINT, "lines": 50}
    assert storage.kwargs == {**server.kwargs, "container_type": "storage-initializer"}
    out = capsys.readouterr().out
    assert "init() completed" in out  # the inference server ran score.py's init()
    assert "Downloading model azureml:diabetes-custom:1" in out  # the storage initializer fetched the model


def test_scale_updates_the_instance_count_of_blue(workspace, blue, run_snippet):
    run_snippet("ch18_online_endpoint/scale_deployment.py")

    first, scaled = workspace.created("online_deployments")
    assert (scaled.name, scaled.endpoint_name, scaled.instance_count) == ("blue", ENDPOINT, 3)
    stored = workspace.get("online_deployments", "blue", endpoint_name=ENDPOINT)
    assert (stored.instance_count, stored.instance_type) == (3, first.instance_type)


def test_delete_endpoint_removes_it_and_its_deployments(workspace, blue, run_snippet):
    uri = workspace.get("online_endpoints", ENDPOINT).scoring_uri
    run_snippet("ch18_online_endpoint/delete_endpoint.py")

    (call,) = workspace.sent("online_endpoints", "begin_delete")
    assert call.kwargs == {"name": ENDPOINT}
    assert workspace.all("online_endpoints") == []
    with pytest.raises(ResourceNotFoundError):
        workspace.get("online_deployments", "blue", endpoint_name=ENDPOINT)
    assert requests.post(uri, json={}, timeout=60).status_code == 404  # nothing answers there any more


# --- YAML and CLI ----------------------------------------------------------------------


def test_yaml_files_match_the_python_endpoint_and_deployment(workspace, register, run_snippet):
    register()
    run_snippet("ch18_online_endpoint/create_endpoint.py")
    run_snippet("ch18_online_endpoint/deploy_blue.py")
    python_endpoint = workspace.created("online_endpoints")[0]
    (python_deployment,) = workspace.created("online_deployments")

    schemas = "$schema: https://azuremlschemas.azureedge.net/latest/"
    assert (FOLDER / "endpoint.yml").read_text().startswith(schemas + "managedOnlineEndpoint.schema.json")
    assert (FOLDER / "blue-deployment.yml").read_text().startswith(schemas + "managedOnlineDeployment.schema.json")

    yaml_endpoint = load_online_endpoint(FOLDER / "endpoint.yml")
    assert type(yaml_endpoint) is type(python_endpoint)
    for field in ("name", "description", "auth_mode"):
        assert getattr(yaml_endpoint, field) == getattr(python_endpoint, field), field

    yaml = load_online_deployment(FOLDER / "blue-deployment.yml")
    assert type(yaml) is type(python_deployment)
    for field in ("name", "endpoint_name", "instance_type", "instance_count"):
        assert getattr(yaml, field) == getattr(python_deployment, field), field
    name, version = without_prefix(yaml.model).split(":")
    assert workspace.get("models", name, version=version).id == python_deployment.model  # resolved by the SDK
    name, label = without_prefix(yaml.environment).split("@")
    assert workspace.get("environments", name, label=label).id == python_deployment.environment
    environment_yaml = load_environment(FOLDER / "serving-environment.yml")  # the CLI tab creates it from this
    python_environment = workspace.get("environments", name, label=label)
    for field in ("name", "image", "conda_file", "description"):
        assert getattr(environment_yaml, field) == getattr(python_environment, field), field
    uploaded = python_deployment.code_configuration.code  # the SDK uploaded ./src as a code asset
    code = workspace.get("_code", uploaded.split("/")[-3], version=uploaded.split("/")[-1])
    assert Path(yaml.code_configuration.code).name == Path(code.path).name == "src"
    assert yaml.code_configuration.scoring_script == python_deployment.code_configuration.scoring_script


def test_cli_script_creates_from_these_yaml_files_with_all_traffic():
    script = (FOLDER / "deploy_with_cli.sh").read_text()
    assert "az ml online-endpoint create --file endpoint.yml" in script
    assert "az ml online-deployment create --file blue-deployment.yml --all-traffic" in script
    assert "--request-file sample-request.json" in script
