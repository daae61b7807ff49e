"""Chapter 25: identities and roles, the managed virtual network and its outbound rules, private endpoints.

The Python scripts run against the fake Azure (tests/fake_azure/managed_network.py and identities.py
answer as Azure does); the shell scripts run through the fake `az` (tests/fake_azure/cli_arm.py);
the Bicep file is read by checkov's own Bicep parser. Expected values come from Azure's rules and
answers: the rules each name their source in those modules.
"""

import json

import pytest
from azure.ai.ml.constants import ManagedServiceIdentityType
from azure.ai.ml.entities import (
    AmlCompute,
    FqdnDestination,
    IdentityConfiguration,
    IsolationMode,
    ManagedIdentityConfiguration,
    ManagedNetwork,
    PrivateEndpointDestination,
    ServiceTagDestination,
    Workspace,
)
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.conftest import SNIPPETS
from tests.fake_azure import identities
from tests.fake_azure.cli_arm import SUBSCRIPTION
from tests.fake_azure.managed_network import network_problems
from tests.fake_azure.workspace import GROUP
from tests.site.test_bicep import as_checkov_parses
from tests.site.test_shell_snippets import run_script

CHAPTER = "ch25_identity_and_network_isolation"
FOLDER = SNIPPETS / CHAPTER
SECURE = "mlw-dp100-secure"
IDENTITY = "id-dp100-training"
# Learn, "Configure a private endpoint for an Azure Machine Learning workspace": the workspace's
# private endpoint has the group id amlworkspace, and its names resolve through these two zones.
WORKSPACE_ZONES = {"privatelink.api.azureml.ms", "privatelink.notebooks.azure.net"}


@pytest.fixture
def training_identity(workspace) -> dict:
    """The user-assigned identity assign_roles.sh creates, as Azure holds it."""
    return identities.user_assigned(workspace.azure.arm, GROUP, IDENTITY)


