"""Chapter 31: serverless and managed-compute deployments (fake Azure); model choice and PTU sizing (for real)."""

import re
import runpy

import pytest
from azure.ai.ml import MLClient
from azure.ai.ml.constants._common import REGISTRY_VERSION_PATTERN
from azure.ai.ml.entities import ManagedOnlineDeployment, MarketplaceSubscription, ServerlessEndpoint
from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential

from tests.conftest import SNIPPETS
from tests.fake_azure.arm import key_of, kind_of
from tests.fake_azure.catalog import facts

FOLDER = SNIPPETS / "ch31_deploy_foundation_models"
CATALOG = facts("catalog_models")["registries"]
GPU_SERIES = ("STANDARD_NC", "STANDARD_ND", "STANDARD_NV")


def written(workspace, kind: str) -> list[tuple[str, dict]]:
    """The ARM PUTs of one kind of resource, in the order the snippet sent them."""
    return [(path, body) for path, body in workspace.azure.writes if kind_of(key_of(path)) == kind]


def registry_and_model(model_id: str) -> tuple[str, str]:
    match = re.match(r"^azureml://registries/([^/]+)/models/([^/]+)$", model_id)
    assert match, f"{model_id} isn't a registry model id without a version"
    return match[1], match[2]


# --- serverless_api.py --------------------------------------------------------------------------


def test_serverless_endpoints_serve_catalog_models(workspace, run_snippet, capsys):
    run_snippet("ch31_deploy_foundation_models/serverless_api.py")
    endpoints = written(workspace, "serverlessendpoints")
    assert len(endpoints) == 2
    for _, body in endpoints:
        model_id = body["properties"]["modelSettings"]["modelId"]
        assert not re.match(REGISTRY_VERSION_PATTERN, model_id)  # Azure serves the latest version
        registry, model = registry_and_model(model_id)
        assert model in [m["name"] for m in CATALOG[registry]]
        assert body["sku"] == {"name": "Consumption"}  # pay per token
    out = capsys.readouterr().out
    for path, _ in endpoints:
        name = path.rsplit("/", 1)[-1]
        assert f"{name}: https://{name}.{workspace.azure.workspace('rg-dp100-labs', 'mlw-dp100-labs')['location']}" \
               f".models.ai.azure.com\n" in out


def test_only_non_microsoft_models_get_a_marketplace_subscription_first(workspace, run_snippet, capsys):
    run_snippet("ch31_deploy_foundation_models/serverless_api.py")
    order = [(kind_of(key_of(path)), body["properties"]) for path, body in workspace.azure.writes]
    subscriptions = [props["modelId"] for kind, props in order if kind == "marketplacesubscriptions"]
    for position, (kind, props) in enumerate(order):
        if kind != "serverlessendpoints":
            continue
        registry, _ = registry_and_model(props["modelSettings"]["modelId"])
        earlier = [p["modelId"] for k, p in order[:position] if k == "marketplacesubscriptions"]
        assert (props["modelSettings"]["modelId"] in earlier) == (registry != "azureml")
    assert all(registry_and_model(model_id)[0] != "azureml" for model_id in subscriptions)
    assert ": subscribed\n" in capsys.readouterr().out


def test_azure_ai_ml_sends_no_auth_mode_so_the_endpoint_uses_keys(workspace, run_snippet, capsys):
    run_snippet("ch31_deploy_foundation_models/serverless_api.py")
    assert all("authMode" not in body["properties"] for _, body in written(workspace, "serverlessendpoints"))
    key = workspace.reader.serverless_endpoints.get_keys("llama3-8b-study-notes").primary_key
    assert f"uses Key auth; a key is {len(key)} characters long" in capsys.readouterr().out
    endpoint = ServerlessEndpoint(name="phi4-entra", model_id="azureml://registries/azureml/models/Phi-4",
                                  auth_mode="aad")
    assert "authMode" not in endpoint._to_rest_object().as_dict().get("properties", {})


def test_a_marketplace_model_without_its_subscription_is_refused(workspace):
    endpoint = ServerlessEndpoint(name="llama3-no-offer",
                                  model_id="azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct")
    with pytest.raises(HttpResponseError, match="Azure Marketplace"):
        workspace.reader.serverless_endpoints.begin_create_or_update(endpoint).result()


def test_a_model_the_registry_does_not_hold_is_refused(workspace):
    endpoint = ServerlessEndpoint(name="phi-nine", model_id="azureml://registries/azureml/models/Phi-9")
    with pytest.raises(ResourceNotFoundError, match="model 'Phi-9' not found in registry 'azureml'"):
        workspace.reader.serverless_endpoints.begin_create_or_update(endpoint).result()
    offer = MarketplaceSubscription(name="no-such-offer", model_id="azureml://registries/azureml-meta/models/Nope")
    with pytest.raises(ResourceNotFoundError, match="not found in registry 'azureml-meta'"):
        workspace.reader.marketplace_subscriptions.begin_create_or_update(offer).result()


