"""Registries: asset stores shared across workspaces, such as Microsoft's ``azureml`` registry.

A client made with ``MLClient(registry_name=...)`` first asks registry discovery where the
registry lives (``GET https://<region>.api.azureml.ms/registrymanagement/v1.0/registries/<name>/discovery``,
answered with a ``RegistryDiscoveryDto``), then reads its assets from the region's
management front end at ``<primaryRegionResourceProviderUri>mferp/managementfrontend``,
under the same paths as ARM's (``.../registries/<name>/components/<name>/versions/<version>``,
api-version 2021-10-01-dataplanepreview). Source: ``RegistryDiscovery`` and
``get_registry_versioned_asset`` / ``list_registry_assets`` in
``azure/ai/ml/_utils/_registry_utils.py``.

The ``azureml`` registry holds what the chapters use of it, from ``facts/azureml_registry/``
and ``facts/curated_environments.yml`` (each file names its source); Microsoft's registries are
read-only. A registry of the reader's own is created with an ARM PUT of
``Microsoft.MachineLearningServices/registries/<name>`` (checked against the service's rules,
``rules.py``), after which discovery answers for it and its front end takes writes: an asset version
(PUT ``.../<kind>/<name>/versions/<version>``, whose references must be assets of a registry: Learn,
"Share models, components, and environments across workspaces with registries": a registry only
supports named assets, created in the registry first), the SAS for uploading its files (PUT
``.../tempdatarefs/<name>/versions/<version>``), and an asset shared from a workspace (POST
``.../registries/<name>/import``, a ``ResourceManagementAssetReference`` naming the workspace asset
``azureml://locations/<region>/workspaces/<workspace id>/<kind>/<name>/versions/<version>``:
``share()`` in ``_model_operations.py`` and ``_environment_operations.py``, and
``begin_import_registry_asset``). Azure copies the shared asset, its files included, into the
registry's own storage (Learn: "whenever data assets are created in a registry, a copy of data is
ingested into the registry storage"), where an online deployment's storage initializer then finds
the model's files (``scoring.py``). A workspace may share into, or use the assets of, a registry of
the reader's only from one of the registry's regions (``out_of_region``; Learn: the workspace's
region must be in the list of the registry's regions).
"""

from __future__ import annotations

import copy
import functools
import re
import uuid
from pathlib import Path

from azure.ai.ml import load_component
from azure.ai.ml._restclient.arm_ml_service.models import Registry as RestRegistry
from azure.ai.ml.entities import Registry

from tests.fake_azure import assets, catalog, enforce, references
from tests.fake_azure.arm import ResourceStore, key_of
from tests.fake_azure.blob import BlobStore
from tests.fake_azure.locations import blob_key

# Microsoft's registries live in a subscription of Microsoft's; its id is not published, so the fake's is made up.
SUBSCRIPTION = "5f3f2a5c-0000-4000-8000-00000000a2e1"
GROUP = "registry-builtin-prod"
MANAGEMENT_FRONT_END = "/mferp/managementfrontend"
REGISTRY_IN_PATH = re.compile(r"/providers/Microsoft\.MachineLearningServices/registries/(?P<name>[^/]+)",
                              re.IGNORECASE)
ASSET_ID = re.compile(r"^/subscriptions/.+/registries/(?P<registry>[^/]+)/", re.IGNORECASE)
FACTS = catalog.FACTS / "azureml_registry"
MICROSOFT = ("azureml", "azureml-meta")  # Microsoft's own: the reader can read them, not write to them
REGISTRY_PATH = re.compile(r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
                           r"/providers/Microsoft\.MachineLearningServices/registries/(?P<name>[^/]+)$", re.IGNORECASE)
# What share() names: azureml://locations/<region>/workspaces/<workspace id>/<kind>/<name>/versions/<version>
# (ASSET_ID_FORMAT in azure/ai/ml/constants/_common.py).
WORKSPACE_ASSET = re.compile(r"^azureml://locations/(?P<location>[^/]+)/workspaces/(?P<workspace>[^/]+)"
                             r"/(?P<kind>[^/]+)/(?P<name>[^/]+)/versions/(?P<version>[^/]+)$")
