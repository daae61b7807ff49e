"""The fake `az`'s answers to the Resource Manager and Entra ID commands the site's scripts run:
resource groups, Bicep deployments, app registrations, service principals, federated credentials
and role assignments (cli_fakes.py calls ``answer`` for them).

Like the rest of the fake `az`, it answers from what this run of the script created (the ``State``
of cli_fakes.py), so ``$(az ... --query appId -o tsv)`` gives the script a value, and it refuses
what Azure refuses, with the service's words:
- a deployment to a resource group this run did not create (ARM: ``ResourceGroupNotFound``), of a
  template file that does not exist, or with parameters the template does not declare, leaves out,
  or does not allow, or that writes two model deployments of one account side by side
  (``RequestConflict``; bicep.py reads them);
- a service principal, federated credential or role assignment for an application or principal
  that does not exist (Microsoft Graph: ``Request_ResourceNotFound``);
- a federated credential without its name, issuer, subject and one audience, or with an issuer and
  subject the application already trusts (Microsoft Graph's federatedIdentityCredential resource,
  https://learn.microsoft.com/graph/api/resources/federatedidentitycredential);
- a role assignment of a role that is not one of the built-in roles below, or at a scope that is not
  the subscription, a resource group of this run or a resource in one; a principal is a service
  principal of this run (a managed identity's included) or a user's sign-in name (the fake has no
  directory of users, so any name with an @ is taken for one);
- a user-assigned managed identity (``az identity create``) outside a resource group of this run.
"""

from __future__ import annotations

import json
import uuid
from pathlib import Path

from tests.fake_azure import bicep
from tests.fake_azure.az import Call

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"  # the fake's one subscription (tests/fake_azure/workspace.py)
TENANT = "11111111-1111-1111-1111-111111111111"
# Built-in roles the site's pages name (https://learn.microsoft.com/azure/role-based-access-control/built-in-roles).
BUILT_IN_ROLES = {"Owner", "Contributor", "Reader", "User Access Administrator", "AzureML Data Scientist",
                  "AzureML Compute Operator", "Azure AI Developer", "Storage Blob Data Contributor",
                  "Storage Blob Data Reader", "Key Vault Secrets User", "AcrPull", "AcrPush"}
READER = "reader@contoso.com"  # who the fake `az login` signed in (the fake ARM's createdBy says the same)
AUDIENCE_LIMIT = 600  # characters of the issuer, the subject and the audience
NAME_LIMIT = 120


