from pathlib import Path

import pytest
from azure.ai.ml import load_workspace
from azure.core.exceptions import ResourceNotFoundError

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "ch05_workspace"
BUILTIN_DATASTORES = {"workspaceblobstore", "workspaceartifactstore", "workspacefilestore", "workspaceworkingdirectory"}


def test_create_workspace_builds_client_then_workspace(no_workspace_yet, run_snippet, monkeypatch, capsys):
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000000")
    monkeypatch.setenv("AZURE_RESOURCE_GROUP", "rg-dp100-labs")

    names = run_snippet("ch05_workspace/create_workspace.py")

    client = names["ml_client"]
    assert client.subscription_id == "00000000-0000-0000-0000-000000000000"
    assert client.resource_group_name == "rg-dp100-labs"
    assert client.workspace_name is None  # not scoped to a workspace yet

    (call,) = no_workspace_yet.sent("workspaces", "begin_create")
    ws = call.args[0]
    assert (ws.name, ws.location) == ("mlw-dp100-labs", "eastus")
    assert ws.display_name == "DP-100 labs"
    assert ws.description

    # what Azure now holds: the workspace as the template deployed it, with new dependent resources
    stored = no_workspace_yet.get("workspaces", "mlw-dp100-labs")
    assert (stored.display_name, stored.description) == (ws.display_name, ws.description)
    assert stored.tags["purpose"] == "study"
    assert stored.storage_account and stored.key_vault and stored.application_insights
    assert capsys.readouterr().out.strip() == f"Created {stored.name} in {stored.location}"
    # a new workspace comes with its four built-in datastores, on its own storage account
    datastores = no_workspace_yet.all("datastores")
    assert {d.name for d in datastores} == BUILTIN_DATASTORES
    assert {d.account_name for d in datastores} == {stored.storage_account.rsplit("/", 1)[-1]}


def test_create_workspace_needs_an_existing_resource_group(no_workspace_yet, run_snippet, monkeypatch):
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000000")
    monkeypatch.setenv("AZURE_RESOURCE_GROUP", "rg-not-created")

    with pytest.raises(ResourceNotFoundError, match="Resource group 'rg-not-created' could not be found"):
        run_snippet("ch05_workspace/create_workspace.py")


def test_workspace_yaml_matches_the_python_definition():
    ws = load_workspace(SNIPPETS / "workspace.yml")

    assert (ws.name, ws.location) == ("mlw-dp100-labs", "eastus")
    assert ws.display_name == "DP-100 labs"
    assert ws.tags == {"purpose": "study"}


def test_create_workspace_script_names_the_yaml():
    script = SNIPPETS / "create_workspace.sh"
    text = script.read_text()
    assert "az ml workspace create --file workspace.yml" in text
    assert (SNIPPETS / "workspace.yml").exists()


def test_list_datastores_prints_the_builtin_four_and_the_default(workspace, run_snippet, capsys):
    run_snippet("ch05_workspace/list_datastores.py")

    *listed, last = capsys.readouterr().out.splitlines()
    printed = dict(line.split() for line in listed)
    assert set(printed) == BUILTIN_DATASTORES  # the workspace has them from its creation
    assert printed == {d.name: d.type.value for d in workspace.all("datastores")}
    assert {printed["workspaceblobstore"], printed["workspacefilestore"]} == {"AzureBlob", "AzureFile"}
    assert last == f"Default datastore: {workspace.reader.datastores.get_default().name}"
    assert last == "Default datastore: workspaceblobstore"
    (call,) = workspace.sent("datastores", "get_default")
    assert (call.args, call.kwargs) == ((), {})
