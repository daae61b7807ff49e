"""A workspace's managed virtual network: its isolation mode, its outbound rules, and its provisioning.

REST shapes (azure-ai-ml 1.35.2's ``arm_ml_service`` client, api-version 2025-12-01):
- ``properties.managedNetwork`` of the workspace (``ManagedNetworkSettings``): ``isolationMode``,
  ``firewallSku``, ``outboundRules`` (rule name -> ``OutboundRule``: ``type`` FQDN, ServiceTag or
  PrivateEndpoint, ``category``, ``status``, ``destination``), ``networkId`` and ``status``
  (``{"status": "Inactive" | "Active", "sparkReady"}``), which Azure sets.
- Each rule is also a sub-resource: ``GET|PUT|DELETE .../workspaces/{ws}/outboundRules/{rule}`` and
  ``GET .../outboundRules`` (``OutboundRuleBasicResource``: id, name, type, ``properties``: the rule). The
  fake keeps the rules in the workspace document only, so both views always agree.
- ``POST .../workspaces/{ws}/provisionManagedNetwork`` (``ManagedNetworkProvisionOptions``:
  ``includeSpark``) is a long-running operation: 202 and a ``Location`` to poll, whose answer is
  ``ManagedNetworkProvisionStatus``. The network is then ``Active``, and so is each rule.
- ``PATCH`` of the workspace (``WorkspaceUpdateParameters``, what ``workspaces.begin_update`` sends) may
  change the network; its ``outboundRules`` are the user-defined rules the workspace keeps.

What Azure adds: in allow-only-approved mode, required private endpoint rules to the workspace and its
storage account, key vault and container registry (Learn, "List of required rules"; the rule names are
the fake's own). It does not list the required service-tag rules.

The rules Azure enforces, each with its source, are ``RULES``; ``refused`` applies them.
"""

from __future__ import annotations

import re
import uuid

from tests.fake_azure import http, identities
from tests.fake_azure.arm import ResourceStore, key_of

LEARN = "https://learn.microsoft.com/azure/machine-learning/how-to-managed-network"
PRIVATE_LINK = "https://learn.microsoft.com/azure/private-link/private-endpoint-overview#private-link-resource"
RULES = {
    "no_way_back": f"{LEARN} (note under the architecture diagrams; Limitations: once enabled, it can't be "
                   "disabled)",
    "approved_only_rule_types": f"{LEARN} (tip: a service tag or FQDN rule is only valid in "
                                "ALLOW_ONLY_APPROVED_OUTBOUND)",
    "no_fqdn_to_storage": f"{LEARN}#limitations (allow only approved outbound: no FQDN rule to Azure Storage "
                          "accounts; use a private endpoint)",
    "private_endpoint_target_exists": "ARM: the resource a private endpoint connects to must exist "
                                      "(ResourceNotFound)",
    "private_endpoint_subresource": f"{PRIVATE_LINK} (each resource type's subresources)",
    "firewall_sku": "REST FirewallSku: Standard or Basic, any case (azure-ai-ml 1.35.2 arm_ml_service models)",
    "needs_a_managed_network": f"{LEARN} (isolation modes: Disabled means no managed network, so nothing to "
                               "provision and nowhere to keep outbound rules)",
    "one_rule_per_destination": "https://github.com/Azure/azureml-examples/pull/2990 (review: a private endpoint "
                                "rule to the workspace's storage fails in approved mode, where a rule to it exists)",
}
DISABLED, INTERNET, APPROVED = "Disabled", "AllowInternetOutbound", "AllowOnlyApprovedOutbound"
ORDER = {DISABLED: 0, INTERNET: 1, APPROVED: 2}  # a workspace's mode can only move up this list
# The subresources (group ids) a private endpoint can target, for the resource types the chapters use.
SUBRESOURCES = {
    "microsoft.storage/storageaccounts": {"blob", "blob_secondary", "table", "table_secondary", "queue",
                                          "queue_secondary", "file", "web", "web_secondary", "dfs",
                                          "dfs_secondary"},
    "microsoft.keyvault/vaults": {"vault"},
    "microsoft.containerregistry/registries": {"registry"},
    "microsoft.machinelearningservices/workspaces": {"amlworkspace"},
    "microsoft.machinelearningservices/registries": {"amlregistry"},
}
# What the workspace's required private endpoints connect to: (property naming the resource, subresources).
REQUIRED_ENDPOINTS = [("storageAccount", ("blob", "file")), ("keyVault", ("vault",)),
                      ("containerRegistry", ("registry",))]
