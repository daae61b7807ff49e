"""Chapter 18: the scoring script (real model), and the endpoint scripts (fake workspace)."""

import json
from pathlib import Path

import pandas as pd
from azure.ai.ml import load_online_deployment, load_online_endpoint
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint

from tests.ch18_online_endpoint.conftest import COLUMNS, FAKE_KEY, FOLDER, LOG_TEXT

ENDPOINT = "diabetes-endpoint"
REQUEST = FOLDER / "sample-request.json"
LABELS = {"not-diabetic", "diabetic"}


def without_prefix(reference):
    return str(reference).removeprefix("azureml:")


def expected_predictions(score):
    """What the model itself says about the sample request's rows."""
    rows = pd.DataFrame(json.loads(REQUEST.read_text())["data"])
    return [["not-diabetic", "diabetic"][int(p)] for p in score["model"].predict(rows)]


def order_of(workspace, *steps):
    """Indexes in the call log of (operations, method, name) steps, to compare their order."""
    def name(call):
        return call.kwargs.get("name") or getattr(call.args[0] if call.args else None, "name", None)
    return [
        next(i for i, c in enumerate(workspace.calls) if (c.operations, c.method, name(c)) == step)
        for step in steps
    ]


# --- the scoring script, for real ----------------------------------------------------


def test_score_py_predicts_one_label_per_row_of_the_sample_request(score):
    result = score["run"](REQUEST.read_text())

    predictions = result["predictions"]
    assert len(predictions) == len(json.loads(REQUEST.read_text())["data"]) == 2
    assert set(predictions) <= LABELS
    assert predictions == expected_predictions(score)
    assert json.loads(json.dumps(result)) == result  # what the server sends back as JSON


def test_init_loads_the_model_from_azureml_model_dir(score, model_dir):
    assert type(score["model"]).__name__ == "LogisticRegression"
    assert list(score["model"].feature_names_in_) == COLUMNS
    assert (model_dir / "model.pkl").is_file()


def test_sample_request_rows_carry_the_training_columns():
    rows = json.loads(REQUEST.read_text())["data"]
    assert [list(row) for row in rows] == [COLUMNS, COLUMNS]
    assert all(isinstance(value, int | float) for row in rows for value in row.values())


# --- endpoint and deployments, on the fake workspace -----------------------------------


def test_create_endpoint_sends_a_managed_endpoint_with_key_auth(endpoint, run_snippet, capsys):
    run_snippet("ch18_online_endpoint/create_endpoint.py")

    (sent,) = endpoint.created("online_endpoints")
    assert isinstance(sent, ManagedOnlineEndpoint)
    assert (sent.name, sent.auth_mode) == (ENDPOINT, "key")
    assert endpoint.traffic == [({}, {})]
    assert "diabetes-endpoint created, auth mode: key" in capsys.readouterr().out


def test_deploy_blue_sends_the_deployment_then_all_traffic_to_it(endpoint, run_snippet):
    for script in ("create_endpoint.py", "deploy_blue.py", "route_traffic_to_blue.py"):
        run_snippet(f"ch18_online_endpoint/{script}")

    (blue,) = endpoint.created("online_deployments")
    assert isinstance(blue, ManagedOnlineDeployment)
    assert (blue.name, blue.endpoint_name) == ("blue", ENDPOINT)
    assert blue.model == "azureml:diabetes-custom:1"
    assert blue.environment == "azureml:AzureML-sklearn-1.5@latest"
    assert (blue.instance_type, blue.instance_count) == ("Standard_DS3_v2", 1)
    code = blue.code_configuration
    assert (Path(code.code).name, code.scoring_script) == ("src", "score.py")
    assert (FOLDER / code.code / code.scoring_script).is_file()

    assert endpoint.traffic == [({}, {}), ({"blue": 100}, {})]
    created, deployed, routed = order_of(
        endpoint,
        ("online_endpoints", "begin_create_or_update", ENDPOINT),
        ("online_deployments", "begin_create_or_update", "blue"),
        ("online_endpoints", "get", ENDPOINT),
    )
    assert created < deployed < routed


def test_mlflow_model_is_deployed_without_code_or_environment(endpoint, run_snippet):
    run_snippet("ch18_online_endpoint/deploy_mlflow_model.py")

    (sent_endpoint,) = {e.name: e for e in endpoint.created("online_endpoints")}.values()
    assert (sent_endpoint.name, sent_endpoint.auth_mode) == ("diabetes-mlflow-endpoint", "key")
    (deployment,) = endpoint.created("online_deployments")
    assert deployment.endpoint_name == "diabetes-mlflow-endpoint"
    assert deployment.model == "azureml:diabetes-classifier:1"
    assert deployment.code_configuration is None and deployment.environment is None
    assert (deployment.instance_type, deployment.instance_count) == ("Standard_F4s_v2", 1)
    assert endpoint.traffic == [({}, {}), ({"mlflow": 100}, {})]