class Refusal(Exception):
    """What Azure answers: cli_fakes.py prints it as the CLI does, with ``code`` (3: not found)."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


def _id(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def group_id(name: str) -> str:
    return f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{name}"


def answer(call: Call, state):
    """The object ``call`` creates or shows, as the CLI prints it (before ``--query``)."""
    return ANSWERS[(call.group, call.command)](call, state)


def _account(call: Call, state) -> dict:
    return {"id": SUBSCRIPTION, "tenantId": TENANT, "name": "the reader's subscription", "isDefault": True}


def _group_create(call: Call, state) -> dict:
    name = call.value("--name")
    return state.add("group", name.lower(), {"id": group_id(name), "name": name, "location": call.value("--location"),
                                             "properties": {"provisioningState": "Succeeded"}})


def _group(state, name: str | None) -> dict:
    found = state.get("group", (name or state.defaults.get("group", "")).lower())
    if found is None:
        raise Refusal(f"(ResourceGroupNotFound) Resource group '{name}' could not be found.", 3)
    return found


def _template(call: Call, state) -> tuple[bicep.Template, dict]:
    """The template and the parameter values of a deployment, checked as Azure checks them."""
    file = Path(call.value("--template-file"))
    if not file.is_file():
        raise Refusal(f"Please enter a valid file path: {file}")
    template, values = bicep.read_template(file), {}
    for word in call.options.get("--parameters", []):
        name, equals, value = word.partition("=")
        if equals and not Path(word).is_file():
            values[name] = value
            continue
        using, given = bicep.read_parameters_file(Path(word))
        if using != file.resolve():
            raise Refusal(f"{word}: its using declaration names {using.name}, not the template file {file.name}")
        values.update(given)
    if found := bicep.problems(template, values) + bicep.conflicts(template):
        raise Refusal("\n".join(f"({problem.split(': ', 1)[0]}) {problem.split(': ', 1)[1]}" for problem in found))
    return template, values


def _deployment_create(call: Call, state) -> dict:
    group = _group(state, call.value("--resource-group"))
    template, values = _template(call, state)
    name = call.value("--name") or Path(call.value("--template-file")).stem  # the CLI's default name
    outputs = bicep.Evaluation(template, values, group["id"]).outputs()
    return state.add("deployment", f"{group['name'].lower()}/{name}", {
        "id": f"{group['id']}/providers/Microsoft.Resources/deployments/{name}", "name": name,
        "properties": {"provisioningState": "Succeeded", "mode": call.value("--mode") or "Incremental",
                       "parameters": {key: {"value": value} for key, value in values.items()}, "outputs": outputs},
    })


def _what_if(call: Call, state) -> dict:
    _group(state, call.value("--resource-group"))
    template, _ = _template(call, state)
    return {"status": "Succeeded", "changes": [{"changeType": "Create", "resourceType": kind}
                                               for kind in template.resource_types()]}


def _deployment_show(call: Call, state) -> dict:
    group = _group(state, call.value("--resource-group"))
    found = state.get("deployment", f"{group['name'].lower()}/{call.value('--name')}")
    if found is None:
        raise Refusal(f"(DeploymentNotFound) Deployment '{call.value('--name')}' could not be found.", 3)
    return found


def _app_create(call: Call, state) -> dict:
    name = call.value("--display-name")
    return state.add("app", _id("app", name), {"appId": _id("app", name), "id": _id("object", name),
                                               "displayName": name, "federatedCredentials": []})


def _app(state, app_id: str) -> dict:
    for app in state.created.get("app", {}).values():
        if app_id in (app["appId"], app["id"]):
            return app
    raise Refusal(f"Resource '{app_id}' does not exist or one of its queried reference-property objects are not "
                  "present.", 3)


def _signed_in_user(call: Call, state) -> dict:
    """The user `az login` signed in: the reader (Microsoft Graph's user resource, a few of its properties)."""
    return {"id": _id("user", READER), "userPrincipalName": READER, "displayName": "Reader"}


def _sp_create(call: Call, state) -> dict:
    app = _app(state, call.value("--id"))
    return state.add("sp", app["appId"], {"id": _id("sp", app["appId"]), "appId": app["appId"],
                                          "displayName": app["displayName"]})


def _federated_credential(call: Call, state) -> dict:
    app = _app(state, call.value("--id"))
    text = call.value("--parameters")
    credential = json.loads(Path(text).read_text() if Path(text).is_file() else text)
    missing = [key for key in ("name", "issuer", "subject", "audiences") if not credential.get(key)]
    if missing:
        raise Refusal(f"(Request_BadRequest) {', '.join(missing)}: required properties of a federated credential")
    if len(credential["audiences"]) != 1:
        raise Refusal("(Request_BadRequest) audiences: a federated credential accepts a single audience")
    if len(credential["name"]) > NAME_LIMIT or any(len(credential[key]) > AUDIENCE_LIMIT
                                                   for key in ("issuer", "subject")):
        raise Refusal("(Request_BadRequest) the name has at most 120 characters, the issuer and subject 600")
    if any((old["issuer"], old["subject"]) == (credential["issuer"], credential["subject"])
           for old in app["federatedCredentials"]):
        raise Refusal("(Request_BadRequest) the application already trusts this issuer and subject")
    stored = {**credential, "id": _id("credential", app["appId"], credential["name"])}
    app["federatedCredentials"].append(stored)
    return stored


def _role_assignment(call: Call, state) -> dict:
    role, scope = call.value("--role"), call.value("--scope")
    if role not in BUILT_IN_ROLES:
        raise Refusal(f"Role '{role}' doesn't exist.", 3)
    principal = call.value("--assignee-object-id") or call.value("--assignee")
    user = call.value("--assignee") == principal and "@" in principal
    if not user and not any(principal in (sp["id"], sp["appId"]) for sp in state.created.get("sp", {}).values()):
        raise Refusal(f"Cannot find user or service principal in graph database for '{principal}'.", 3)
    parts = scope.strip("/").split("/")
    in_group = len(parts) >= 8 and len(parts) % 2 == 0 and parts[4] == "providers"  # a resource in a group
    if parts[:2] != ["subscriptions", SUBSCRIPTION] or (len(parts) not in (2, 4) and not in_group):
        raise Refusal(f"the fake az assigns roles at the subscription, a resource group or a resource in one, "
                      f"not at '{scope}'")
    if len(parts) == 4:
        _group(state, parts[3])
    assignment = {"principalId": principal, "roleDefinitionName": role, "scope": scope,
                  "principalType": call.value("--assignee-principal-type")}
    return state.add("role-assignment", _id(principal, role, scope), assignment)


def _identity_create(call: Call, state) -> dict:
    """A user-assigned managed identity, and the service principal Entra ID gives it (its principalId)."""
    group, name = _group(state, call.value("--resource-group")), call.value("--name")
    resource_id = f"{group['id']}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/{name}"
    identity = {"id": resource_id, "name": name, "location": call.value("--location") or group["location"],
                "principalId": _id("principal", resource_id), "clientId": _id("client", resource_id),
                "tenantId": TENANT}
    state.add("sp", identity["clientId"], {"id": identity["principalId"], "appId": identity["clientId"],
                                           "displayName": name})
    return state.add("identity", resource_id.lower(), identity)


def _identity_show(call: Call, state) -> dict:
    group, name = _group(state, call.value("--resource-group")), call.value("--name")
    found = state.get("identity", f"{group['id']}/providers/Microsoft.ManagedIdentity/userAssignedIdentities/"
                                  f"{name}".lower())
    if found is None:
        raise Refusal(f"(ResourceNotFound) The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/{name}' "
                      f"under resource group '{group['name']}' was not found.", 3)
    return found


ANSWERS = {
    ("az identity", "create"): _identity_create,
    ("az identity", "show"): _identity_show,
    ("az account", "show"): _account,
    ("az group", "create"): _group_create,
    ("az group", "show"): lambda call, state: _group(state, call.value("--name")),
    ("az deployment group", "create"): _deployment_create,
    ("az deployment group", "what-if"): _what_if,
    ("az deployment group", "show"): _deployment_show,
    ("az ad app", "create"): _app_create,
    ("az ad signed-in-user", "show"): _signed_in_user,
    ("az ad sp", "create"): _sp_create,
    ("az ad app federated-credential", "create"): _federated_credential,
    ("az role assignment", "create"): _role_assignment,
}
