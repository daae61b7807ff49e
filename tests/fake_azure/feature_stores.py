"""Managed feature stores: workspaces of kind ``FeatureStore``, their entities, feature sets and features.

``ml_client.feature_stores.begin_create`` deploys the SDK's workspace template with ``kind`` set to
``featurestore`` (``deployments.py``). Besides the workspace, that template creates the
materialization identity (a user-assigned managed identity, unless one is named), the offline store
(a blob container, on the feature store's own storage account unless a target is named) and the
feature store's connection to it (``workspaces/<name>/connections/<OfflineStoreConnectionName-...>``),
and sets ``featureStoreSettings`` (``workspace_base.json``: the ``-deploy-feature-store`` deployment and
the ``connections`` resources). The SDK reads the feature store back through that connection: a
category ``ADLSGen2`` connection is its offline store (``FeatureStoreOperations.get``).

Entities (``featurestoreEntities/<name>/versions/<v>``) and feature sets
(``featuresets/<name>/versions/<v>``) are versioned assets of the feature store. A feature set names
its entities as ``azureml:<entity>:<version>``, and like every reference in a request (``references.py``)
they must exist: entities are created first and reused by feature sets (Learn,
concept-top-level-entities-in-managed-feature-store, "Entities"; every tutorial registers the entity
before the feature set). The refusal's wording is the fake's own.

Azure keeps the features a feature set's specification declares (``featuresetProperties``, the spec the
SDK read from ``FeatureSetSpec.yaml``) as ``.../featuresets/<name>/versions/<v>/features/<feature>``,
which ``feature_sets.get_feature`` and ``list_features`` read (REST ``FeatureProperties``:
``featureName``, ``dataType``).
"""

from __future__ import annotations

import json
import re
import uuid

from tests.fake_azure.arm import ResourceStore

KIND = "FeatureStore"  # how Azure spells the kind it was asked for as "featurestore"
# The roles the template grants the materialization identity unless grant_materialization_permissions is
# "false" (the SDK's default is to grant): AzureML Data Scientist on the feature store, Storage Blob Data
# Contributor on the offline store and on the feature store's storage account (workspace_base.json).
DATA_SCIENTIST = "f6c7c914-8db3-469d-8ca1-694a8f32e121"
BLOB_DATA_CONTRIBUTOR = "ba92f5b4-2d11-453d-a403-e96b0029c9fe"
ENTITY_REFERENCE = re.compile(r"^azureml:(?P<name>[^:]+):(?P<version>[^:]+)$")
FEATURE_SET_VERSION = re.compile(r"^(?P<store>.+/workspaces/[^/]+)/featuresets/[^/]+/versions/[^/]+$",
                                 re.IGNORECASE)
# REST FeatureDataType (azure/ai/ml/_restclient/arm_ml_service/models/_enums.py)
DATA_TYPES = ("String", "Integer", "Long", "Float", "Double", "Binary", "Datetime", "Boolean")


def is_feature_store(values: dict) -> bool:
    """Whether the workspace template's parameters ask for a feature store."""
    return str(values.get("kind", "default")).lower() == KIND.lower()