def test_blue_green_rollout_mirrors_then_splits_then_switches(endpoint, run_snippet, score, capsys):
    for script in ("create_endpoint.py", "deploy_blue.py", "route_traffic_to_blue.py", "blue_green_traffic.py"):
        run_snippet(f"ch18_online_endpoint/{script}")

    blue, green = endpoint.created("online_deployments")
    assert (green.name, green.model) == ("green", "azureml:diabetes-custom:2")
    assert (green.instance_type, green.code_configuration.scoring_script) == (blue.instance_type, "score.py")
    assert green.environment == blue.environment

    assert endpoint.traffic == [
        ({}, {}),
        ({"blue": 100}, {}),
        ({"blue": 100}, {"green": 10}),  # mirrored: copies only, blue still answers
        ({"blue": 90, "green": 10}, {"green": 0}),
        ({"blue": 0, "green": 100}, {"green": 0}),
    ]
    for live, mirror in endpoint.traffic[1:]:
        assert sum(live.values()) == 100 and sum(mirror.values()) <= 50

    (invoke,) = endpoint.sent("online_endpoints", "invoke")
    assert invoke.kwargs == {
        "endpoint_name": ENDPOINT, "request_file": "sample-request.json", "deployment_name": "green"}
    assert str(expected_predictions(score)[0]) in capsys.readouterr().out

    (delete,) = endpoint.sent("online_deployments", "begin_delete")
    assert delete.kwargs == {"name": "blue", "endpoint_name": ENDPOINT}
    assert endpoint.calls.index(delete) == len(endpoint.calls) - 1  # after green took all traffic


def test_invoke_prints_blue_predictions(endpoint, run_snippet, score, capsys):
    script = run_snippet("ch18_online_endpoint/invoke_endpoint.py")

    (call,) = endpoint.sent("online_endpoints", "invoke")
    assert call.kwargs == {"endpoint_name": ENDPOINT, "request_file": "sample-request.json", "deployment_name": "blue"}
    assert script["predictions"] == expected_predictions(score)
    assert capsys.readouterr().out.strip() == str(expected_predictions(score))


def test_rest_call_posts_the_request_with_a_bearer_key(endpoint, run_snippet, score, monkeypatch, capsys):
    uri = "https://diabetes-endpoint.eastus.inference.ml.azure.com/score"
    endpoint.add("online_endpoints", ManagedOnlineEndpoint(name=ENDPOINT, scoring_uri=uri))
    posted = []

    class Answer:  # what requests.post returns: the real score.py's answer
        def __init__(self, body):
            self.body = body

        def raise_for_status(self):
            return None

        def json(self):
            return score["run"](self.body.decode())

    def post(url, **kwargs):
        posted.append((url, kwargs))
        return Answer(kwargs["data"])

    monkeypatch.setattr("requests.post", post)
    run_snippet("ch18_online_endpoint/call_endpoint_rest.py")

    ((url, kwargs),) = posted
    assert url == uri
    assert kwargs["data"] == REQUEST.read_bytes()
    assert kwargs["headers"] == {
        "Content-Type": "application/json",
        "Authorization": f"Bearer {FAKE_KEY}",
        "azureml-model-deployment": "blue",
    }
    assert kwargs["timeout"] > 0
    assert endpoint.sent("online_endpoints", "get_keys")[0].kwargs == {"name": ENDPOINT}
    out = capsys.readouterr().out
    assert str(expected_predictions(score)) in out and FAKE_KEY not in out


def test_get_logs_tails_both_containers(endpoint, run_snippet, capsys):
    run_snippet("ch18_online_endpoint/get_logs.py")

    server, storage = endpoint.sent("online_deployments", "get_logs")
    assert server.kwargs == {"name": "blue", "endpoint_name": ENDPOINT, "lines": 50}
    assert storage.kwargs == {**server.kwargs, "container_type": "storage-initializer"}
    assert capsys.readouterr().out.count(LOG_TEXT) == 2


def test_scale_updates_the_instance_count_of_blue(endpoint, run_snippet):
    endpoint.add("online_deployments", load_online_deployment(FOLDER / "blue-deployment.yml"))
    run_snippet("ch18_online_endpoint/scale_deployment.py")

    (scaled,) = endpoint.created("online_deployments")
    assert (scaled.name, scaled.endpoint_name, scaled.instance_count) == ("blue", ENDPOINT, 3)
    assert endpoint.get("online_deployments", "blue").instance_type == "Standard_DS3_v2"


def test_delete_endpoint_removes_it_by_name(endpoint, run_snippet):
    run_snippet("ch18_online_endpoint/delete_endpoint.py")

    (call,) = endpoint.sent("online_endpoints", "begin_delete")
    assert call.kwargs == {"name": ENDPOINT}


# --- YAML and CLI ----------------------------------------------------------------------


def test_yaml_files_match_the_python_endpoint_and_deployment(endpoint, run_snippet):
    run_snippet("ch18_online_endpoint/create_endpoint.py")
    run_snippet("ch18_online_endpoint/deploy_blue.py")
    python_endpoint = endpoint.created("online_endpoints")[0]
    (python_deployment,) = endpoint.created("online_deployments")

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
    assert without_prefix(yaml.model) == without_prefix(python_deployment.model)
    assert without_prefix(yaml.environment) == without_prefix(python_deployment.environment)
    assert Path(yaml.code_configuration.code) == Path(python_deployment.code_configuration.code)
    assert yaml.code_configuration.scoring_script == python_deployment.code_configuration.scoring_script


def test_cli_script_creates_from_these_yaml_files_with_all_traffic():
    script = (FOLDER / "deploy_with_cli.sh").read_text()
    assert "az ml online-endpoint create --file endpoint.yml" in script
    assert "az ml online-deployment create --file blue-deployment.yml --all-traffic" in script
    assert "--request-file sample-request.json" in script