STORAGE_HOST = re.compile(r"\.(blob|file|queue|table|dfs|web)\.core\.windows\.net$", re.IGNORECASE)
RULE_PATH = re.compile(r"^(?P<workspace>.+/workspaces/[^/]+)/outboundRules(?:/(?P<rule>[^/]+))?$", re.IGNORECASE)
PROVISION_RESULT = re.compile(r"/locations/[^/]+/mfeOperationResults/mnp:(?P<operation>[^/]+)$", re.IGNORECASE)


# --- the rules ------------------------------------------------------------------------------------
def _mode(network: dict | None) -> str:
    return (network or {}).get("isolationMode") or DISABLED


def mode_change(before: dict | None, after: dict | None) -> list[str]:
    old, new = _mode(before), _mode(after)
    if ORDER.get(new, 0) >= ORDER.get(old, 0):
        return []
    return [f"The managed network's isolation mode can't change from {old} to {new}: once a workspace allows "
            f"internet outbound it can't be disabled, and once it allows only approved outbound it can't go "
            f"back to allowing internet outbound."]


def rule_problems(name: str, rule: dict, mode: str, store: ResourceStore) -> list[str]:
    """What Azure refuses in outbound rule ``name`` of a managed network in ``mode``."""
    kind = rule.get("type")
    if kind in ("FQDN", "ServiceTag") and mode != APPROVED:
        return [f"Outbound rule '{name}': {kind} rules are only valid when the managed network's isolation "
                f"mode is {APPROVED}, not {mode}."]
    if kind == "FQDN" and STORAGE_HOST.search(str(rule.get("destination", "")).rstrip(".")):
        return [f"Outbound rule '{name}': an FQDN rule can't reach an Azure Storage account "
                f"('{rule['destination']}'); add a private endpoint rule for it."]
    if kind != "PrivateEndpoint":
        return []
    destination = rule.get("destination") or {}
    target, subresource = destination.get("serviceResourceId") or "", destination.get("subresourceTarget")
    if not _exists(target, store):
        return [f"Outbound rule '{name}': {identities.not_found(target)}"]
    allowed = SUBRESOURCES.get(_resource_type(target))
    if allowed is not None and subresource not in allowed:
        return [f"Outbound rule '{name}': '{subresource}' isn't a subresource of {_resource_type(target)} "
                f"(it has: {', '.join(sorted(allowed))})."]
    return []


def duplicates(new: dict, existing: dict) -> list[str]:
    """Private endpoint rules in ``new`` to a destination (resource and subresource) a rule already has."""
    def destination(rule: dict):
        target = rule.get("destination") or {}
        return key_of(target.get("serviceResourceId") or ""), target.get("subresourceTarget")

    taken = {destination(rule): name for name, rule in existing.items() if rule.get("type") == "PrivateEndpoint"}
    return [f"Outbound rule '{name}': outbound rule '{taken[destination(rule)]}' already has a private endpoint "
            f"to {rule['destination']['serviceResourceId']} ({rule['destination']['subresourceTarget']})."
            for name, rule in new.items() if rule.get("type") == "PrivateEndpoint" and destination(rule) in taken]


def network_problems(network: dict | None, store: ResourceStore) -> list[str]:
    network = network or {}
    sku = network.get("firewallSku")
    problems = [] if str(sku).lower() in ("none", "standard", "basic") else [
        f"Firewall SKU '{sku}' isn't one of Standard, Basic."]
    for name, rule in (network.get("outboundRules") or {}).items():
        problems += rule_problems(name, rule, _mode(network), store)
    return problems


def _resource_type(resource_id: str) -> str:
    parts = resource_id.split("/providers/", 1)[-1].split("/")
    return "/".join(parts[:2]).lower()


def _exists(resource_id: str, store: ResourceStore) -> bool:
    """The resource is in the fake, or it is one a workspace there was created with (its storage
    account, key vault, registry: they exist in Azure, though the fake keeps no document for them)."""
    if store.get(resource_id) is not None:
        return True
    linked = {key_of(str(doc["properties"].get(prop) or "")) for doc in store.of_kind("workspaces")
              for prop in ("storageAccount", "keyVault", "containerRegistry", "applicationInsights")}
    return key_of(resource_id) in linked