def deploy(store: ResourceStore, group: str, values: dict, workspace: dict) -> list[dict]:
    """What the template adds to ``workspace`` when it is a feature store; the resources it created."""
    identity = _materialization_identity(store, group, values)
    container = (f"/subscriptions/*/resourceGroups/{values['offline_store_resource_group_name']}/providers/"
                 f"Microsoft.Storage/storageAccounts/{values['offline_store_storage_account_name']}"
                 f"/blobServices/default/containers/{values['offline_store_container_name']}")
    created = [identity]
    if values.get("offlineStoreStorageAccountOption") == "new":
        created.append(store.put(container, {"properties": {"publicAccess": "None"}}))
    workspace["kind"] = KIND
    workspace["identity"] = {
        "type": "SystemAssigned,UserAssigned", "principalId": str(uuid.uuid4()), "tenantId": str(uuid.uuid4()),
        "userAssignedIdentities": {identity["id"]: {key: identity["properties"][key]
                                                    for key in ("principalId", "clientId")}},
    }
    connection = values["offline_store_connection_name"]
    workspace["properties"].update({
        "workspaceId": str(uuid.uuid4()),
        "systemDatastoresAuthMode": values.get("systemDatastoresAuthMode", "identity"),
        "featureStoreSettings": {
            "computeRuntime": {"sparkRuntimeVersion": values["spark_runtime_version"]},
            "offlineStoreConnectionName": connection,
            "onlineStoreConnectionName": values.get("online_store_connection_name"),
        },
    })
    created.append(store.put(f"{workspace['id']}/connections/{connection}", {"properties": {
        "category": "ADLSGen2", "target": container,
        "authType": "ManagedIdentity",
        "credentials": {"clientId": identity["properties"]["clientId"], "resourceId": identity["id"]},
    }}))
    if values.get("grant_materialization_permissions") == "true":
        for scope, role in ((workspace["id"], DATA_SCIENTIST), (container, BLOB_DATA_CONTRIBUTOR),
                            (workspace["properties"]["storageAccount"], BLOB_DATA_CONTRIBUTOR)):
            created.append(_role_assignment(store, scope, role, identity))
    return created


def _role_assignment(store: ResourceStore, scope: str, role: str, identity: dict) -> dict:
    name = str(uuid.uuid5(uuid.NAMESPACE_URL, f"{identity['id']}|{scope}|{role}"))  # the template's guid(...)
    return store.put(f"{scope}/providers/Microsoft.Authorization/roleAssignments/{name}", {"properties": {
        "roleDefinitionId": f"/subscriptions/*/providers/Microsoft.Authorization/roleDefinitions/{role}",
        "principalId": identity["properties"]["principalId"], "principalType": "ServicePrincipal", "scope": scope,
    }})


def _materialization_identity(store: ResourceStore, group: str, values: dict) -> dict:
    path = (f"/subscriptions/*/resourceGroups/{values['materialization_identity_resource_group_name'] or group}"
            f"/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{values['materialization_identity_name']}")
    if values.get("materializationIdentityOption") == "existing" and store.get(path) is not None:
        return store.get(path)
    return store.put(path, {"location": values["location"], "properties": {
        "principalId": str(uuid.uuid4()), "clientId": str(uuid.uuid4()), "tenantId": str(uuid.uuid4())}})


def missing_entities(path: str, body: dict, store: ResourceStore) -> list[str]:
    """A feature set version names entities that its feature store must already hold."""
    match = FEATURE_SET_VERSION.match(path.rstrip("/"))
    if match is None:
        return []
    problems = []
    for reference in (body.get("properties") or {}).get("entities") or []:
        entity = ENTITY_REFERENCE.match(reference)
        if entity is None:
            problems.append(f"entity reference '{reference}' isn't of the form azureml:<name>:<version>")
        elif store.get(f"{match['store']}/featurestoreEntities/{entity['name']}/versions/{entity['version']}") is None:
            problems.append(f"feature store entity '{entity['name']}' version '{entity['version']}' not found "
                            f"in feature store '{match['store'].rsplit('/', 1)[-1]}'")
    return problems


def keep_features(path: str, document: dict, store: ResourceStore) -> None:
    """Store the features that a feature set version's specification declares, as Azure lists them."""
    if FEATURE_SET_VERSION.match(path.rstrip("/")) is None:
        return
    spec = json.loads(document["properties"]["properties"]["featuresetProperties"])
    for feature in spec.get("features") or []:
        store.put(f"{path.rstrip('/')}/features/{feature['FeatureName']}", {"properties": {
            "featureName": feature["FeatureName"], "dataType": _data_type(feature["DataType"]),
            "description": feature.get("Description"), "tags": feature.get("Tags") or {},
        }})


def _data_type(declared: str) -> str:
    return next((known for known in DATA_TYPES if known.lower() == declared.lower()), declared)