def test_a_versioned_model_id_is_refused_by_the_sdk(workspace):
    endpoint = ServerlessEndpoint(name="phi4-pinned", model_id="azureml://registries/azureml/models/Phi-4/versions/8")
    with pytest.raises(ValidationException, match="without the version"):
        workspace.reader.serverless_endpoints.begin_create_or_update(endpoint)


def test_an_endpoint_name_is_unique_in_its_region(workspace, run_snippet):
    run_snippet("ch31_deploy_foundation_models/serverless_api.py")
    here = workspace.azure.workspace("rg-dp100-labs", "mlw-dp100-labs")["location"]
    workspace.azure.add_workspace("rg-other-team", "mlw-same-region", location=here)
    workspace.azure.add_workspace("rg-other-team", "mlw-elsewhere", location="swedencentral")
    def phi():  # the SDK writes the workspace's region into the entity it sends: a fresh one each time
        return ServerlessEndpoint(name="phi4-study-notes", model_id="azureml://registries/azureml/models/Phi-4")

    elsewhere = MLClient(DefaultAzureCredential(), "sub", "rg-other-team", "mlw-elsewhere")
    assert elsewhere.serverless_endpoints.begin_create_or_update(phi()).result().location == "swedencentral"
    same_region = MLClient(DefaultAzureCredential(), "sub", "rg-other-team", "mlw-same-region")
    with pytest.raises(HttpResponseError, match=f"already used in region {here}"):
        same_region.serverless_endpoints.begin_create_or_update(phi()).result()
    assert workspace.reader.serverless_endpoints.begin_create_or_update(phi()).result().name == "phi4-study-notes"


# --- managed_compute.py ---------------------------------------------------------------------


def test_managed_compute_pins_a_registry_model_version_on_a_gpu(workspace, run_snippet, capsys):
    run_snippet("ch31_deploy_foundation_models/managed_compute.py")
    [(_, deployment)] = written(workspace, "onlineendpoints/deployments")
    model = re.match(r"^azureml://registries/(?P<registry>[^/]+)/models/(?P<name>[^/]+)/versions/(?P<version>[^/]+)$",
                     deployment["properties"]["model"])
    assert model, "managed compute deploys one exact version"
    assert {"name": model["name"], "version": model["version"]} in [
        {"name": m["name"], "version": m["version"]} for m in CATALOG[model["registry"]]]
    size = deployment["properties"]["instanceType"].upper()
    assert size in facts("online_instance_types")["instance_types"] and size.startswith(GPU_SERIES)
    endpoint = workspace.reader.online_endpoints.get("phi35-mini-notes")
    assert endpoint.auth_mode == "aad_token"  # callers use Microsoft Entra ID tokens, no key
    assert sum(endpoint.traffic.values()) == 100
    assert capsys.readouterr().out.endswith(f"on {deployment['properties']['instanceType']}\n")


def test_managed_compute_refuses_a_version_the_registry_does_not_hold(workspace, run_snippet):
    run_snippet("ch31_deploy_foundation_models/managed_compute.py")
    missing = ManagedOnlineDeployment(name="phi35-v99", endpoint_name="phi35-mini-notes", instance_count=1,
                                      model="azureml://registries/azureml/models/Phi-3.5-mini-instruct/versions/99",
                                      instance_type="Standard_NC24ads_A100_v4")
    with pytest.raises(HttpResponseError, match="version '99' not found in registry 'azureml'"):
        workspace.reader.online_deployments.begin_create_or_update(missing).result()


# --- choose_model.py, for real -----------------------------------------------------------------

CHOOSE = runpy.run_path(str(FOLDER / "choose_model.py"))


def needs(**changes):
    base = dict(min_quality=0.75, max_seconds_to_first_token=1.0, prompt_tokens=3_000, completion_tokens=300,
                modalities=frozenset({"text", "image"}), region="swedencentral", deployment="serverless")
    return CHOOSE["Needs"](**{**base, **changes})


def test_the_script_picks_the_cheapest_model_that_fits(run_snippet, capsys):
    run_snippet("ch31_deploy_foundation_models/choose_model.py")
    # by hand: 1,000 x (3,000 x 0.15 + 300 x 0.60) / 1e6 = 0.63; the large model costs 10.50
    assert capsys.readouterr().out == "small-multimodal: 0.63 per 1,000 requests\n"


@pytest.mark.parametrize(("changes", "expected"), [
    ({"min_quality": 0.85}, "large-multimodal"),  # quality rules the small one out
    ({"max_seconds_to_first_token": 0.5, "min_quality": 0.5}, "small-multimodal"),
    ({"modalities": frozenset({"text"}), "region": "westeurope", "min_quality": 0.7}, "open-small-text"),
    ({"modalities": frozenset({"text"}), "region": "westeurope", "min_quality": 0.7, "prompt_tokens": 20_000},
     "small-multimodal"),  # a long prompt needs the larger context window
    ({"modalities": frozenset({"text"}), "deployment": "managed-compute"}, "open-large-text"),
])
def test_each_constraint_narrows_the_choice(changes, expected):
    changes = {"region": "eastus2", **changes} if changes.get("deployment") == "managed-compute" else changes
    assert CHOOSE["pick"](CHOOSE["EXAMPLE_CANDIDATES"], needs(**changes)).name == expected