@pytest.fixture
def secure_workspace(workspace, training_identity, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/secure_workspace.py")
    capsys.readouterr()
    return workspace


def in_group(resource_id: str) -> str:
    """A resource id without its subscription: a snippet's client names the reader's, the tests' client the fake's."""
    return resource_id.split("/resourceGroups/", 1)[1].lower()


def refusal(call) -> str:
    with pytest.raises(HttpResponseError) as refused:
        call()
    return str(refused.value)


# --- identities -------------------------------------------------------------------------------------
def test_cluster_reaches_storage_as_its_user_assigned_identity(workspace, training_identity, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/cluster_identity.py")

    stored = workspace.get("compute", "cpu-cluster-uai")
    (assigned,) = stored.identity.user_assigned_identities
    assert stored.identity.type == "userassigned"  # the SDK's reading of Azure's UserAssigned
    assert assigned.resource_id.lower().endswith(training_identity["id"].split("/providers/", 1)[1].lower())
    # Azure answers with the identity's own principal and client ids (the SDK keeps them under their REST names)
    assert (assigned.principalId, assigned.clientId) == (training_identity["properties"]["principalId"],
                                                         training_identity["properties"]["clientId"])
    assert capsys.readouterr().out.endswith(f"cpu-cluster-uai reaches storage as {IDENTITY}\n")


def test_an_identity_that_does_not_exist_is_not_found(workspace, run_snippet):
    with pytest.raises(ResourceNotFoundError) as missing:
        run_snippet(f"{CHAPTER}/cluster_identity.py")
    assert (f"The Resource 'Microsoft.ManagedIdentity/userAssignedIdentities/{IDENTITY}' under resource group "
            f"'{GROUP}' was not found.") in str(missing.value)


def uai(workspace) -> list[ManagedIdentityConfiguration]:
    return [ManagedIdentityConfiguration(resource_id=f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/"
                                                     f"Microsoft.ManagedIdentity/userAssignedIdentities/{IDENTITY}")]


def test_a_cluster_has_a_system_or_user_assigned_identity_not_both(workspace, training_identity):
    both = IdentityConfiguration(type=ManagedServiceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED,
                                 user_assigned_identities=uai(workspace))
    cluster = AmlCompute(name="cpu-both", size="STANDARD_DS3_v2", identity=both)

    assert "not both" in refusal(lambda: workspace.reader.compute.begin_create_or_update(cluster).result())


@pytest.mark.parametrize("kind", ["compute", "workspace"])
def test_a_user_assigned_identity_needs_its_resource_id(kind, workspace):
    """The SDK sends a UserAssigned type without ids; Azure Resource Manager refuses it."""
    bare = IdentityConfiguration(type=ManagedServiceIdentityType.USER_ASSIGNED)
    def send():
        if kind == "compute":
            return workspace.reader.compute.begin_create_or_update(AmlCompute(name="cpu-bare", identity=bare))
        return workspace.reader.workspaces.begin_create(Workspace(name="mlw-bare", identity=bare)).result()

    assert "MissingIdentityIds: The identity ids must not be null or empty for 'UserAssigned'" in refusal(send)


def test_a_primary_identity_is_one_of_the_workspace_identities(workspace, training_identity):
    elsewhere = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.ManagedIdentity/" \
                "userAssignedIdentities/id-other"
    identities.user_assigned(workspace.azure.arm, GROUP, "id-other")
    ws = Workspace(name="mlw-primary", primary_user_assigned_identity=elsewhere,
                   identity=IdentityConfiguration(type=ManagedServiceIdentityType.USER_ASSIGNED,
                                                  user_assigned_identities=uai(workspace)))

    assert "isn't one of the workspace's user-assigned identities" in refusal(
        lambda: workspace.reader.workspaces.begin_create(ws).result())


def test_roles_give_each_identity_and_person_only_its_part(tmp_path):
    result, _ = run_script(FOLDER / "assign_roles.sh", tmp_path)

    assert result.returncode == 0, result.stderr
    created = json.loads((tmp_path / "state.json").read_text())["created"]
    (identity,) = created["identity"].values()
    by_role = {a["roleDefinitionName"]: a for a in created["role-assignment"].values()}
    group = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/"
    # Learn, "Set up authentication...": a compute identity reading data needs Storage Blob Data Reader on the
    # account; pulling images needs AcrPull on the registry. Both go to the identity's principal, by object id.
    for role, resource_type in [("Storage Blob Data Reader", "Microsoft.Storage/storageAccounts/"),
                                ("AcrPull", "Microsoft.ContainerRegistry/registries/")]:
        assert by_role[role]["principalId"] == identity["principalId"]
        assert by_role[role]["scope"].startswith(group + resource_type)
    # Learn, "Manage access to a workspace": the two AzureML roles are given on the workspace, to people
    workspace_scope = f"{group}Microsoft.MachineLearningServices/workspaces/mlw-dp100-labs"
    people = {role: by_role[role] for role in ("AzureML Data Scientist", "AzureML Compute Operator")}
    assert {a["scope"] for a in people.values()} == {workspace_scope}
    assert all("@" in a["principalId"] for a in people.values())
    assert set(by_role) == {"Storage Blob Data Reader", "AcrPull", *people}  # no Owner, no Contributor


# --- the managed virtual network ---------------------------------------------------------------------
def test_secure_workspace_is_held_as_azure_holds_it(workspace, training_identity, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/secure_workspace.py")

    (sent,) = workspace.created("workspaces")
    stored = workspace.get("workspaces", SECURE)
    assert stored.public_network_access == "Disabled"
    assert stored.system_datastores_auth_mode == "identity"
    assert stored.managed_network.isolation_mode == IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND
    assert stored.managed_network.status.status == "Inactive"  # nothing is built until it is provisioned
    rules = {rule.name: rule for rule in stored.managed_network.outbound_rules}
    mine = {rule.name for rule in rules.values() if rule.category == "UserDefined"}
    assert mine == {rule.name for rule in sent.managed_network.outbound_rules}
    # approved-outbound mode adds required private endpoints to the workspace and its dependencies
    required = {(rule.subresource_target, rule.service_resource_id.lower()) for rule in rules.values()
                if rule.category == "Required"}
    assert {("amlworkspace", stored.id.lower()), ("blob", stored.storage_account.lower()),
            ("file", stored.storage_account.lower()), ("vault", stored.key_vault.lower())} <= required
    # the system-assigned identity Azure made, and the user-assigned one with its own ids
    assert stored.identity.principal_id
    (assigned,) = stored.identity.user_assigned_identities
    assert assigned.principalId == training_identity["properties"]["principalId"]  # the SDK keeps the REST name
    assert capsys.readouterr().out.endswith(f"{SECURE}: {len(rules)} outbound rules, network Inactive\n")


def test_provisioning_is_a_long_running_operation_that_activates_every_rule(secure_workspace, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/provision_network.py")

    methods = [(method, url.split("?")[0].rsplit("/", 1)[-1]) for method, url in secure_workspace.azure.requests]
    posted = methods.index(("POST", "provisionManagedNetwork"))
    assert methods[posted + 1][0] == "GET" and methods[posted + 1][1].startswith("mnp:")  # the SDK polls
    stored = secure_workspace.get("workspaces", SECURE).managed_network
    assert (stored.status.status, stored.status.spark_ready) == ("Active", False)
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "managed network: Active, ready for Spark: False"
    assert printed[1:] == [f"{r.name}: {r.type}, {r.category.value}, Active" for r in stored.outbound_rules]


def test_outbound_rules_are_sub_resources_of_the_workspace(secure_workspace, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/provision_network.py")
    capsys.readouterr()
    run_snippet(f"{CHAPTER}/outbound_rules.py")

    stored = secure_workspace.get("workspaces", SECURE)
    rules = {rule.name: rule for rule in stored.managed_network.outbound_rules}  # the workspace's own view
    assert "data-factory" not in rules
    assert rules["conda"].destination == "conda.anaconda.org"
    for service in ("queue", "table"):
        rule = rules[f"batch-{service}"]
        assert (in_group(rule.service_resource_id), rule.subresource_target) == (in_group(stored.storage_account),
                                                                                 service)
    assert {rules[name].status for name in ("conda", "batch-queue", "batch-table")} == {"Active"}  # network is up
    printed = capsys.readouterr().out.splitlines()
    assert printed[0] == "conda.anaconda.org"
    listed = secure_workspace.reader.workspace_outbound_rules.list(SECURE)
    assert len(printed[1:]) == len(listed) + 1  # listed before data-factory was removed
    assert {line.split(":")[0] for line in printed[1:]} == {rule.name for rule in listed} | {"data-factory"}


def add_rule(workspace, rule, name=SECURE):
    return lambda: workspace.reader.workspace_outbound_rules.begin_create(name, rule).result()


def internet_workspace(workspace, *rules):
    network = ManagedNetwork(isolation_mode=IsolationMode.ALLOW_INTERNET_OUTBOUND, outbound_rules=list(rules))
    open_workspace = Workspace(name="mlw-open", managed_network=network)
    return lambda: workspace.reader.workspaces.begin_create(open_workspace).result()


def test_fqdn_and_service_tag_rules_need_allow_only_approved_outbound(workspace):
    fqdn = FqdnDestination(name="pypi", destination="pypi.org")
    assert ("Outbound rule 'pypi': FQDN rules are only valid when the managed network's isolation mode is "
            "AllowOnlyApprovedOutbound, not AllowInternetOutbound.") in refusal(internet_workspace(workspace, fqdn))

    internet_workspace(workspace)()  # without the rule, Azure creates it
    tag = ServiceTagDestination(name="adf", service_tag="DataFactory", protocol="TCP", port_ranges="443")
    assert "ServiceTag rules are only valid" in refusal(add_rule(workspace, tag, "mlw-open"))


def test_a_private_endpoint_rule_names_a_resource_that_exists(secure_workspace):
    missing = f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.Storage/storageAccounts/stnone"
    rule = PrivateEndpointDestination(name="none", service_resource_id=missing, subresource_target="blob")

    assert ("Outbound rule 'none': The Resource 'Microsoft.Storage/storageAccounts/stnone' under resource group "
            f"'{GROUP}' was not found.") in refusal(add_rule(secure_workspace, rule))
    assert "none" not in {r.name for r in secure_workspace.reader.workspace_outbound_rules.list(SECURE)}


def test_a_private_endpoint_targets_a_subresource_of_its_resource(secure_workspace):
    storage = secure_workspace.get("workspaces", SECURE).storage_account
    rule = PrivateEndpointDestination(name="blobs", service_resource_id=storage, subresource_target="blobs")

    assert "'blobs' isn't a subresource of microsoft.storage/storageaccounts" in refusal(
        add_rule(secure_workspace, rule))


def test_storage_is_reached_through_a_private_endpoint_not_an_fqdn_rule(secure_workspace):
    rule = FqdnDestination(name="blob", destination="stmlwdp100labs.blob.core.windows.net")

    assert "an FQDN rule can't reach an Azure Storage account" in refusal(add_rule(secure_workspace, rule))


def test_a_destination_has_one_private_endpoint_rule(secure_workspace):
    """Approved-outbound mode already has a required rule to the workspace storage account's blob service."""
    storage = secure_workspace.get("workspaces", SECURE).storage_account
    again = PrivateEndpointDestination(name="own-blob", service_resource_id=storage, subresource_target="blob")

    assert "already has a private endpoint to" in refusal(add_rule(secure_workspace, again))


def test_an_update_to_approved_outbound_keeps_one_rule_per_destination(workspace):
    lab = workspace.reader.workspaces.get()
    own_blob = PrivateEndpointDestination(name="own-blob", service_resource_id=lab.storage_account,
                                          subresource_target="blob")
    lab.managed_network = ManagedNetwork(isolation_mode=IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND,
                                         outbound_rules=[own_blob])

    assert "already has a private endpoint to" in refusal(lambda: workspace.reader.workspaces.begin_update(lab))
    assert workspace.reader.workspaces.get().managed_network is None  # the lab workspace as it was


@pytest.mark.parametrize(("before", "after", "accepted"), [
    (IsolationMode.DISABLED, IsolationMode.ALLOW_INTERNET_OUTBOUND, True),
    (IsolationMode.ALLOW_INTERNET_OUTBOUND, IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND, True),
    (IsolationMode.ALLOW_INTERNET_OUTBOUND, IsolationMode.DISABLED, False),
    (IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND, IsolationMode.ALLOW_INTERNET_OUTBOUND, False),
])
def test_an_isolation_mode_only_tightens(before, after, accepted, workspace):
    """begin_update (a PATCH of the workspace) moves the lab workspace from one mode to the next."""
    lab = workspace.reader.workspaces.get()
    if before != IsolationMode.DISABLED:
        lab.managed_network = ManagedNetwork(isolation_mode=before)
        lab = workspace.reader.workspaces.begin_update(lab).result()
    lab.managed_network = ManagedNetwork(isolation_mode=after)
    update = lambda: workspace.reader.workspaces.begin_update(lab).result()  # noqa: E731

    if accepted:
        assert update().managed_network.isolation_mode == after
        assert workspace.reader.workspaces.get().managed_network.isolation_mode == after
    else:
        assert f"can't change from {before} to {after}" in refusal(update)
        assert workspace.reader.workspaces.get().managed_network.isolation_mode == before


def test_a_workspace_without_a_managed_network_has_nothing_to_provision_or_keep_rules_in(workspace):
    provision = workspace.reader.workspaces.begin_provision_network
    tag = ServiceTagDestination(name="adf", service_tag="DataFactory", protocol="TCP", port_ranges="443")

    assert "has no managed network" in refusal(lambda: provision(workspace_name="mlw-dp100-labs").result())
    assert "has no managed network" in refusal(add_rule(workspace, tag, "mlw-dp100-labs"))


# --- private endpoints for the workspace, and the Bicep file ----------------------------------------
def test_clients_reach_the_workspace_through_its_private_endpoint_and_zones(tmp_path):
    result, calls = run_script(FOLDER / "private_endpoint.sh", tmp_path)

    assert result.returncode == 0, result.stderr
    argv = {" ".join(call["argv"][1:4]): call["argv"] for call in calls}

    def option(command: str, name: str) -> str:
        words = argv[command]
        return words[words.index(name) + 1]

    endpoint = "network private-endpoint create"
    assert option(endpoint, "--group-id") == "amlworkspace"
    assert option(endpoint, "--private-connection-resource-id") == (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}/providers/Microsoft.MachineLearningServices/"
        f"workspaces/{SECURE}")
    zones = [call["argv"] for call in calls if call["argv"][1:5] == ["network", "private-dns", "zone", "create"]]
    assert {words[words.index("--name") + 1] for words in zones} == WORKSPACE_ZONES
    links = [call["argv"] for call in calls if call["argv"][1:5] == ["network", "private-dns", "link", "vnet"]]
    assert {words[words.index("--zone-name") + 1] for words in links} == WORKSPACE_ZONES
    assert {words[words.index("--registration-enabled") + 1] for words in links} == {"false"}
    grouped = [call["argv"] for call in calls if call["argv"][1:4] == ["network", "private-endpoint", "dns-zone-group"]]
    assert {words[words.index("--private-dns-zone") + 1] for words in grouped} == WORKSPACE_ZONES
    assert {words[words.index("--endpoint-name") + 1] for words in grouped} == {option(endpoint, "--name")}


def bicep_workspace() -> dict:
    """The workspace resource of secure_workspace.bicep, as checkov's Bicep parser reads it."""
    return as_checkov_parses(FOLDER / "secure_workspace.bicep")["resources"]["workspace"]


def test_bicep_workspace_is_the_python_one_and_passes_the_same_rules(secure_workspace):
    properties = bicep_workspace()["properties"]
    network = properties["managedNetwork"]
    rules = {name.strip("'"): rule for name, rule in network["outboundRules"].items()}
    sent = secure_workspace.created("workspaces")[0].managed_network

    assert (properties["publicNetworkAccess"], properties["systemDatastoresAuthMode"]) == ("Disabled", "identity")
    assert network["isolationMode"] == sent.isolation_mode
    assert {name: rule["type"] for name, rule in rules.items()} == {r.name: r.type for r in sent.outbound_rules}
    # the data storage account is a parameter: give it the one the Python version reaches
    lab_storage = next(r.service_resource_id for r in sent.outbound_rules if r.type == "PrivateEndpoint")
    rules["lab-data-blob"]["destination"]["serviceResourceId"] = lab_storage
    assert network_problems({**network, "outboundRules": rules}, secure_workspace.azure.arm) == []
    wrong = {**network, "isolationMode": "AllowInternetOutbound", "outboundRules": rules}
    assert len(network_problems(wrong, secure_workspace.azure.arm)) == 3  # two FQDN rules, one service tag


@pytest.mark.parametrize(("sku", "accepted"), [("basic", True), ("Standard", True), ("Premium", False)])
def test_the_firewall_for_fqdn_rules_is_standard_or_basic(sku, accepted, workspace):
    network = ManagedNetwork(isolation_mode=IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND, firewall_sku=sku,
                             outbound_rules=[FqdnDestination(name="pypi", destination="pypi.org")])
    create = lambda: workspace.reader.workspaces.begin_create(  # noqa: E731
        Workspace(name="mlw-firewall", managed_network=network)).result()

    if accepted:
        assert create().managed_network.firewall_sku.lower() == sku.lower()
    else:
        assert "Firewall SKU 'Premium' isn't one of Standard, Basic." in refusal(create)
