"""The fake Azure itself: it fails where the SDK or Azure would, answers reads as Azure does, and
keeps every request off the network."""

import socket

import pytest
import requests
from azure.ai.ml import Input, MLClient, command, load_compute
from azure.ai.ml.entities import (
    AmlCompute,
    ComputeInstance,
    ComputeSchedules,
    ComputeStartStopSchedule,
    CronTrigger,
    Environment,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential
from marshmallow import ValidationError

from tests.fake_azure.workspace import GROUP, NAME, SUBSCRIPTION

CURATED = "azureml:AzureML-sklearn-1.5@latest"  # a curated environment: every workspace has it


@pytest.fixture
def ml_client(workspace):
    return MLClient(DefaultAzureCredential(), SUBSCRIPTION, GROUP, NAME)


# --- the SDK's own checks run ------------------------------------------------------------


def test_misspelt_method_fails(ml_client):
    with pytest.raises(AttributeError, match="create_or_updte"):
        ml_client.jobs.create_or_updte(None)


def test_unknown_keyword_fails_naming_it(ml_client):
    with pytest.raises(TypeError, match="computee"):
        ml_client.jobs.create_or_update(command(command="echo hi", environment=CURATED), computee="cpu-cluster")


def test_missing_argument_fails(ml_client):
    with pytest.raises(TypeError, match="name"):
        ml_client.jobs.stream()


def test_sdk_schema_rejects_an_invalid_entity(tmp_path):
    spec = tmp_path / "cluster.yml"
    spec.write_text("name: cheap-cluster\ntype: amlcompute\nsize: STANDARD_DS3_v2\ntier: cheap\n")
    with pytest.raises(ValidationError, match=r"'cheap' passed is not in set \['low_priority', 'dedicated'\]"):
        load_compute(spec)


# --- reads answer what Azure holds -----------------------------------------------------------


def test_get_after_create_returns_what_azure_returns(ml_client, workspace):
    first = ml_client.environments.create_or_update(Environment(name="env", image="python:3.11-slim"))
    second = ml_client.environments.create_or_update(Environment(name="env", image="python:3.12-slim"))

    # No version given: Azure numbers them, and a registered version's image cannot change
    assert (first.version, second.version) == ("1", "2")
    assert ml_client.environments.get("env", version="1").image == "python:3.11-slim"
    assert ml_client.environments.get("env", version="2").image == "python:3.12-slim"
    latest = ml_client.environments.get("env", label="latest")
    assert latest.version == "2"
    assert latest.id.endswith(f"/workspaces/{NAME}/environments/env/versions/2")
    assert latest.creation_context.created_by == "reader@contoso.com"  # Azure's systemData
    # The same definition again is not a new version
    assert ml_client.environments.create_or_update(Environment(name="env", image="python:3.12-slim")).version == "2"
    with pytest.raises(ResourceNotFoundError, match="environment 'other' version '1' not found"):
        ml_client.environments.get("other", version="1")
    assert workspace.get("environments", "env", version="1").image == "python:3.11-slim"


def test_list_honours_name(ml_client):
    for name, image in [("env-a", "python:3.11-slim"), ("env-a", "python:3.12-slim"), ("env-b", "python:3.11-slim")]:
        ml_client.environments.create_or_update(Environment(name=name, image=image))

    assert sorted(e.version for e in ml_client.environments.list(name="env-a")) == ["1", "2"]
    assert [e.version for e in ml_client.environments.list(name="env-b")] == ["1"]
    # Without a name: one entry per environment, the workspace's curated ones included
    assert {"env-a", "env-b", "AzureML-sklearn-1.5"} <= {e.name for e in ml_client.environments.list()}


def test_top_level_create_reaches_the_same_fake(ml_client, workspace):
    poller = ml_client.begin_create_or_update(AmlCompute(name="cpu-cluster", size="STANDARD_DS3_v2", max_instances=3))

    assert poller.result().max_instances == 3
    stored = workspace.get("compute", "cpu-cluster")
    assert (stored.size, stored.max_instances, stored.provisioning_state) == ("STANDARD_DS3_v2", 3, "Succeeded")
    assert [call.method for call in workspace.sent("compute")] == ["begin_create_or_update"]


# --- references must resolve -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("settings", "missing"),
    [
        ({"environment": CURATED, "compute": "nowhere"}, "compute 'nowhere' not found in the workspace"),
        ({"environment": "azureml:no-such-env:1"}, "environment 'no-such-env' version '1' not found in the workspace"),
        ({"environment": CURATED, "inputs": {"data": Input(type="uri_file", path="azureml:no-such-data:1")}},
         "data asset 'no-such-data' version '1' not found in the workspace"),
    ],
)
def test_a_reference_to_something_missing_fails(ml_client, workspace, settings, missing):
    with pytest.raises(ResourceNotFoundError, match=missing):
        ml_client.jobs.create_or_update(command(command="echo hi", **settings))
    assert workspace.azure.arm.of_kind("jobs") == []


def test_a_snippet_is_told_its_line_and_the_chapter_that_creates_what_is_missing(workspace, run_snippet):
    """Chapter 13's job, run in a workspace where chapter 8 never created the cluster."""
    with pytest.raises(ResourceNotFoundError) as refused:
        run_snippet("ch13_mlflow_in_jobs/submit_job.py")
    assert refused.match(r"snippets/ch13_mlflow_in_jobs/submit_job\.py:\d+: "
                         r"compute 'cpu-cluster' not found in the workspace \(chapter [\d, ]*\b8\b")


# --- nothing leaves the machine --------------------------------------------------------------


def test_nothing_reaches_the_network(workspace, monkeypatch):
    opened = []

    def no_socket(*args, **kwargs):
        opened.append(args)
        raise AssertionError("a socket was opened")

    monkeypatch.setattr(socket, "socket", no_socket)
    monkeypatch.setattr(socket, "create_connection", no_socket)

    answer = requests.get("https://example.com/anything", timeout=5)

    assert answer.status_code == 404
    assert answer.json()["error"]["message"] == "the fake Azure has no service at example.com"
    assert opened == []
    assert workspace.azure.requests[-1] == ("GET", "https://example.com/anything")


def test_a_compute_instance_stop_time_is_checked_as_a_schedule(ml_client):
    stop = ComputeStartStopSchedule(action="stop", trigger=CronTrigger(expression="0 24 * * 1-5"))
    instance = ComputeInstance(name="ci-late", size="STANDARD_DS3_v2",
                               schedules=ComputeSchedules(compute_start_stop=[stop]))
    with pytest.raises(HttpResponseError, match="24"):
        ml_client.compute.begin_create_or_update(instance).result()