WORKSPACE_IN_PATH = re.compile(r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/"
                               r"Microsoft\.MachineLearningServices/workspaces/[^/]+", re.IGNORECASE)
FILES = {"models": "modelUri", "data": "dataUri"}  # the kinds whose files Azure copies into the registry


def path_of(registry: str, asset: str) -> str:
    """ARM path of an asset in a registry: ``path_of("azureml", "components/x/versions/1")``."""
    return (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}"
            f"/providers/Microsoft.MachineLearningServices/registries/{registry}/{asset}")


def discovery(registry: str, region: str) -> dict:
    """Registry discovery's answer: where the registry is, and the front end that serves its assets."""
    return {"registryName": registry, "primaryRegion": region, "regions": [region],
            "subscriptionId": SUBSCRIPTION, "resourceGroup": GROUP,
            "primaryRegionResourceProviderUri": f"https://cert-{region}.experiments.azureml.net/"}


def asset_path(request_path: str) -> str:
    """The ARM path a front-end URL names: ``/mferp/managementfrontend/subscriptions/...`` -> ``/subscriptions/...``."""
    return request_path.split(MANAGEMENT_FRONT_END, 1)[-1]


def registry_named_in(path: str) -> str | None:
    match = REGISTRY_IN_PATH.search(path)
    return match["name"] if match else None


def new_store(documents: list[tuple[str, dict]]) -> ResourceStore:
    """A registry's store holding ``documents`` (asset path, REST body), with their containers.

    A registry names its assets ``azureml://registries/<registry>/<kind>/<name>[/versions/<version>]``
    (the ``id`` a registry client reads, and what a job then refers to), not by their ARM path.
    """
    store = ResourceStore()
    for path, body in documents:
        store.put(path, copy.deepcopy(body))
        assets.versioned(store, path)
    _named(store)
    return store


@functools.cache
def azureml_assets() -> tuple[tuple[str, dict], ...]:
    """The ``azureml`` registry's assets (path, REST body): components, their environments, curated
    environments, and the catalog's foundation models it publishes."""
    components = [_component(path) for path in sorted((FACTS / "components").glob("*.yml"))]
    environments = [*catalog.facts("azureml_registry/environments")["environments"], *catalog.curated_environments()]
    return (*components, *(_environment(env) for env in environments), *catalog_models("azureml"))


def catalog_models(registry: str) -> tuple[tuple[str, dict], ...]:
    """The model catalog's foundation models that ``registry`` publishes (``facts/catalog_models.yml``)."""
    return tuple(_model(registry, model) for model in catalog.facts("catalog_models")["registries"][registry])


def _component(spec: Path) -> tuple[str, dict]:
    component = load_component(spec)
    body = component._to_rest_object().as_dict()
    return path_of("azureml", f"components/{component.name}/versions/{component.version}"), body


def _environment(environment: dict) -> tuple[str, dict]:
    body = {"properties": {"image": environment["image"], "isAnonymous": False, "osType": "Linux"}}
    return path_of("azureml", f"environments/{environment['name']}/versions/{environment['version']}"), body


def _model(registry: str, model: dict) -> tuple[str, dict]:
    body = {"properties": {"modelType": model["type"], "flavors": {}, "isAnonymous": False, "isArchived": False}}
    return path_of(registry, f"models/{model['name']}/versions/{model['version']}"), body


