"""The fake Azure's online endpoints: an MLflow model served as Azure serves it (its signature
enforced), requests routed by the traffic, credentials checked, and the endpoint's errors."""

import json

import mlflow
import pandas as pd
import pytest
import requests
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import EndpointAuthToken, ManagedOnlineDeployment, ManagedOnlineEndpoint, Model
from azure.core.exceptions import HttpResponseError
from azure.identity import DefaultAzureCredential
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression

from tests.fake_azure.workspace import GROUP, NAME, SUBSCRIPTION

ENDPOINT = "fake-check-endpoint"
TRAINING = pd.DataFrame({"age": [20.0, 30.0, 60.0, 70.0], "bmi": [20.0, 22.0, 35.0, 40.0]})


@pytest.fixture
def ml_client(workspace):
    return MLClient(DefaultAzureCredential(), SUBSCRIPTION, GROUP, NAME)


@pytest.fixture
def classifier():
    return LogisticRegression().fit(TRAINING, [0, 0, 1, 1])


@pytest.fixture
def endpoint(ml_client, classifier, tmp_path):
    """An MLflow model, with its signature, deployed twice (``one`` and ``two``) without a scoring script."""
    folder = tmp_path / "model"
    mlflow.sklearn.save_model(classifier, folder, signature=infer_signature(TRAINING, classifier.predict(TRAINING)))
    model = ml_client.models.create_or_update(Model(name="fake-check", path=folder, type=AssetTypes.MLFLOW_MODEL))
    ml_client.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name=ENDPOINT, auth_mode="key")).result()
    for name in ("one", "two"):
        ml_client.online_deployments.begin_create_or_update(ManagedOnlineDeployment(
            name=name, endpoint_name=ENDPOINT, model=f"azureml:{model.name}:{model.version}",
            instance_type="Standard_DS3_v2", instance_count=1)).result()
    return ml_client.online_endpoints.get(ENDPOINT)


def request_file(tmp_path, frame: pd.DataFrame):
    """A request in the layout Azure's MLflow server reads: ``input_data`` in pandas' split orientation."""
    path = tmp_path / "request.json"
    path.write_text(json.dumps({"input_data": json.loads(frame.to_json(orient="split"))}))
    return str(path)


def test_an_mlflow_deployment_answers_the_models_predictions(ml_client, endpoint, classifier, tmp_path):
    rows = pd.DataFrame({"age": [25.0, 65.0], "bmi": [21.0, 38.0]})
    answer = ml_client.online_endpoints.invoke(ENDPOINT, request_file=request_file(tmp_path, rows),
                                               deployment_name="one")
    assert json.loads(answer) == classifier.predict(rows).tolist()


def test_a_request_that_breaks_the_signature_is_a_model_error(ml_client, endpoint, tmp_path):
    with pytest.raises(HttpResponseError, match="bmi") as refused:
        ml_client.online_endpoints.invoke(ENDPOINT, request_file=request_file(tmp_path, TRAINING[["age"]]),
                                          deployment_name="one")
    assert refused.value.status_code == 424


def test_requests_go_where_the_traffic_sends_them(ml_client, endpoint, tmp_path):
    key = ml_client.online_endpoints.get_keys(ENDPOINT).primary_key
    body = {"input_data": json.loads(TRAINING.to_json(orient="split"))}

    def post():
        return requests.post(endpoint.scoring_uri, json=body, timeout=60, headers={"Authorization": f"Bearer {key}"})

    assert post().status_code == 404  # no deployment has traffic yet
    endpoint.traffic = {"one": 30, "two": 70}
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    answered = post()
    assert (answered.status_code, answered.headers["azureml-model-deployment"]) == (200, "two")


def test_a_deployment_the_endpoint_does_not_have_is_not_found(ml_client, endpoint):
    key = ml_client.online_endpoints.get_keys(ENDPOINT).primary_key
    answer = requests.post(endpoint.scoring_uri, json={}, timeout=60,
                           headers={"Authorization": f"Bearer {key}", "azureml-model-deployment": "three"})
    assert answer.status_code == 404
    assert f"endpoint '{ENDPOINT}' has no deployment 'three'" in answer.json()["error"]["message"]


def test_an_aml_token_endpoint_hands_out_a_token_and_accepts_it(ml_client, endpoint, classifier, tmp_path):
    endpoint.auth_mode = "aml_token"
    ml_client.online_endpoints.begin_create_or_update(endpoint).result()
    credentials = ml_client.online_endpoints.get_keys(ENDPOINT)
    assert isinstance(credentials, EndpointAuthToken)
    assert credentials.expiry_time_utc > credentials.refresh_after_time_utc

    answer = ml_client.online_endpoints.invoke(ENDPOINT, request_file=request_file(tmp_path, TRAINING),
                                               deployment_name="two")  # the SDK sends the token it got
    assert json.loads(answer) == classifier.predict(TRAINING).tolist()
