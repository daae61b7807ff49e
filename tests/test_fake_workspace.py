"""The fake workspace itself: it must fail where Azure's SDK would, and remember what it was sent."""

import pytest
from azure.ai.ml import MLClient
from azure.ai.ml.entities import AmlCompute, Environment
from azure.core.exceptions import ResourceNotFoundError
from azure.identity import DefaultAzureCredential


@pytest.fixture
def ml_client(workspace):
    return MLClient(DefaultAzureCredential(), "sub", "rg", "ws")


def test_get_returns_what_create_stored(ml_client, workspace):
    ml_client.environments.create_or_update(Environment(name="env", image="python:3.11-slim"))
    ml_client.environments.create_or_update(Environment(name="env", image="python:3.12-slim"))

    assert ml_client.environments.get("env", version="1").image == "python:3.11-slim"
    assert ml_client.environments.get("env", version="2").image == "python:3.12-slim"
    assert [e.name for e in ml_client.environments.list()] == ["env"]
    with pytest.raises(ResourceNotFoundError):
        ml_client.environments.get("other", version="1")


def test_top_level_create_reaches_the_same_fake(ml_client, workspace):
    poller = ml_client.begin_create_or_update(AmlCompute(name="c", size="STANDARD_DS3_v2", max_instances=3))
    assert poller.result().max_instances == 3
    assert ml_client.compute.get("c").size == "STANDARD_DS3_v2"
    assert [call.method for call in workspace.sent("compute")] == ["begin_create_or_update", "get"]


def test_misspelt_method_fails(ml_client):
    with pytest.raises(AttributeError):
        ml_client.jobs.create_or_updte(None)


def test_unknown_keyword_fails(ml_client):
    with pytest.raises(TypeError, match="computee"):
        ml_client.jobs.create_or_update(None, computee="cpu-cluster")


def test_missing_argument_fails(ml_client):
    with pytest.raises(TypeError):
        ml_client.jobs.stream()


def test_sdk_schema_rejects_an_invalid_entity(ml_client):
    with pytest.raises(Exception, match="low_priority"):
        ml_client.compute.begin_create_or_update(AmlCompute(name="c", size="STANDARD_DS3_v2", tier="cheap"))