# --- registries of the reader's own ------------------------------------------------------------
class Refused(Exception):
    """What the registry's front end answers instead: an HTTP status, Azure's code and message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


def is_registry(path: str) -> bool:
    return REGISTRY_PATH.match(path.rstrip("/")) is not None


def workspace_id(path: str) -> str:
    """The GUID Azure gives a workspace (``properties.workspaceId``), fixed here by its path."""
    return str(uuid.uuid5(uuid.NAMESPACE_URL, key_of(path)))


def created(arm: ResourceStore, stores: dict[str, ResourceStore], path: str, body: dict) -> tuple[dict, list[str]]:
    """A registry as Azure creates it from an ARM PUT: (its document, []), or (``{}``, what Azure refuses).
    The rules are the ones ``rules.py`` lists for ``Registry``, checked on the entity the SDK would read."""
    name, location = REGISTRY_PATH.match(path.rstrip("/"))["name"], body.get("location")
    # the name is read-only in the body the SDK sends: Azure reads it from the path
    entity = Registry._from_rest_object(RestRegistry._deserialize({**copy.deepcopy(body), "name": name}, []))
    problems = enforce.violations(entity, arm, path)
    if problems:
        return {}, problems
    properties = body.setdefault("properties", {})
    properties.update({
        "discoveryUrl": f"https://{location}.api.azureml.ms/registrymanagement/v1.0/registries/{name}/discovery",
        "mlFlowRegistryUri": f"azureml://{location}.api.azureml.ms/mlflow/v1.0{_any_subscription(path)}",
        "managedResourceGroup": {"resourceId": f"/subscriptions/*/resourceGroups/azureml-rg-{name}"},
    })
    # Azure creates a storage account in each region and one container registry replicated to all of them,
    # of the kinds the SDK's YAML loader asks for by default (as Learn's REST example does:
    # how-to-manage-registries, "Create a registry", REST API) when the request names none
    for region in properties.get("regionDetails") or []:
        region["acrDetails"] = region.get("acrDetails") or [{"systemCreatedAcrAccount": {"acrAccountSku": "Premium"}}]
        region["storageAccountDetails"] = region.get("storageAccountDetails") or [{"systemCreatedStorageAccount": {
            "storageAccountHnsEnabled": False, "storageAccountType": "standard_lrs"}}]
        for storage in region["storageAccountDetails"]:
            storage.setdefault("systemCreatedStorageAccount", {})["armResourceId"] = {"resourceId": (
                f"/subscriptions/*/resourceGroups/azureml-rg-{name}/providers/Microsoft.Storage"
                f"/storageAccounts/{_storage_account(name, region['location'])}")}
    stores.setdefault(name, ResourceStore())
    return arm.put(path, body), []


def document(arm: ResourceStore, name: str) -> dict | None:
    """The ARM document of the reader's registry ``name``, in any resource group."""
    return next((doc for key, doc in arm.resources.items()
                 if (match := REGISTRY_PATH.match(key)) and match["name"] == name.lower()), None)


def discovery_of(registry: dict) -> dict:
    """Discovery's answer for a registry of the reader's: its subscription, group and regions."""
    where = REGISTRY_PATH.match(registry["id"])
    regions = [region["location"] for region in registry["properties"].get("regionDetails") or []]
    return {**discovery(registry["name"], registry["location"]), "regions": regions,
            "subscriptionId": where["subscription"], "resourceGroup": where["group"]}


def written(method: str, path: str, body: dict, stores: dict[str, ResourceStore], arm: ResourceStore,
            blobs: BlobStore) -> dict | None:
    """A write to the reader's registry through its front end: what Azure answers (None: no body)."""
    name = registry_named_in(path)
    registry_path = path[: REGISTRY_IN_PATH.search(path).end()]
    store = stores[name]
    if method == "PUT" and "/tempdatarefs/" in path:
        return blobs.pending_upload(path)
    if method == "PUT" and assets.VERSION.match(path.rstrip("/")):
        problems = references.outside_registry(body) or references.missing(body, store, stores)
        if problems:
            raise Refused(400, "UserError", "; ".join(problems))
        return _stored(store, path, body)
    if method == "POST" and path.rstrip("/").lower() == f"{registry_path}/import".lower():
        _imported(body["properties"], registry_path, store, arm, blobs)
        return None  # the import's answer has no body: the SDK then reads the new version itself
    raise Refused(400, "UnsupportedAction", f"the fake's registry front end does not answer {method} {path} yet")