def test_no_fitting_model_is_an_error_not_a_guess():
    with pytest.raises(LookupError):
        CHOOSE["pick"](CHOOSE["EXAMPLE_CANDIDATES"], needs(region="japaneast"))


# --- ptu_sizing.py, for real: expectations worked by hand from Learn's method ---------------------

PTU = runpy.run_path(str(FOLDER / "ptu_sizing.py"))
DATA_ZONE, REGIONAL = "DataZoneProvisionedManaged", "ProvisionedManaged"


def test_the_per_model_figures_are_learns():
    """Every model the snippet sizes, with Learn's figures (facts/provisioned_throughput.yml)."""
    learn = facts("provisioned_throughput")["models"]
    assert set(PTU["MODELS"]) <= set(learn)
    assert {name: figures._asdict() for name, figures in PTU["MODELS"].items()} == {
        name: learn[name] for name in PTU["MODELS"]}


def test_learns_worked_example():
    # Learn: 1,000 RPM x (200 in, 20 out) on gpt-5.2 Data Zone: (200,000 + 8 x 20,000) / 3,400 = 105.88 -> 110
    raw, ptus = PTU["ptus_needed"]("gpt-5.2", DATA_ZONE, 1_000, 200, 20)
    assert round(raw, 2) == 105.88 and ptus == 110
    raw, ptus = PTU["ptus_needed"]("gpt-5.2", DATA_ZONE, 1_000, 200, 20, cache_rate=0.5)
    assert round(raw, 2) == 76.47 and ptus == 80  # cached prompt tokens use no capacity


@pytest.mark.parametrize(("model", "kind", "rpm", "prompt", "completion", "expected"), [
    ("gpt-5.2", DATA_ZONE, 340, 200, 0, 20),  # exactly 20.0 PTUs: already on the increment
    ("gpt-5.2", DATA_ZONE, 10, 200, 20, 15),  # 1.06 PTUs: the 15-PTU minimum
    ("gpt-5.2", REGIONAL, 1_000, 200, 20, 150),  # regional grows in 50s: 105.88 -> 150
    ("gpt-4o-mini", REGIONAL, 1_000, 1_000, 100, 50),  # (1,000,000 + 4 x 100,000) / 37,000 = 37.8 -> 50
    ("Llama-3.3-70B-Instruct", "GlobalProvisionedManaged", 1_000, 1_000, 200, 300),  # 1,800,000 / 8,450 = 213
])
def test_rounding_to_increment_and_minimum(model, kind, rpm, prompt, completion, expected):
    raw, ptus = PTU["ptus_needed"](model, kind, rpm, prompt, completion)
    assert ptus == expected
    figures = PTU["MODELS"][model]
    assert ptus >= max(raw, figures.minimum[kind]) and ptus % figures.increment[kind] == 0
    assert ptus - figures.increment[kind] < max(raw, figures.minimum[kind])  # the smallest such size


@pytest.mark.parametrize(("model", "kind", "cache_rate", "problem"), [
    ("Llama-3.3-70B-Instruct", REGIONAL, 0, "no ProvisionedManaged"),  # Learn: NA for this model
    ("gpt-5.2", DATA_ZONE, 1.5, "between 0 and 1"),
])
def test_impossible_sizings_are_errors(model, kind, cache_rate, problem):
    with pytest.raises(ValueError, match=problem):
        PTU["ptus_needed"](model, kind, 100, 100, 10, cache_rate=cache_rate)


def test_monthly_costs_by_hand():
    # 110 PTUs x 1.00 x 730 h = 80,300; 600 rpm x 60 x 730 = 26,280,000 requests x (200 x 1.75 + 20 x 14) / 1e6
    provisioned, paygo = PTU["monthly_costs"](110, 1.00, 600, 200, 20, 1.75, 14.00)
    assert provisioned == pytest.approx(80_300) and paygo == pytest.approx(16_556.4)
    # PTUs pay off only when the reserved capacity is kept busy: the same traffic at 5x the volume
    assert PTU["monthly_costs"](110, 1.00, 3_000, 200, 20, 1.75, 14.00)[1] > provisioned


def test_the_sizing_script_prints_the_answer(run_snippet, capsys):
    run_snippet("ch31_deploy_foundation_models/ptu_sizing.py")
    assert capsys.readouterr().out == ("gpt-5.2, Data Zone Provisioned: 105.88 PTUs needed, deploy 110\n"
                                       "per month: provisioned 80,300, pay-as-you-go 16,556 -> pay-as-you-go\n")