# --- what Azure holds and answers -----------------------------------------------------------------
def settled(workspace: dict, network: dict | None) -> dict | None:
    """``network`` as Azure keeps it for ``workspace``: the user's rules, the required ones Azure adds,
    the network's id and status, each rule's status."""
    if network is None:
        return None
    before = (workspace.get("properties") or {}).get("managedNetwork") or {}
    status = before.get("status") or {"status": "Inactive", "sparkReady": False}
    rules = {name: {**rule, "category": rule.get("category") or "UserDefined"}
             for name, rule in (network.get("outboundRules") or {}).items()
             if (rule.get("category") or "UserDefined") not in ("Required", "Recommended")}
    if _mode(network) == APPROVED:
        rules.update(_required_rules(workspace))
    for rule in rules.values():
        rule["status"] = "Active" if status["status"] == "Active" else "Inactive"
    return {"isolationMode": _mode(network), "firewallSku": network.get("firewallSku"),
            "networkId": before.get("networkId") or str(uuid.uuid4()), "outboundRules": rules, "status": status}


def _required_rules(workspace: dict) -> dict:
    properties = workspace.get("properties") or {}
    targets = [(workspace["id"], ("amlworkspace",))]
    targets += [(properties[prop], subresources) for prop, subresources in REQUIRED_ENDPOINTS if properties.get(prop)]
    return {f"__SYS_PE_{target.rsplit('/', 1)[-1]}_{subresource}": {
        "type": "PrivateEndpoint", "category": "Required",
        "destination": {"serviceResourceId": target, "subresourceTarget": subresource, "sparkEnabled": False}}
        for target, subresources in targets for subresource in subresources}


def refused_at_creation(store: ResourceStore, values: dict) -> list[str]:
    """What Azure refuses of the network and identity that the workspace template's parameters
    (``values``) give a new workspace."""
    body = {"identity": values.get("identity"),
            "properties": {"primaryUserAssignedIdentity": values.get("primaryUserAssignedIdentity")}}
    return network_problems(values.get("managedNetwork"), store) + identities.missing(body, store) + (
        identities.broken(body))


def created_with(store: ResourceStore, workspace: dict, values: dict) -> list[str]:
    """Give a workspace the template deployment just created its network, identity and public network
    access, as Azure holds them; or what Azure refuses of the rules next to the ones it adds."""
    if problems := _duplicates_of_required(workspace, values.get("managedNetwork")):
        return problems
    workspace["identity"] = identities.resolved(values.get("identity"), store) or workspace.get("identity")
    properties = workspace["properties"]
    properties["managedNetwork"] = settled(workspace, values.get("managedNetwork"))
    for key in ("publicNetworkAccess", "primaryUserAssignedIdentity", "systemDatastoresAuthMode"):
        if values.get(key):
            properties[key] = values[key]
    return []


def _duplicates_of_required(workspace: dict, network: dict | None) -> list[str]:
    if _mode(network) != APPROVED:
        return []
    mine = {name: rule for name, rule in (network.get("outboundRules") or {}).items()
            if (rule.get("category") or "UserDefined") == "UserDefined"}
    return duplicates(mine, _required_rules(workspace))


def patched(store: ResourceStore, path: str, body: dict) -> tuple[dict | None, list[str]]:
    """The workspace at ``path`` after a ``PATCH`` of ``body``, or what Azure refuses in it."""
    workspace = store.get(path)
    if workspace is None:
        return None, [f"workspace '{path.rsplit('/', 1)[-1]}' not found"]
    changes = {key: value for key, value in (body.get("properties") or {}).items() if value is not None}
    before = workspace["properties"].get("managedNetwork")
    problems = identities.missing(body, store) + identities.broken(
        {"identity": body.get("identity"), "properties": {**workspace["properties"], **changes}},
        before=workspace.get("identity"))
    if "managedNetwork" in changes:
        network = {**(before or {}), **changes["managedNetwork"]}
        problems += mode_change(before, network) + network_problems(network, store)
        problems += _duplicates_of_required(workspace, network)
        changes["managedNetwork"] = settled(workspace, network)
    if problems:
        return None, problems
    if body.get("identity"):
        workspace["identity"] = identities.resolved(body["identity"], store, workspace.get("identity"))
    if body.get("tags") is not None:
        workspace["tags"] = body["tags"]
    workspace["properties"].update(changes)
    return workspace, []


