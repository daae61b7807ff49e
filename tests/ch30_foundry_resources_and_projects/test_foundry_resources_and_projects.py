"""Chapter 30: a hub and its project through azure-ai-ml, an Entra ID connection, and a Foundry resource
with a project, a least-privilege role and a private endpoint in Bicep, deployed with the CLI.

The hub and project go through the fake's template deployments (tests/fake_azure/hubs.py holds Azure's
rules for them); checkov checks the Bicep file's policies (tests/site/test_bicep.py) and its parser
reads the resources here, so the assertions below are about what Azure needs of them.
"""

import json
import os
from datetime import date

import pytest
import requests
from azure.ai.ml.entities import Project
from azure.ai.ml.exceptions import ValidationException
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.conftest import SNIPPETS
from tests.fake_azure import bicep
from tests.fake_azure.catalog import facts
from tests.fake_azure.chat_model import FOUNDRY_BICEP, created_by_chapter_30
from tests.fake_azure.workspace import GROUP
from tests.site.test_bicep import as_checkov_parses
from tests.site.test_shell_snippets import run_script

CHAPTER = "ch30_foundry_resources_and_projects"
FOLDER = SNIPPETS / CHAPTER
WORKSPACES = "Microsoft.MachineLearningServices/workspaces"
# Built-in role ids (Learn, "Azure built-in roles for AI + machine learning"; Foundry's roles were renamed
# in 2026 with their ids kept: Azure AI User is now Foundry User).
FOUNDRY_USER = "53ca6127-db72-4b80-b1b0-d745d6d5456d"
BROADER_ROLES = {
    "eadc314b-1a2d-4efa-be10-5d325db5065e",  # Foundry (Azure AI) Project Manager
    "e47c6f54-e4a2-4754-9501-8e0985b135e1",  # Foundry (Azure AI) Account Owner
    "8e3af657-a8ff-443c-a75c-2fe8c4bcb635",  # Owner
    "b24988ac-6180-42a0-ab88-20f7382dd24c",  # Contributor
}
# Learn, "Configure private link for Foundry": the account's sub-resource and the zones its names resolve in.
FOUNDRY_ZONES = {"privatelink.services.ai.azure.com", "privatelink.openai.azure.com",
                 "privatelink.cognitiveservices.azure.com"}
# Learn, "Deployment types for Microsoft Foundry Models": the SKU names of the standard and provisioned types;
# and the model deployment's versionUpgradeOption values (the accounts/deployments template reference).
DEPLOYMENT_SKUS = {"GlobalStandard", "DataZoneStandard", "Standard", "GlobalProvisionedManaged",
                   "DataZoneProvisionedManaged", "ProvisionedManaged"}
UPGRADE_OPTIONS = {"OnceNewDefaultVersionAvailable", "OnceCurrentVersionExpired", "NoAutoUpgrade"}


