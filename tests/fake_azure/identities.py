"""Managed identities, as Azure keeps them on a workspace or a compute (``identity`` beside ``properties``).

A request names its identity as ``{"type": "SystemAssigned,UserAssigned", "userAssignedIdentities":
{<identity's ARM id>: {}}}`` (REST ``ManagedServiceIdentity``; the SDK's ``IdentityConfiguration``).
Azure checks the type against the ids, looks each user-assigned identity up, and answers with the
principal (object) id of each: the system-assigned one it made, and each user-assigned identity's own
``principalId`` and ``clientId``. A user-assigned identity is an ARM resource of its own
(``Microsoft.ManagedIdentity/userAssignedIdentities``), made with ``az identity create`` or Bicep;
``user_assigned`` puts one in the fake, as the reader's CLI step does.

Rules, each with its source (``RULES``):
- ``UserAssigned`` needs at least one id, and ids need a ``UserAssigned`` type: ARM's answers, as quoted in
  Azure/bicep#6541 and hashicorp/terraform-provider-azurerm#17082 (``MissingIdentityIds``) and
  Azure/azure-rest-api-specs#17650 (a non-UserAssigned type with ids).
- Each user-assigned identity must exist (ARM's ``ResourceNotFound``).
- A compute cluster has one system-assigned identity or user-assigned ones, not both; a workspace's primary
  user-assigned identity is one of its user-assigned identities; a workspace with a system-assigned and
  user-assigned identities can't go back to the system-assigned one alone: Learn, "Set up authentication
  between Azure Machine Learning and other services".
"""

from __future__ import annotations

import re
import uuid

from tests.fake_azure.arm import ResourceStore, key_of

LEARN_AUTH = "https://learn.microsoft.com/azure/machine-learning/how-to-identity-based-service-authentication"
RULES = {
    "ids_need_user_assigned": "https://github.com/Azure/azure-rest-api-specs/issues/17650 (ARM's answer)",
    "user_assigned_needs_ids": "https://github.com/Azure/bicep/issues/6541 (ARM: MissingIdentityIds)",
    "identity_exists": "ARM: a user-assigned identity is a resource; a missing one is ResourceNotFound",
    "cluster_one_kind": f"{LEARN_AUTH}#compute-cluster (one system-assigned identity or user-assigned ones)",
    "primary_is_assigned": f"{LEARN_AUTH}#workspace (primary_user_assigned_identity: one of the UAI ids)",
    "no_way_back_to_system_only": f"{LEARN_AUTH}#workspace-identity-types (SAI+UAI can't go back to SAI)",
}
IDENTITY_TYPE = "Microsoft.ManagedIdentity/userAssignedIdentities"
ARM_ID = re.compile(r"^/subscriptions/[^/]+/resourceGroups/(?P<group>[^/]+)/providers/(?P<type>[^/]+/[^/]+)"
                    r"/(?P<name>[^/]+)$", re.IGNORECASE)


def user_assigned(store: ResourceStore, group: str, name: str, location: str = "eastus") -> dict:
    """A user-assigned managed identity in ``group``, as ``az identity create`` leaves it."""
    return store.put(f"/subscriptions/*/resourceGroups/{group}/providers/{IDENTITY_TYPE}/{name}", {
        "location": location, "properties": {"principalId": str(uuid.uuid4()), "clientId": str(uuid.uuid4()),
                                             "tenantId": str(uuid.uuid4())}})


def not_found(resource_id: str) -> str:
    """ARM's words for a resource id that names nothing."""
    match = ARM_ID.match(resource_id)
    if match is None:
        return f"The resource '{resource_id}' was not found."
    return (f"The Resource '{match['type']}/{match['name']}' under resource group '{match['group']}' was not found. "
            "For more details please go to https://aka.ms/ARMResourceNotFoundFix")


def _kinds(identity: dict) -> set[str]:
    return {part.strip().lower() for part in str(identity.get("type") or "None").split(",")}


def _assigned(identity: dict) -> dict:
    """The user-assigned identities ``identity`` keeps (an update names those it drops with null)."""
    return {resource_id: value for resource_id, value in (identity.get("userAssignedIdentities") or {}).items()
            if value is not None}


def missing(body: dict, store: ResourceStore) -> list[str]:
    """The user-assigned identities ``body`` names that don't exist."""
    named = _assigned(body["identity"]) if isinstance(body.get("identity"), dict) else {}
    return [not_found(resource_id) for resource_id in named if store.get(resource_id) is None]


def broken(body: dict, is_cluster: bool = False, before: dict | None = None) -> list[str]:
    """What Azure refuses in ``body``'s identity (a compute cluster's, if ``is_cluster``; ``before``: the
    identity the resource has now)."""
    identity = body.get("identity")
    if not isinstance(identity, dict):
        return []
    kinds, ids = _kinds(identity), _assigned(identity)
    if "userassigned" in kinds and not ids:
        return ["MissingIdentityIds: The identity ids must not be null or empty for 'UserAssigned' identity type."]
    if ids and "userassigned" not in kinds:
        return ["The request format was unexpected, a non-UserAssigned identity type should not contain: "
                "userAssignedIdentities"]
    if is_cluster and kinds == {"systemassigned", "userassigned"}:
        return ["A compute cluster has one system-assigned identity or user-assigned identities, not both."]
    primary = (body.get("properties") or {}).get("primaryUserAssignedIdentity")
    if primary and key_of(primary) not in {key_of(resource_id) for resource_id in ids}:
        return [f"The primary user-assigned identity '{primary}' isn't one of the workspace's user-assigned "
                "identities."]
    if before and _kinds(before) == {"systemassigned", "userassigned"} and kinds == {"systemassigned"}:
        return ["A workspace with system-assigned and user-assigned identities can't go back to a "
                "system-assigned identity alone."]
    return []


def resolved(identity: dict | None, store: ResourceStore, before: dict | None = None) -> dict | None:
    """``identity`` as Azure answers it: each identity's principal id (a system-assigned one kept from
    ``before``, the identity the resource had), each user-assigned one's client id."""
    if not identity:
        return identity
    answer = {"type": identity["type"]}
    if "systemassigned" in _kinds(identity):
        kept = before if before and "systemassigned" in _kinds(before) else {}
        answer["principalId"] = kept.get("principalId") or str(uuid.uuid4())
        answer["tenantId"] = kept.get("tenantId") or str(uuid.uuid4())
    ids = _assigned(identity)
    if ids:
        answer["userAssignedIdentities"] = {resource_id: _ids(resource_id, store) for resource_id in ids}
    return answer


def _ids(resource_id: str, store: ResourceStore) -> dict:
    """A user-assigned identity's principal and client ids: those it was created with, or (for one the
    fake was given without them) ids of its own, the same at every read."""
    properties = store.get(resource_id).get("properties") or {}
    return {key: properties.get(key) or str(uuid.uuid5(uuid.NAMESPACE_URL, f"{key}:{key_of(resource_id)}"))
            for key in ("principalId", "clientId")}