def _imported(reference: dict, registry_path: str, store: ResourceStore, arm: ResourceStore,
              blobs: BlobStore) -> None:
    """A workspace's asset version copied into the registry under the name and version asked for."""
    source = WORKSPACE_ASSET.match(reference.get("sourceAssetId") or "")
    if source is None:
        raise Refused(400, "UserError", f"'{reference.get('sourceAssetId')}' isn't the id of a workspace's asset")
    workspace = next((doc for doc in arm.resources.values()
                      if (doc.get("properties") or {}).get("workspaceId") == source["workspace"]), None)
    if workspace is None:
        raise Refused(404, "ResourceNotFound", f"workspace '{source['workspace']}' not found")
    original = arm.get(f"{workspace['id']}/{source['kind']}/{source['name']}/versions/{source['version']}")
    if original is None:
        raise Refused(404, "ResourceNotFound", f"{references.KIND_NAMES[source['kind'] + '/versions']} "
                      f"'{source['name']}' version '{source['version']}' not found in workspace '{workspace['name']}'")
    if problem := _out_of_region(workspace, document(arm, registry_named_in(registry_path))):
        raise Refused(400, "UserError", problem)
    destination = (f"{registry_path}/{source['kind']}/{reference.get('destinationName') or source['name']}"
                   f"/versions/{reference.get('destinationVersion') or source['version']}")
    if store.get(destination) is not None:
        raise Refused(409, "UserError", f"{destination.split('/registries/', 1)[1]} already exists in the registry")
    properties = {key: value for key, value in copy.deepcopy(original["properties"]).items()
                  if key != "provisioningState"}
    if (field := FILES.get(source["kind"])) and properties.get(field):
        properties[field] = _copied_files(properties[field], workspace["id"], destination, arm, blobs)
    _stored(store, destination, {"properties": properties})


def out_of_region(path: str, body: dict, arm: ResourceStore) -> list[str]:
    """A workspace uses the assets of a registry of the reader's only from one of the registry's regions
    (Learn, "Share models, components, and environments across workspaces with registries": the
    workspace's region must be one the registry supports)."""
    workspace = arm.get(path[: found.end()]) if (found := WORKSPACE_IN_PATH.search(path)) else None
    if workspace is None:
        return []
    problems = []
    for _, value in references.strings_in(body):
        named = references.REGISTRY_ASSET.match(value)
        registry = document(arm, named["registry"]) if named else None
        if registry and (problem := _out_of_region(workspace, registry)) and problem not in problems:
            problems.append(problem)
    return problems


def _out_of_region(workspace: dict, registry: dict) -> str | None:
    regions = [region["location"] for region in registry["properties"].get("regionDetails") or []]
    if workspace["location"] in regions:
        return None
    return (f"workspace '{workspace['name']}' is in {workspace['location']}, which isn't one of the regions of "
            f"registry '{registry['name']}' ({', '.join(regions)})")


def _copied_files(uri: str, workspace_path: str, destination: str, arm: ResourceStore, blobs: BlobStore) -> str:
    """Copy the blobs ``uri`` names (a file, or a folder) into the registry's storage; their new URI."""
    key = blob_key(uri, workspace_path, arm).rstrip("/")
    registry, kind, name, _, version = destination.split("/registries/", 1)[1].split("/")
    container = f"{registry.lower()}/{kind}/{name}/{version}"
    for blob in [k for k in blobs.blobs if k == key or k.startswith(f"{key}/")]:
        blobs.blobs[f"{container}/{key.rsplit('/', 1)[-1]}{blob[len(key):]}"] = blobs.blobs[blob]
    account = _storage_account(registry, "primary")
    return f"https://{account}.blob.core.windows.net/{container}/{key.rsplit('/', 1)[-1]}"


def _storage_account(registry: str, region: str) -> str:
    return re.sub(r"[^a-z0-9]", "", f"{registry}{region}".lower())[:24]


def _stored(store: ResourceStore, path: str, body: dict) -> dict:
    """Keep an asset version (and its container) as a registry names it."""
    stored = store.put(path, body)
    assets.versioned(store, path)
    _named(store)
    return stored


def _named(store: ResourceStore) -> None:
    for document in store.resources.values():
        document["id"] = ASSET_ID.sub(r"azureml://registries/\g<registry>/", document["id"])


def _any_subscription(path: str) -> str:
    """``path`` naming ``/subscriptions/*/``: each reader sees their own subscription there (``FakeAzure.handle``)."""
    return re.sub(r"^/subscriptions/[^/]+/", "/subscriptions/*/", path)