# --- outbound rules as sub-resources, and provisioning ---------------------------------------------
def is_outbound_rule(path: str) -> bool:
    return RULE_PATH.match(path.rstrip("/")) is not None


def _as_resource(workspace: dict, name: str, rule: dict) -> dict:
    return {"id": f"{workspace['id']}/outboundRules/{name}", "name": name,
            "type": "Microsoft.MachineLearningServices/workspaces/outboundRules", "properties": rule}


def outbound_rule(prepared, request, store: ResourceStore, refused):
    """Answer a request for a workspace's outbound rules (``refused(prepared, status, code, problems)``
    gives Azure's error)."""
    match = RULE_PATH.match(request.path.rstrip("/"))
    workspace = store.get(match["workspace"])
    if workspace is None:
        return refused(prepared, 404, "ResourceNotFound", [f"workspace '{match['workspace'].rsplit('/', 1)[-1]}' "
                                                           "not found"])
    network = workspace["properties"].get("managedNetwork") or {}
    rules = network.get("outboundRules") or {}
    name = match["rule"]
    if request.method == "PUT" and _mode(network) == DISABLED:
        return refused(prepared, 400, "BadRequest", [_no_network(workspace)])
    if name is None:
        return http.response(prepared, 200, {"value": [_as_resource(workspace, n, r) for n, r in rules.items()]})
    if request.method == "GET":
        if name not in rules:
            return refused(prepared, 404, "ResourceNotFound", [f"outbound rule '{name}' not found in workspace "
                                                               f"'{workspace['name']}'"])
        return http.response(prepared, 200, _as_resource(workspace, name, rules[name]))
    if request.method == "DELETE":
        rules.pop(name, None)
        return http.response(prepared, 200)
    rule = {**(request.json().get("properties") or {}), "category": "UserDefined"}
    others = {other: kept for other, kept in rules.items() if other != name}
    if problems := rule_problems(name, rule, _mode(network), store) + duplicates({name: rule}, others):
        return refused(prepared, 400, "BadRequest", problems)
    rule["status"] = "Active" if (network.get("status") or {}).get("status") == "Active" else "Inactive"
    rules[name] = rule
    network["outboundRules"] = rules
    return http.response(prepared, 200, _as_resource(workspace, name, rule))


def provision(prepared, request, store: ResourceStore, path: str, refused, region: str):
    """Start provisioning the managed network of the workspace at ``path``: it is done at once, and the
    ``Location`` the SDK polls answers with the network's status."""
    workspace = store.get(path)
    if workspace is None:
        return refused(prepared, 404, "ResourceNotFound", [f"workspace '{path.rsplit('/', 1)[-1]}' not found"])
    network = workspace["properties"].get("managedNetwork")
    if _mode(network) == DISABLED:
        return refused(prepared, 400, "BadRequest", [_no_network(workspace)])
    network["status"] = {"status": "Active", "sparkReady": bool(request.json().get("includeSpark"))}
    for rule in network["outboundRules"].values():
        rule["status"] = "Active"
    operation = str(uuid.uuid4())
    store.put(f"/subscriptions/*/providers/Microsoft.MachineLearningServices/locations/{region}/"
              f"mfeOperationResults/mnp:{operation}", {"properties": dict(network["status"])})
    subscription = path.split("/resourceGroups/", 1)[0]
    location = (f"https://management.azure.com{subscription}/providers/Microsoft.MachineLearningServices/"
                f"locations/{region}/mfeOperationResults/mnp:{operation}")
    return http.response(prepared, 202, headers={"Location": location, "Retry-After": "0"})


def _no_network(workspace: dict) -> str:
    return f"Workspace '{workspace['name']}' has no managed network: its isolation mode is Disabled."


def is_provision_result(path: str) -> bool:
    return PROVISION_RESULT.search(path.rstrip("/")) is not None


def provision_result(prepared, store: ResourceStore, path: str):
    """What the ``Location`` of a finished provisioning answers: ``ManagedNetworkProvisionStatus``."""
    found = store.get(path)
    return http.response(prepared, 200, found["properties"] if found else {})
