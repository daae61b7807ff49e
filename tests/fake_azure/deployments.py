"""Template deployments (``Microsoft.Resources/deployments``): how the SDK creates a workspace.

``ml_client.workspaces.begin_create`` sends no workspace ``PUT``. It deploys the SDK's ARM template
(``azure/ai/ml/_arm_deployments/arm_templates/workspace_base.json``) to the resource group with
``PUT /subscriptions/{s}/resourcegroups/{rg}/providers/Microsoft.Resources/deployments/{name}``
(api-version 2020-06-01, body ``{"properties": {"template", "parameters", "mode"}}``), lists the
deployment's operations (``GET .../deployments/{name}/operations``) to print its progress, and then
reads the workspace back (``ArmDeploymentExecutor`` in ``azure/ai/ml/_arm_deployments/``). Answers:
``DeploymentExtended`` and ``DeploymentOperation`` in ``azure/ai/ml/_vendor/azure_resources/models``.

The fake evaluates no template expression. It knows the workspace template by the workspace
resource in it, and creates what that template deploys from the parameters: the storage account,
key vault, Log Analytics workspace and Application Insights whose option is ``new``, then the
workspace; for a workspace of kind ``featurestore``, also what ``feature_stores.py`` says the template
adds; a hub or a project (kinds ``hub``, ``project``) as ``hubs.py`` says. A resource group that does
not exist fails the deployment as in ARM. The workspace's managed
network, identities and public network access are checked, and kept as Azure keeps them, by
``managed_network.py`` (identities: ``identities.py``).
"""

from __future__ import annotations

import re
import uuid

from tests.fake_azure import feature_stores, hubs, managed_network
from tests.fake_azure.arm import ResourceStore

# ARM lists a deployment's operations at ``/resourcegroups/{rg}/deployments/{name}/operations``, without
# the provider segment of the deployment's id (api-version 2020-06-01 of Microsoft.Resources).
SHORT_DEPLOYMENT_PATH = re.compile(r"^(?P<group>/subscriptions/[^/]+/resourcegroups/[^/]+)/(?=deployments/)",
                                   re.IGNORECASE)
DURATION = "PT0.5S"  # ARM writes fractional seconds; the fake's deployments finish at once
WORKSPACE_TYPE = "Microsoft.MachineLearningServices/workspaces"
# What the workspace template creates when the option parameter is "new": (option, name parameter, type).
DEPENDENT_RESOURCES = [
    ("storageAccountOption", "storageAccountName", "Microsoft.Storage/storageAccounts"),
    ("keyVaultOption", "keyVaultName", "Microsoft.KeyVault/vaults"),
    ("applicationInsightsOption", "logAnalyticsName", "Microsoft.OperationalInsights/workspaces"),
    ("applicationInsightsOption", "applicationInsightsName", "Microsoft.Insights/components"),
]
# Workspace properties that name a resource: (property, option parameter, name parameter, group parameter, type).
LINKED_RESOURCES = [
    ("storageAccount", "storageAccountOption", "storageAccountName", "storageAccountResourceGroupName",
     "Microsoft.Storage/storageAccounts"),
    ("keyVault", "keyVaultOption", "keyVaultName", "keyVaultResourceGroupName", "Microsoft.KeyVault/vaults"),
    ("applicationInsights", "applicationInsightsOption", "applicationInsightsName",
     "applicationInsightsResourceGroupName", "Microsoft.Insights/components"),
    ("containerRegistry", "containerRegistryOption", "containerRegistryName", "containerRegistryResourceGroupName",
     "Microsoft.ContainerRegistry/registries"),
]


def canonical(path: str) -> str:
    """``path`` with a deployment named by its id's form (``.../providers/Microsoft.Resources/deployments/...``)."""
    return SHORT_DEPLOYMENT_PATH.sub(r"\g<group>/providers/Microsoft.Resources/", path)


