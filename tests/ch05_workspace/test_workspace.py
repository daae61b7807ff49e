from pathlib import Path

from azure.ai.ml import load_workspace

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "ch05_workspace"


def test_create_workspace_builds_client_then_workspace(workspace, run_snippet, monkeypatch, capsys):
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "00000000-0000-0000-0000-000000000000")
    monkeypatch.setenv("AZURE_RESOURCE_GROUP", "rg-dp100-labs")

    names = run_snippet("ch05_workspace/create_workspace.py")

    client = names["ml_client"]
    assert client.subscription_id == "00000000-0000-0000-0000-000000000000"
    assert client.resource_group_name == "rg-dp100-labs"
    assert client.workspace_name is None  # not scoped to a workspace yet

    (call,) = workspace.sent("workspaces", "begin_create")
    ws = call.args[0]
    assert (ws.name, ws.location) == ("mlw-dp100-labs", "eastus")
    assert ws.display_name == "DP-100 labs"
    assert ws.description
    assert capsys.readouterr().out.strip() == "Created mlw-dp100-labs in eastus"


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


def test_list_datastores_prints_the_builtin_four_and_the_default(builtin_datastores, run_snippet, capsys):
    run_snippet("ch05_workspace/list_datastores.py")

    lines = capsys.readouterr().out.splitlines()
    listed = [line.split()[0] for line in lines[:-1]]
    assert listed == [
        "workspaceartifactstore",
        "workspaceworkingdirectory",
        "workspaceblobstore",
        "workspacefilestore",
    ]
    assert [line.split()[1] for line in lines[:2]] == ["AzureBlob", "AzureFile"]
    assert lines[-1] == "Default datastore: workspaceblobstore"
    (client,) = builtin_datastores.clients
    client.datastores.get_default.assert_called_once_with()
