"""A Foundry project's data plane, as ``azure-ai-projects`` 2.x calls it.

``AIProjectClient(endpoint="https://<resource>.services.ai.azure.com/api/projects/<project>")`` lists
and reads the project's connections (``GET .../connections[/<name>]``) and the model deployments it can
use (``GET .../deployments[/<name>]``), with ``api-version=v1`` and an Entra ID bearer token for the
scope ``https://ai.azure.com/.default`` (``azure/ai/projects/_client.py``, ``operations/_operations.py``).
The answers are built from what Azure Resource Manager holds (the fake's store):
- the Foundry resource ``Microsoft.CognitiveServices/accounts/<resource>`` (found in any resource
  group by its custom subdomain, as DNS finds it) and its project ``accounts/<resource>/projects/<p>``;
- the project's connections ``.../projects/<p>/connections/<name>`` (ARM: ``category``, ``target``,
  ``authType``, ``metadata``), read as ``Connection`` (``type``, ``target``, ``credentials.type``);
- the resource's deployments ``accounts/<resource>/deployments/<name>`` (ARM: ``properties.model``
  ``{format, name, version}``, ``sku``), which every project of the resource sees, read as
  ``ModelDeployment`` (``modelName``, ``modelVersion``, ``modelPublisher``, ``sku``).
Refusals: a request without a bearer token (401: a Foundry project takes Entra ID only), a resource or
project that does not exist (404). Wording: the fake's own.
Connections are listed by type with ``connectionType`` (the ARM ``category``, e.g. ``AppInsights``), and
``POST .../connections/<name>/getConnectionWithCredentials`` adds the stored key of an ``ApiKey``
connection (what ``project.telemetry.get_application_insights_connection_string()`` reads: the connected
Application Insights resource's connection string, ``operations/_patch_telemetry.py``).
"""

from __future__ import annotations

from tests.fake_azure import http
from tests.fake_azure.arm import ResourceStore

HOST_SUFFIX = ".services.ai.azure.com"
ACCOUNTS = "microsoft.cognitiveservices/accounts"
COLLECTIONS = {"connections", "deployments"}


def handle(prepared, request: http.Request, store: ResourceStore):
    if not str(request.headers.get("Authorization", "")).startswith("Bearer "):
        return http.error(prepared, 401, "PermissionDenied", "a Foundry project takes a Microsoft Entra ID token")
    parts = [part for part in request.path.split("/") if part]
    if len(parts) < 4 or parts[:2] != ["api", "projects"] or parts[3] not in COLLECTIONS:
        return http.error(prepared, 404, "NotFound", f"the fake Foundry project has no API at {request.path}")
    account = _account(store, request.host.removesuffix(HOST_SUFFIX))
    project = account and store.get(f"{account['id']}/projects/{parts[2]}")
    if project is None:
        return http.error(prepared, 404, "NotFound", f"project '{parts[2]}' not found on {request.host}")
    if parts[3] == "connections":
        found = [_connection(doc) for doc in store.children(f"{project['id']}/connections")
                 if request.query.get("connectiontype") in (None, doc["properties"]["category"])]
    else:
        found = [_deployment(doc) for doc in store.children(f"{account['id']}/deployments")]
    if len(parts) == 4:
        return http.response(prepared, 200, {"value": found})
    named = [item for item in found if item["name"] == parts[4]]
    if not named:
        return http.error(prepared, 404, "NotFound", f"{parts[3][:-1]} '{parts[4]}' not found")
    if parts[5:] == ["getConnectionWithCredentials"] and request.method == "POST":
        stored = store.get(f"{project['id']}/connections/{parts[4]}")["properties"]
        secret = {"key": stored["credentials"]["key"]} if stored["authType"] == "ApiKey" else {}
        return http.response(prepared, 200, named[0] | {"credentials": named[0]["credentials"] | secret})
    return http.response(prepared, 200, named[0])


def _account(store: ResourceStore, subdomain: str) -> dict | None:
    for key, document in store.resources.items():
        if key.split("/providers/", 1)[-1].rsplit("/", 1)[0] == ACCOUNTS and document.get(
                "properties", {}).get("customSubDomainName", "").lower() == subdomain.lower():
            return document
    return None


def _connection(document: dict) -> dict:
    properties = document["properties"]
    return {"name": document["name"], "id": document["id"], "type": properties["category"],
            "target": properties["target"], "isDefault": properties.get("isDefault", False),
            "credentials": {"type": properties["authType"]}, "metadata": properties.get("metadata", {})}


def _deployment(document: dict) -> dict:
    model = document["properties"]["model"]
    publisher = "OpenAI" if model["format"] == "OpenAI" else model["format"]
    return {"type": "ModelDeployment", "name": document["name"], "modelName": model["name"],
            "modelVersion": model["version"], "modelPublisher": publisher, "capabilities": {},
            "sku": document.get("sku", {})}
