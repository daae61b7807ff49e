"""The gate in front of the tests' MLflow server (tests/fake_azure/mlflow_gate.py): each rule of
facts/mlflow_support.yml refuses what Azure ML's tracking server does not support, what it supports
goes through, and a refusal MLflow swallows still fails the test that caused it, naming the snippet."""

import os
import subprocess
import sys
import tempfile

import mlflow
import pytest
import yaml
from mlflow import MlflowClient
from mlflow.exceptions import MlflowException
from sklearn.linear_model import LogisticRegression

from tests.conftest import fresh_tracking_uri
from tests.fake_azure.catalog import FACTS
from tests.fake_azure.mlflow_server import refusals, report, tracking_server


@pytest.fixture
def client(tmp_path) -> MlflowClient:
    """A client of a fresh store holding one experiment ("gate") with one run that logged a metric,
    a parameter and a tag, and one registered model ("diabetes")."""
    uri = fresh_tracking_uri(tmp_path)
    mlflow.set_tracking_uri(uri)
    client = MlflowClient(uri)
    run = client.create_run(client.create_experiment("gate"))
    client.log_metric(run.info.run_id, "accuracy", 0.9)
    client.log_param(run.info.run_id, "depth", "3")
    client.set_tag(run.info.run_id, "team", "a")
    client.create_registered_model("diabetes")
    return client


def experiment(client: MlflowClient) -> str:
    return client.get_experiment_by_name("gate").experiment_id


REFUSED = {
    "order-runs-by-metric-param-or-tag": lambda c: c.search_runs([experiment(c)], order_by=["metrics.accuracy DESC"]),
    "filter-runs-by-escaped-metric": lambda c: c.search_runs([experiment(c)], filter_string="metrics.`acc-1` > 0.5"),
    "filter-runs-by-tag-not-equal": lambda c: c.search_runs([experiment(c)], filter_string="tags.team != 'b'"),
    "filter-runs-by-param-comparator": lambda c: c.search_runs([experiment(c)], filter_string="params.depth > '2'"),
    "rename-experiment": lambda c: c.rename_experiment(experiment(c), "renamed"),
    "rename-registered-model": lambda c: c.rename_registered_model("diabetes", "diabetes-2"),
    "delete-registered-model": lambda c: c.delete_registered_model("diabetes"),
    "search-registered-models-like": lambda c: c.search_registered_models(filter_string="name LIKE 'diab%'"),
    "search-registered-models-by-tag": lambda c: c.search_registered_models(filter_string="tags.team = 'a'"),
    "logged-models-api": lambda c: c.create_logged_model(experiment(c), name="model"),
    "search-logged-models": lambda c: c.search_logged_models([experiment(c)]),
}


def test_every_rule_has_a_case_and_a_source():
    table = yaml.safe_load((FACTS / "mlflow_support.yml").read_text())
    assert {rule["id"] for rule in table["rules"]} == set(REFUSED)
    assert all(table["sources"][rule["source"]].startswith("https://") for rule in table["rules"])


@pytest.mark.parametrize("rule", sorted(REFUSED))
def test_each_rule_refuses(client, rule):
    with pytest.raises(MlflowException) as refused:
        REFUSED[rule](client)

    (recorded,) = tracking_server().gate.refusals
    assert recorded.rule.id == rule
    if recorded.rule.answer == 404:  # as Azure ML answers the logged-models API (azure-sdk-for-python#44896)
        assert "404 != 200. Response body: ''" in refused.value.message
    else:
        assert refused.value.message == f"INVALID_PARAMETER_VALUE: {recorded.rule.limitation}"
    # Every refusal fails the test that caused it, but those MLflow recovers from by itself
    assert [r.rule.id for r in refusals()] == ([] if recorded.rule.fallback else [rule])


def test_what_azure_ml_supports_goes_through(client, tmp_path):
    exp = experiment(client)
    (run,) = client.search_runs([exp], filter_string="metrics.accuracy > 0.5 and params.depth = '3'",
                                order_by=["attributes.start_time DESC"])
    found = client.search_runs([exp], filter_string="tags.team = 'a' and params.depth LIKE '3%'")
    assert [r.info.run_id for r in found] == [run.info.run_id]
    assert [m.name for m in client.search_registered_models(filter_string="name = 'diabetes'")] == ["diabetes"]

    # A model saved, then logged as the run's artifacts, registers from runs:/ without the
    # logged-models API: register_model finds MLmodel among the run's own artifacts.
    with mlflow.start_run(run_id=run.info.run_id):
        mlflow.sklearn.save_model(LogisticRegression().fit([[0], [1]], [0, 1]), tmp_path / "model")
        mlflow.log_artifacts(str(tmp_path / "model"), artifact_path="model")
    version = mlflow.register_model(f"runs:/{run.info.run_id}/model", name="diabetes")

    assert version.version == "1" and version.run_id == run.info.run_id
    assert tracking_server().gate.refusals == []


def test_a_swallowed_refusal_names_the_snippet_and_the_limitation(workspace, run_snippet, tmp_path, monkeypatch):
    # Chapter 11's autolog snippet, as if it had left autolog's model logging on: MLflow 3 logs the
    # model through the logged-models API, and autolog only warns when that fails.
    monkeypatch.setenv("MLFLOW_TRACKING_URI", fresh_tracking_uri(tmp_path))
    autolog = mlflow.xgboost.autolog
    monkeypatch.setattr(mlflow.xgboost, "autolog", lambda **kwargs: autolog(**{**kwargs, "log_models": True}))

    run_snippet("ch11_mlflow_notebooks/autolog_xgboost.py")  # no error reaches the snippet
    mlflow.xgboost.autolog(disable=True)

    refused = refusals()
    assert refused and {r.rule.id for r in refused} == {"logged-models-api"}
    lines = report(refused).splitlines()
    assert lines[0] == "Azure ML's MLflow server refuses what this test sent:"
    assert lines[1].startswith("snippets/ch11_mlflow_notebooks/autolog_xgboost.py:")
    assert "POST /api/2.0/mlflow/logged-models:" in lines[1]
    assert "Azure ML's MLflow server has no logged-models API" in lines[1]
    assert lines[1].endswith("[https://github.com/Azure/azure-sdk-for-python/issues/44896]")


def test_a_refusal_from_another_process_names_who_sent_it(tmp_path):
    uri = fresh_tracking_uri(tmp_path)
    MlflowClient(uri).create_experiment("gate")
    query = "import mlflow; mlflow.search_runs(experiment_names=['gate'], order_by=['metrics.accuracy DESC'])"

    with tracking_server().speaking_for(uri, "job quiet_fox_1 (command: python query.py)"):
        done = subprocess.run([sys.executable, "-c", query], env={**os.environ, "MLFLOW_TRACKING_URI": uri},  # noqa: S603
                              capture_output=True, text=True, check=False, cwd=tempfile.gettempdir())

    assert "Azure ML orders runs by attributes only" in done.stderr
    (refused,) = refusals()
    assert str(refused).startswith("job quiet_fox_1 (command: python query.py): POST /api/2.0/mlflow/runs/search:")