class Refused(Exception):
    """ARM will not carry out the deployment: its HTTP status, error code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def deploy(store: ResourceStore, path: str, body: dict, add_workspace) -> dict:
    """Carry out the deployment at ``path`` and keep it with its operations; the stored deployment.

    ``add_workspace(group, name, location, tags, **properties)`` creates a workspace as Azure does.
    """
    group_path = path.split("/providers/", 1)[0]
    group = group_path.rsplit("/", 1)[-1]
    if store.get(group_path) is None:
        raise Refused(404, "ResourceGroupNotFound", f"Resource group '{group}' could not be found.")
    request = body.get("properties") or {}
    template = request.get("template") or {}
    if not any(resource.get("type") == WORKSPACE_TYPE for resource in template.get("resources", [])):
        raise Refused(400, "InvalidTemplate", "the fake does not answer deployments of this template yet: it deploys "
                      "only the SDK's workspace template (tests/fake_azure/deployments.py)")
    values = parameter_values(template, request.get("parameters") or {})
    if missing := _missing_existing(store, group, values):
        raise Refused(404, "ResourceNotFound", missing)
    # a project's template deploys the project alone: it uses its hub's resources (hubs.py)
    dependencies = [] if hubs.is_project(values) else _dependent_resources(store, group, values)
    if problems := managed_network.refused_at_creation(store, values):
        raise Refused(400, "BadRequest", "; ".join(problems))
    try:
        created = [*dependencies, _workspace(store, add_workspace, group, values)]
    except hubs.Refusal as refusal:
        raise Refused(400, "BadRequest", str(refusal)) from refusal
    if problems := managed_network.created_with(store, created[-1], values):
        store.delete(created[-1]["id"])
        raise Refused(400, "BadRequest", "; ".join(problems))
    if feature_stores.is_feature_store(values):
        created += feature_stores.deploy(store, group, values, created[-1])
    deployment = store.put(path, {"properties": {
        "mode": request.get("mode", "Incremental"), "parameters": request.get("parameters") or {},
        "correlationId": str(uuid.uuid4()), "duration": DURATION, "outputs": {},
        "outputResources": [{"id": resource["id"]} for resource in created],
    }})
    deployment["properties"]["timestamp"] = deployment["systemData"]["createdAt"]
    for resource in created:
        operation = str(uuid.uuid4()).replace("-", "").upper()[:16]
        store.put(f"{path}/operations/{operation}", {"operationId": operation, "properties": _operation(resource)})
    return deployment


def parameter_values(template: dict, parameters: dict) -> dict:
    """Each parameter's value as sent, else the template's default (unless that is an expression)."""
    defaults = {name: spec["defaultValue"] for name, spec in (template.get("parameters") or {}).items()
                if not str(spec.get("defaultValue", "[")).startswith("[")}
    return {**defaults, **{name: spec.get("value") for name, spec in parameters.items()}}


def _dependent_resources(store: ResourceStore, group: str, values: dict) -> list[dict]:
    return [
        store.put(f"/subscriptions/*/resourceGroups/{group}/providers/{kind}/{values[name]}",
                  {"location": values["location"], "tags": values.get("tagValues") or {}})
        for option, name, kind in DEPENDENT_RESOURCES
        if values.get(option) == "new"
    ]


def _missing_existing(store: ResourceStore, group: str, values: dict) -> str | None:
    """ARM's answer when a dependency the parameters call ``existing`` (a workspace made on resources named
    by ARM id) is not there: the deployment fails with ``ResourceNotFound`` and creates nothing."""
    for _, option, name, group_parameter, kind in LINKED_RESOURCES:
        where = values.get(group_parameter) or group
        if values.get(option) == "existing" and store.get(
                f"/subscriptions/*/resourceGroups/{where}/providers/{kind}/{values[name]}") is None:
            return (f"The Resource '{kind}/{values[name]}' under resource group '{where}' was not found. "
                    "For more details please go to https://aka.ms/ARMResourceNotFoundFix")
    return None


def _workspace(store: ResourceStore, add_workspace, group: str, values: dict) -> dict:
    if (str(values.get("kind", "default")).lower() != "default" and not feature_stores.is_feature_store(values)
            and not hubs.kind_of(values)):
        raise Refused(400, "InvalidTemplate", f"the fake does not create '{values['kind']}' workspaces yet: "
                      "only kind 'default' (tests/fake_azure/deployments.py)")
    linked = {
        prop: f"/subscriptions/*/resourceGroups/{values.get(group_parameter) or group}/providers/{kind}/{values[name]}"
        for prop, option, name, group_parameter, kind in LINKED_RESOURCES
        if values.get(option, "none") != "none"
    }
    if hubs.kind_of(values):
        return hubs.create(store, add_workspace, group, values, linked)
    return add_workspace(group, values["workspaceName"], values["location"], values.get("tagValues") or {},
                         friendlyName=values["friendlyName"], description=values["description"], **linked)


def _operation(resource: dict) -> dict:
    """A finished ``Create`` operation of the deployment (``DeploymentOperationProperties``)."""
    kind = resource["id"].split("/providers/", 1)[1].rsplit("/", 1)[0]
    return {
        "provisioningOperation": "Create", "provisioningState": "Succeeded", "statusCode": "OK",
        "timestamp": resource["systemData"]["createdAt"], "duration": DURATION, "serviceRequestId": str(uuid.uuid4()),
        "targetResource": {"id": resource["id"], "resourceName": resource["name"], "resourceType": kind},
    }