@pytest.fixture
def hub_and_project(workspace, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/hub_and_project.py")
    return workspace, capsys.readouterr().out


def stored(workspace, name: str) -> dict:
    return workspace.azure.workspace(GROUP, name)


def test_the_project_belongs_to_the_hub_and_shares_its_resources(hub_and_project):
    workspace, out = hub_and_project
    hub, project = stored(workspace, "hub-ai300"), stored(workspace, "proj-ai300-chat")

    assert (hub["kind"], project["kind"]) == ("Hub", "Project")
    assert project["properties"]["hubResourceId"] == hub["id"]
    assert project["location"] == hub["location"]  # a project lives in its hub's region
    # a project has no storage or key vault of its own: it uses its hub's
    for shared in ("storageAccount", "keyVault"):
        assert project["properties"][shared] == hub["properties"][shared]
    read = workspace.reader.workspaces.get("proj-ai300-chat")
    assert isinstance(read, Project)
    assert read.hub_id.lower() == hub["id"].replace("*", workspace.reader.subscription_id).lower()
    assert out.strip() == f"proj-ai300-chat (Project) in {hub['location']}, hub hub-ai300"


def test_the_hub_is_reached_only_privately(hub_and_project):
    workspace, _ = hub_and_project
    hub = workspace.reader.workspaces.get("hub-ai300")

    assert hub.public_network_access == "Disabled"


def test_a_project_needs_an_existing_hub(workspace):
    missing = f"/subscriptions/s/resourceGroups/{GROUP}/providers/{WORKSPACES}/hub-missing"

    with pytest.raises(HttpResponseError, match="create the hub first"):
        workspace.reader.workspaces.begin_create(Project(name="proj-orphan", hub_id=missing)).result()


def test_a_project_brings_no_storage_of_its_own(hub_and_project):
    workspace, _ = hub_and_project
    hub = stored(workspace, "hub-ai300")
    own = Project(name="proj-own-storage", hub_id=hub["id"], storage_account=hub["properties"]["storageAccount"])

    with pytest.raises(ValidationException, match="only specify name, description"):
        workspace.reader.workspaces.begin_create(own)
    assert stored(workspace, "proj-own-storage") is None


def test_a_workspace_that_is_not_a_hub_holds_no_projects(workspace):
    lab = workspace.reader.workspaces.get()  # the lab workspace: kind Default

    with pytest.raises(HttpResponseError, match="is not a hub"):
        workspace.reader.workspaces.begin_create(Project(name="proj-in-lab", hub_id=lab.id)).result()


def test_a_project_outside_its_hub_region_is_refused(workspace):
    # A hub in another resource group, in another region: the SDK cannot copy its region from the
    # client's resource group, so the project goes out in the region it names, and Azure refuses it.
    hub_path = f"/subscriptions/*/resourceGroups/rg-hubs/providers/{WORKSPACES}/hub-west"
    hub = workspace.azure.arm.put(hub_path, {"location": "westus2", "kind": "Hub", "properties": {}})
    project = Project(name="proj-east", hub_id=hub["id"], location="eastus")

    with pytest.raises(HttpResponseError, match="a project is in its hub's region"):
        workspace.reader.workspaces.begin_create(project).result()
    assert stored(workspace, "proj-east") is None


def test_the_connection_uses_entra_id_and_keeps_no_key(hub_and_project, run_snippet, capsys):
    workspace, _ = hub_and_project
    run_snippet(f"{CHAPTER}/connect_ai_services.py")

    hub = stored(workspace, "hub-ai300")
    connection = workspace.azure.arm.get(f"{hub['id']}/connections/foundry-ai300")["properties"]
    assert (connection["category"], connection["authType"]) == ("AIServices", "AAD")
    assert "credentials" not in connection  # nothing secret is stored with it
    assert connection["isSharedToAll"] is True  # a hub's connection is there for each of its projects
    assert connection["metadata"]["ResourceId"].endswith("/Microsoft.CognitiveServices/accounts/aif-ai300")
    account = connection["metadata"]["ResourceId"].rsplit("/", 1)[-1]
    assert connection["target"] == f"https://{account}.services.ai.azure.com/"
    assert capsys.readouterr().out.strip().endswith("auth aad")


def parsed_bicep() -> dict:
    return as_checkov_parses(FOLDER / "foundry.bicep")


def bicep_resources() -> dict:
    return parsed_bicep()["resources"]


def test_the_account_can_hold_projects():
    resources = bicep_resources()
    account, project = resources["foundry"], resources["project"]

    # Learn's template reference: projects are children of an AIServices account that allows project
    # management, has a custom subdomain (Entra ID tokens need it) and a managed identity.
    assert account["kind"] == "AIServices"
    assert account["properties"]["allowProjectManagement"] is True
    assert account["properties"]["customSubDomainName"]
    assert account["identity"]["type"] == "SystemAssigned"
    assert project["parent"] == "foundry"
    assert account["properties"]["disableLocalAuth"] is True  # keys off: Entra ID only
    acls = account["properties"]["networkAcls"]
    assert (account["properties"]["publicNetworkAccess"], acls["defaultAction"]) == ("Disabled", "Deny")


def test_the_developer_gets_the_least_role_on_the_project_only():
    assignment = bicep_resources()["developerIsFoundryUser"]

    assert assignment["scope"] == "project"  # not the account, not the resource group
    definition = assignment["properties"]["roleDefinitionId"]["function"]["parameters"]
    assert definition["resource_type"] == "Microsoft.Authorization/roleDefinitions"
    role = parsed_bicep()["variables"][definition["resource_name_1"]]
    assert role == FOUNDRY_USER
    assert role not in BROADER_ROLES
    assert assignment["properties"]["principalId"] == "developerPrincipalId"


def test_the_private_endpoint_reaches_the_account_and_resolves_in_its_zones():
    resources = bicep_resources()
    connection = resources["endpoint"]["properties"]["privateLinkServiceConnections"][0]["properties"]

    assert connection["groupIds"] == ["account"]
    assert connection["privateLinkServiceId"]["operator"]["operands"] == {"operand_1": "foundry", "operand_2": "id"}
    assert resources["zones"]["loop_type"]["detail"]["array_name"] == "zoneNames"  # one zone for each name
    assert set(parsed_bicep()["variables"]["zoneNames"]) == FOUNDRY_ZONES


def model_deployments() -> dict[str, dict]:
    parsed = parsed_bicep()
    return {symbol: config for symbol, config in parsed["resources"].items()
            if parsed["types"][symbol] == bicep.MODEL_DEPLOYMENT}


def test_the_account_deploys_model_versions_azure_still_sells():
    deployments = model_deployments()
    sold = facts("openai_models")["models"]

    assert len(deployments) >= 2  # a chat model and an embedding model, at least
    for config in deployments.values():
        model = config["properties"]["model"]
        assert (config["parent"], model["format"]) == ("foundry", "OpenAI")
        assert sold[model["name"]]["version"] == model["version"]
        assert sold[model["name"]]["retires"] > date.today()  # after it retires, a deployment answers only errors
        assert config["sku"]["name"] in DEPLOYMENT_SKUS
        assert config["sku"]["capacity"] > 0  # thousands of tokens a minute, from the subscription's quota
        assert config["properties"]["versionUpgradeOption"] in UPGRADE_OPTIONS
    kinds = {sold[config["properties"]["model"]["name"]]["kind"] for config in deployments.values()}
    assert kinds == {"chat", "embeddings"}
    # the fake model deployment the later chapters call serves exactly these names
    assert {config["name"] for config in deployments.values()} == set(created_by_chapter_30())


def test_the_model_deployments_are_written_one_after_another():
    deployments = model_deployments()

    def waits_for(symbol: str) -> set[str]:
        direct = set(deployments[symbol].get("dependsOn", [])) & set(deployments)
        return direct.union(*(waits_for(other) for other in direct))

    # Azure takes one deployment change of an account at a time: the deployments must form a chain,
    # the first waiting for none, the next for one, and so on
    assert sorted(len(waits_for(symbol)) for symbol in deployments) == list(range(len(deployments)))


def test_model_deployments_written_side_by_side_are_refused(tmp_path):
    embedding_waits = "  dependsOn: [\n    judgeModel\n  ]\n"
    assert embedding_waits in FOUNDRY_BICEP.read_text()

    result, _ = run_script(FOLDER / "deploy_foundry.sh", tmp_path, edit=("foundry.bicep", embedding_waits, ""))

    assert result.returncode != 0
    assert "(RequestConflict) Another operation is being performed on the parent resource 'foundry'" in result.stderr
    assert "embeddingModel (foundry.bicep:" in result.stderr


LOOP = """resource account 'Microsoft.CognitiveServices/accounts@2026-05-01' = {{
  name: 'aif-loop'
}}

{decorator}
resource models 'Microsoft.CognitiveServices/accounts/deployments@2026-05-01' = [for name in names: {{
  parent: account
  name: name
}}]
"""


@pytest.mark.parametrize(("decorator", "refused"), [("", True), ("@batchSize(1)", False)])
def test_a_loop_of_model_deployments_needs_a_batch_of_one(tmp_path, decorator, refused):
    path = tmp_path / "models.bicep"
    path.write_text(LOOP.format(decorator=decorator))

    assert bool(bicep.conflicts(bicep.read_template(path))) is refused


def test_the_script_deploys_the_template_and_reads_the_project_endpoint(tmp_path):
    result, calls = run_script(FOLDER / "deploy_foundry.sh", tmp_path)

    assert result.returncode == 0, result.stderr
    state = json.loads((tmp_path / "state.json").read_text())
    deployment = state["created"]["deployment"]["rg-ai300-foundry/foundry"]
    template = bicep.read_template(FOLDER / "foundry.bicep")
    given = {name: spec["value"] for name, spec in deployment["properties"]["parameters"].items()}
    assert bicep.problems(template, given) == []
    assert given["endpointsSubnetId"].startswith(given["clientsVnetId"] + "/subnets/")
    endpoint = deployment["properties"]["outputs"]["projectEndpoint"]["value"]
    # the project's endpoint: https://<resource>.services.ai.azure.com/api/projects/<project>
    assert endpoint == f"https://{given['foundryName']}.services.ai.azure.com/api/projects/proj-ai300-chat"
    assert result.stdout.splitlines()[-1] == f"Project endpoint: {endpoint}"


ACCOUNT = "/subscriptions/*/resourceGroups/rg-ai300-foundry/providers/Microsoft.CognitiveServices/accounts/aif-ai300"


@pytest.fixture
def foundry(workspace, monkeypatch):
    """What foundry.bicep leaves in Azure (the account, its project and its model deployments, ARM:
    accounts/deployments), plus what a team adds: a connection on the project (accounts/projects/connections)."""
    store = workspace.azure.arm
    store.put(ACCOUNT, {"kind": "AIServices", "location": "eastus2", "properties": {
        "customSubDomainName": "aif-ai300", "allowProjectManagement": True, "disableLocalAuth": True}})
    store.put(f"{ACCOUNT}/projects/proj-ai300-chat", {"location": "eastus2", "properties": {}})
    for config in model_deployments().values():
        store.put(f"{ACCOUNT}/deployments/{config['name']}", {key: config[key] for key in ("sku", "properties")})
    store.put(f"{ACCOUNT}/projects/proj-ai300-chat/connections/search", {"properties": {
        "category": "CognitiveSearch", "target": "https://srch-ai300.search.windows.net", "authType": "AAD"}})
    endpoint = "https://aif-ai300.services.ai.azure.com/api/projects/proj-ai300-chat"
    monkeypatch.setenv("PROJECT_ENDPOINT", endpoint)
    return workspace


def test_the_project_client_lists_connections_and_the_resource_deployments(foundry, run_snippet, capsys):
    run_snippet(f"{CHAPTER}/list_project_assets.py")

    calls = [url for method, url in foundry.azure.requests if "services.ai.azure.com" in url]
    assert [url.split("/proj-ai300-chat/")[1] for url in calls] == [
        "connections?api-version=v1", "deployments?api-version=v1"]
    deployed = [f"deployment {c['name']}: OpenAI {c['properties']['model']['name']} "
                f"{c['properties']['model']['version']}, {c['sku']['name']} x{c['sku']['capacity']}"
                for c in model_deployments().values()]  # the resource's, seen by the project
    assert capsys.readouterr().out.splitlines() == [
        "connection search: ConnectionType.AZURE_AI_SEARCH at https://srch-ai300.search.windows.net (AAD)",
        *deployed]


def test_a_project_that_does_not_exist_is_not_found(foundry, run_snippet, monkeypatch):
    monkeypatch.setenv("PROJECT_ENDPOINT", "https://aif-ai300.services.ai.azure.com/api/projects/proj-missing")

    with pytest.raises(ResourceNotFoundError, match="project 'proj-missing' not found"):
        run_snippet(f"{CHAPTER}/list_project_assets.py")


def test_a_project_takes_only_entra_id_tokens(foundry):
    # AIProjectClient accepts only a TokenCredential; a request without a token is refused by the service
    anonymous = requests.get(f"{os.environ['PROJECT_ENDPOINT']}/connections", params={"api-version": "v1"}, timeout=5)

    assert anonymous.status_code == 401
