import json
import re
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from azure.ai.ml import MLClient, load_component, load_job, load_registry
from azure.ai.ml.entities import (
    Environment,
    ManagedOnlineDeployment,
    ManagedOnlineEndpoint,
    Model,
    Registry,
    RegistryRegionDetails,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential

from tests.ch03_deployment_solution.test_deployment_solution import REQUEST, predicted
from tests.ch26_registries_and_promotion.conftest import PROD, REGISTRY, TEST, client_of, registry_client, target
from tests.fake_azure.locations import blob_key

FOLDER = "ch26_registries_and_promotion"
SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / FOLDER


# --- creating a registry ---------------------------------------------------------------------
def test_yaml_and_python_describe_the_same_registry(workspace, run_snippet):
    from_yaml = load_registry(SNIPPETS / "registry.yml")

    run_snippet(f"{FOLDER}/create_registry.py")

    (sent,) = workspace.created("registries")
    for registry in (from_yaml, sent):
        assert (registry.name, registry.location, registry.tags) == (REGISTRY, "eastus", {"purpose": "mlops"})
        regions = [region.location for region in registry.replication_locations]
        assert registry.location in regions  # Azure's rule: the primary region is replicated too
        assert regions == ["eastus", "westeurope"]


def test_cli_script_creates_the_registry_from_its_yaml():
    script = (SNIPPETS / "create_registry.sh").read_text()
    assert re.findall(r"az ml registry create --file (\S+)", script) == ["registry.yml"]


def test_a_new_registry_is_found_by_discovery_and_starts_empty(workspace, run_snippet, capsys):
    run_snippet(f"{FOLDER}/create_registry.py")

    assert capsys.readouterr().out.splitlines()[-1] == f"{REGISTRY} ['eastus', 'westeurope']"
    stored = workspace.reader.registries.get(REGISTRY)
    assert stored.discovery_url.endswith(f"/registries/{REGISTRY}/discovery")
    assert stored.mlflow_registry_uri.startswith("azureml://eastus.api.azureml.ms/mlflow/")
    # a client of the registry alone: discovery tells it the registry's subscription and group
    registry = registry_client()
    assert registry.resource_group_name == workspace.reader.resource_group_name
    assert list(registry.models.list()) == [] and list(registry.components.list()) == []


@pytest.mark.parametrize("name", ["r", "-starts-with-a-hyphen", "has.a.dot", "x" * 33])
def test_a_registry_name_azure_does_not_allow_is_refused(workspace, name):
    registry = Registry(name=name, location="eastus", replication_locations=[RegistryRegionDetails(location="eastus")])

    with pytest.raises(HttpResponseError, match=f"Registry name '{re.escape(name)}' is invalid"):
        workspace.reader.registries.begin_create(registry).result()
    assert workspace.azure.registries.keys() == {"azureml", "azureml-meta"}


def test_the_primary_region_must_be_a_replication_location(workspace):
    registry = Registry(name=REGISTRY, location="eastus",
                        replication_locations=[RegistryRegionDetails(location="westeurope")])

    with pytest.raises(HttpResponseError, match="primary location 'eastus' .* must also be one of its replication"):
        workspace.reader.registries.begin_create(registry).result()
    with pytest.raises(ResourceNotFoundError):
        workspace.reader.registries.get(REGISTRY)


# --- sharing from the dev workspace ----------------------------------------------------------
def test_sharing_copies_the_model_and_environment_into_the_registry(dev, run_snippet, capsys):
    run_snippet(f"{FOLDER}/share_to_registry.py")

    model_id, environment_id = capsys.readouterr().out.splitlines()[-2:]
    registry = registry_client()
    model = registry.models.get("diabetes-classifier", version="1")
    original = dev.get("models", "diabetes-classifier", version="1")
    assert model.id == model_id == f"azureml://registries/{REGISTRY}/models/diabetes-classifier/versions/1"
    assert (model.type, model.tags, model.flavors) == (original.type, original.tags, original.flavors)
    # Azure copies the files into the registry's own storage: the registry's copy no longer needs the workspace
    assert not model.path.startswith("azureml://") and REGISTRY in model.path
    blobs = dev.azure.blobs.blobs
    copied = {key.rsplit("/", 1)[-1]: data for key, data in blobs.items() if key.startswith(f"{REGISTRY}/models/")}
    folder = blob_key(original.path, dev.azure.workspace_path("rg-dp100-labs", "mlw-dp100-labs"), dev.azure.arm)
    files = {key.rsplit("/", 1)[-1]: data for key, data in blobs.items() if key.startswith(f"{folder}/")}
    assert "MLmodel" in files and copied == files
    environment = registry.environments.get("sklearn-mlflow", version="1")
    assert environment.id == environment_id
    assert environment.conda_file == dev.get("environments", "sklearn-mlflow", version="1").conda_file
    (call,) = dev.sent("models", "share")
    assert call.kwargs == {"name": "diabetes-classifier", "version": "1", "registry_name": REGISTRY,
                           "share_with_name": "diabetes-classifier", "share_with_version": "1"}
    # the dev workspace keeps its own version, untouched
    assert dev.get("models", "diabetes-classifier", version="1").path == original.path


def test_sharing_into_a_registry_that_does_not_exist_fails(workspace):
    with pytest.raises(HttpResponseError, match="registry 'reg-nobody-made' not found"):
        workspace.reader.models.share("diabetes-classifier", "1", registry_name="reg-nobody-made",
                                      share_with_name="diabetes-classifier", share_with_version="1")


def test_a_version_is_shared_once(dev, run_snippet):
    run_snippet(f"{FOLDER}/share_to_registry.py")

    with pytest.raises(Exception, match="already exists in registry"):
        run_snippet(f"{FOLDER}/share_to_registry.py")


def test_a_workspace_outside_the_registrys_regions_cannot_share(dev, tmp_path):
    dev.azure.add_workspace("rg-mlops-japan", "mlw-japan", location="japaneast")
    japan = client_of("rg-mlops-japan", "mlw-japan")
    (tmp_path / "tiny").mkdir()
    (tmp_path / "tiny" / "weights.bin").write_bytes(b"0")
    japan.models.create_or_update(Model(name="tiny", version="1", path=tmp_path / "tiny", type="custom_model"))

    with pytest.raises(HttpResponseError, match="japaneast, which isn't one of the regions of registry"):
        japan.models.share("tiny", "1", registry_name=REGISTRY, share_with_name="tiny", share_with_version="1")


# --- creating in the registry ----------------------------------------------------------------
def test_the_component_and_its_code_live_in_the_registry(shared, capsys):
    component = registry_client().components.get("prep_diabetes_data", version="1")

    assert component.id == f"azureml://registries/{REGISTRY}/components/prep_diabetes_data/versions/1"
    assert component.environment == f"azureml://registries/{REGISTRY}/environments/sklearn-mlflow/versions/1"
    assert component.code.startswith(f"azureml://registries/{REGISTRY}/codes/")
    assert shared.all("components") == []  # no workspace holds it


@pytest.mark.parametrize(("environment", "refusal"), [
    ("/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-dp100-labs/providers/"
     "Microsoft.MachineLearningServices/workspaces/mlw-dp100-labs/environments/sklearn-mlflow/versions/1",
     "environment 'sklearn-mlflow' version '1' is a workspace's"),
    (f"azureml://registries/{REGISTRY}/environments/sklearn-mlflow/versions/2",
     f"environment 'sklearn-mlflow' version '2' not found in registry '{REGISTRY}'"),
])
def test_a_registry_component_uses_only_assets_the_registry_holds(shared, environment, refusal):
    component = load_component(SNIPPETS / "prep_component.yml")
    component.environment, component.version = environment, "2"

    with pytest.raises(HttpResponseError, match=re.escape(refusal)):
        registry_client().components.create_or_update(component)


def test_the_prep_script_runs_for_real(run_snippet, tmp_path, capsys):
    source = tmp_path / "diabetes.csv"
    pd.DataFrame({"PatientID": [1, 2, 3, 4], "PlasmaGlucose": [80, 120, None, 160], "BMI": [20.0, 30.0, 25.0, 40.0],
                  "Diabetic": [0, 1, 1, 1]}).to_csv(source, index=False)

    run_snippet(f"{FOLDER}/src/prep_data.py", "--input_data", str(source), "--output_data", str(tmp_path / "out"))

    prepared = pd.read_csv(tmp_path / "out" / "diabetes.csv")
    assert list(prepared["PatientID"]) == [1, 2, 4]  # the incomplete row is gone
    assert list(prepared["PlasmaGlucose"]) == [0.0, 0.5, 1.0] and list(prepared["BMI"]) == [0.0, 0.5, 1.0]
    assert list(prepared["Diabetic"]) == [0, 1, 1]  # the label is left as it is
    assert capsys.readouterr().out.strip() == "Prepared 3 rows"


# --- using registry assets in other workspaces -----------------------------------------------
def test_the_test_workspace_runs_a_pipeline_of_registry_components(shared, run_snippet, monkeypatch, capsys):
    shared.azure.add_workspace(*TEST)
    target(monkeypatch, *TEST)

    run_snippet(f"{FOLDER}/pipeline_from_registry.py")

    name, component = capsys.readouterr().out.split()[-2:]
    component_id = f"azureml://registries/{REGISTRY}/components/prep_diabetes_data/versions/1"
    assert component == component_id
    job = client_of(*TEST).jobs.get(name)  # submitted to the test workspace, not to dev
    assert job.jobs["prep"].component == component_id
    assert shared.all("jobs") == []
    assert list(client_of(*TEST).components.list()) == []  # the test workspace holds no copy of it


def test_a_job_naming_a_version_the_registry_lacks_is_refused(shared, monkeypatch, tmp_path):
    shared.azure.add_workspace(*TEST)
    (tmp_path / "job.yml").write_text(
        "type: pipeline\nsettings:\n  default_compute: azureml:serverless\njobs:\n  prep:\n"
        f"    component: azureml://registries/{REGISTRY}/components/prep_diabetes_data/versions/9\n"
        "    inputs:\n      input_data:\n        type: uri_file\n"
        "        path: azureml://datastores/workspaceblobstore/paths/diabetes/diabetes.csv\n")

    with pytest.raises(HttpResponseError, match="component 'prep_diabetes_data' version '9' not found in registry"):
        client_of(*TEST).jobs.create_or_update(load_job(tmp_path / "job.yml"))


def test_prod_deploys_the_registry_model_by_its_id(shared, run_snippet, monkeypatch, capsys):
    shared.azure.add_workspace(*PROD)
    target(monkeypatch, *PROD)

    run_snippet(f"{FOLDER}/deploy_from_registry.py")

    in_registry = registry_client().models.get("diabetes-classifier", version="1")
    prod = client_of(*PROD)
    deployment = prod.online_deployments.get("diabetes-v1", endpoint_name="diabetes-registry")
    assert deployment.model == in_registry.id == capsys.readouterr().out.splitlines()[-1]
    assert deployment.tags["model"] == in_registry.id
    assert prod.online_endpoints.get("diabetes-registry").traffic == {"diabetes-v1": 100}
    assert list(prod.models.list()) == []  # prod registers nothing of its own: it uses the registry's copy


def test_a_deployment_of_a_model_the_registry_lacks_is_refused(shared):
    shared.azure.add_workspace(*PROD)
    missing = f"azureml://registries/{REGISTRY}/models/diabetes-classifier/versions/2"
    prod = client_of(*PROD)
    prod.online_endpoints.begin_create_or_update(ManagedOnlineEndpoint(name="diabetes-registry")).result()
    deployment = ManagedOnlineDeployment(name="diabetes-v2", endpoint_name="diabetes-registry", model=missing,
                                         instance_type="Standard_F4s_v2", instance_count=1)

    with pytest.raises(HttpResponseError, match=f"model 'diabetes-classifier' version '2' not found in registry "
                                                f"'{REGISTRY}'"):
        prod.online_deployments.begin_create_or_update(deployment).result()


def test_microsofts_registry_can_be_read_but_not_written(workspace):
    azureml = MLClient(DefaultAzureCredential(), registry_name="azureml")
    assert azureml.environments.get("sklearn-1.5", label="latest").id.startswith("azureml://registries/azureml/")

    with pytest.raises(HttpResponseError, match="Microsoft's registries are read-only"):
        azureml.environments.create_or_update(Environment(name="mine", version="1", image="python:3.11-slim"))


def test_a_workspace_outside_the_registrys_regions_cannot_use_its_model(shared, run_snippet, monkeypatch):
    shared.azure.add_workspace("rg-mlops-japan", "mlw-japan", location="japaneast")
    target(monkeypatch, "rg-mlops-japan", "mlw-japan")

    with pytest.raises(HttpResponseError, match="'mlw-japan' is in japaneast, which isn't one of the regions of "
                                                f"registry '{REGISTRY}' \\(eastus, westeurope\\)"):
        run_snippet(f"{FOLDER}/deploy_from_registry.py")



def test_prod_answers_with_the_model_trained_in_dev(workspace, mlflow_classifier, run_snippet, monkeypatch,
                                                     tmp_path, capsys):
    """The whole flow for real: chapter 12's job trains the model and chapter 16 registers it in dev; the
    registry's copy, deployed to a prod workspace, answers as the job's own model does."""
    run_snippet("ch09_environments/environment_from_conda.py")
    for step in ("create_registry.py", "share_to_registry.py"):
        run_snippet(f"{FOLDER}/{step}")
    workspace.azure.add_workspace(*PROD)
    target(monkeypatch, *PROD)
    run_snippet(f"{FOLDER}/deploy_from_registry.py")

    answer = client_of(*PROD).online_endpoints.invoke(endpoint_name="diabetes-registry", request_file=str(REQUEST))

    tracking_uri = workspace.get("workspaces", "mlw-dp100-labs").mlflow_tracking_uri
    trained = mlflow.artifacts.download_artifacts(f"runs:/{mlflow_classifier}/model", dst_path=str(tmp_path),
                                                  tracking_uri=tracking_uri)
    assert json.loads(answer) == predicted(Path(trained))
