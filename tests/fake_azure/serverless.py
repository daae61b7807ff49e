"""Serverless API deployments of catalog models: ``workspaces/<ws>/serverlessEndpoints/<name>`` and the
Azure Marketplace subscriptions some of them need, ``workspaces/<ws>/marketplaceSubscriptions/<name>``.

What Azure checks, from Learn, "Deploy models as serverless API deployments"
(MicrosoftDocs/azure-ai-docs, articles/machine-learning/how-to-deploy-models-serverless.md):

- the model id names a model of a registry, without a version: "serverless API endpoints always deploy the
  model's latest version" (the SDK refuses a versioned id itself; that the model exists is
  ``references.missing``'s check, made before this module's);
- a model that Microsoft does not offer (Meta's, Mistral's: registries other than ``azureml``) is billed
  through Azure Marketplace, so the workspace must be subscribed to its offer first; Microsoft's models
  (those of the ``azureml`` registry, such as Phi) need no subscription;
- the deployment's name becomes part of its URL, ``https://<name>.<region>.models.ai.azure.com``, which must
  be unique in each Azure region: two workspaces of one region can't use the same name.

Azure fills in the rest when it accepts the request: the subscription's Marketplace plan and status, the
endpoint's ``Consumption`` SKU, its URL and ``key`` authentication when none is asked for. The plan's
publisher, offer and plan ids are the Marketplace's own and aren't published per model: the fake makes
them from the model id.
"""

from __future__ import annotations

from tests.fake_azure.arm import ResourceStore, key_of, kind_of
from tests.fake_azure.references import REGISTRY_ASSET

MICROSOFT_MODELS = "azureml"  # the registry of the catalog models Microsoft offers and bills itself
HOST = "models.ai.azure.com"


def is_serverless(path: str) -> bool:
    return kind_of(key_of(path)) in ("serverlessendpoints", "marketplacesubscriptions")


def refused(path: str, body: dict, arm: ResourceStore, region: str) -> list[str]:
    """What Azure refuses of a serverless endpoint (empty for a subscription, whose model exists)."""
    if kind_of(key_of(path)) != "serverlessendpoints":
        return []
    model_id = body["properties"]["modelSettings"]["modelId"]
    workspace, _, name = path.rstrip("/").rsplit("/", 2)
    problems = []
    if REGISTRY_ASSET.match(model_id)["registry"] != MICROSOFT_MODELS and not _subscribed(arm, workspace, model_id):
        problems.append(f"model '{model_id}' is offered through Azure Marketplace: subscribe the workspace to its "
                        f"offer (a marketplace subscription with this model id) before deploying it")
    for other in arm.of_kind("serverlessendpoints"):
        same_workspace = key_of(other["id"]).startswith(key_of(workspace) + "/")
        if other["name"].lower() == name.lower() and not same_workspace and other.get("location") == region:
            problems.append(f"serverless endpoint name '{name}' is already used in region {region}: "
                            f"its URL must be unique in the region")
    return problems


def accepted(path: str, body: dict, region: str) -> None:
    """What Azure adds to a subscription or an endpoint it accepts."""
    properties = body.setdefault("properties", {})
    properties["provisioningState"] = "Succeeded"
    if kind_of(key_of(path)) == "marketplacesubscriptions":
        model = REGISTRY_ASSET.match(properties["modelId"])
        properties["marketplacePlan"] = {"publisherId": model["registry"], "offerId": model["name"].lower(),
                                         "planId": f"{model['name'].lower()}-offer"}
        properties["marketplaceSubscriptionStatus"] = "Subscribed"
        return
    name = path.rstrip("/").rsplit("/", 1)[-1]
    body["location"] = body.get("location") or region
    body["sku"] = body.get("sku") or {"name": "Consumption"}
    properties["authMode"] = properties.get("authMode") or "Key"
    properties["inferenceEndpoint"] = {"uri": f"https://{name.lower()}.{body['location']}.{HOST}", "headers": {}}


def _subscribed(arm: ResourceStore, workspace: str, model_id: str) -> bool:
    return any(doc["properties"].get("modelId") == model_id
               for doc in arm.children(f"{workspace}/marketplaceSubscriptions"))
