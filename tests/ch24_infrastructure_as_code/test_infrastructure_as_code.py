"""Chapter 24: the Bicep files, deploying them with the CLI, GitHub's identity in Entra ID, the
workflow that provisions and trains, the same workspace from Python, and what stays out of Git.

checkov checks the Bicep files' Azure policies (tests/site/test_bicep.py); here the fake `az` reads
their parameters and outputs (tests/fake_azure/bicep.py) as Azure Resource Manager validates them.
"""

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import joblib
import pytest
import yaml
from azure.ai.ml import load_job
from azure.core.exceptions import ResourceNotFoundError

from tests.conftest import ROOT, SNIPPETS
from tests.fake_azure import bicep
from tests.fake_azure.az_scripts import check_script
from tests.fake_azure.cli_arm import SUBSCRIPTION
from tests.fake_azure.workspace import GROUP
from tests.site.stories import DEPENDENCY_IDS
from tests.site.test_shell_snippets import replay, run_script

FOLDER = SNIPPETS / "ch24_infrastructure_as_code"
WORKFLOW = FOLDER / "provision.yml"
# Azure's name rule for a workspace (Microsoft.MachineLearningServices/workspaces, the `name` pattern
# in the resource type's reference: https://learn.microsoft.com/azure/templates/microsoft.machinelearningservices/workspaces).
WORKSPACE_NAME = re.compile(r"^[a-zA-Z0-9][a-zA-Z0-9_-]{2,32}$")
GITHUB_ISSUER = "https://token.actions.githubusercontent.com"  # GitHub's OIDC token issuer
ENTRA_AUDIENCE = "api://AzureADTokenExchange"  # the audience Entra ID expects of an external token


def test_template_declares_the_environments_and_deploys_every_dependency():
    template = bicep.read_template(FOLDER / "infra" / "main.bicep")

    assert template.parameters["environmentName"].allowed == ["dev", "test", "prod"]
    assert template.parameters["location"].default is not None  # the resource group's region if not given
    # everything a workspace depends on is deployed with it, through the module
    assert sorted(template.resource_types()) == [
        "Microsoft.ContainerRegistry/registries", "Microsoft.Insights/components", "Microsoft.KeyVault/vaults",
        "Microsoft.MachineLearningServices/workspaces", "Microsoft.OperationalInsights/workspaces",
        "Microsoft.Storage/storageAccounts"]


@pytest.mark.parametrize("environment", ["dev", "test", "prod"])
def test_each_environment_has_a_parameters_file_the_template_accepts(environment):
    template = bicep.read_template(FOLDER / "infra" / "main.bicep")
    using, values = bicep.read_parameters_file(FOLDER / "infra" / f"main.{environment}.bicepparam")

    assert using == (FOLDER / "infra" / "main.bicep").resolve()
    assert values["environmentName"] == environment
    assert bicep.problems(template, values) == []
    outputs = bicep.Evaluation(template, values, "/subscriptions/s/resourceGroups/rg").outputs()
    assert outputs["workspaceName"]["value"].endswith(f"-{environment}")  # one workspace per environment


@pytest.mark.parametrize("environment", ["dev", "test", "prod"])
def test_every_allowed_value_gives_a_workspace_name_azure_accepts(environment):
    template = bicep.read_template(FOLDER / "infra" / "main.bicep")
    longest = "p" * template.parameters["projectName"].max_length
    values = {"environmentName": environment, "projectName": longest}

    name = bicep.Evaluation(template, values, "/subscriptions/s/resourceGroups/rg").outputs()["workspaceName"]
    assert WORKSPACE_NAME.match(name["value"]), name


def test_key_vault_uses_azure_rbac_not_access_policies():
    text = (FOLDER / "infra" / "modules" / "dependencies.bicep").read_text()
    assert "enableRbacAuthorization: true" in text
    assert "accessPolicies" not in text
    assert "adminUserEnabled: false" in text  # the registry has no shared admin password


def state_of(scratch: Path) -> dict:
    return json.loads((scratch / "state.json").read_text())


def test_deploy_script_previews_deploys_and_reads_outputs(tmp_path):
    result, calls = run_script(FOLDER / "deploy.sh", tmp_path)

    assert result.returncode == 0, result.stderr
    commands = [" ".join(call["argv"][1:3]) for call in calls]
    assert commands == ["group create", "deployment group", "deployment group", "deployment group",
                        "deployment group"]
    assert [call["argv"][3] for call in calls[1:]] == ["what-if", "create", "show", "show"]  # preview first
    deployment = state_of(tmp_path)["created"]["deployment"]["rg-diabetes-dev/workspace-dev"]
    _, dev_values = bicep.read_parameters_file(FOLDER / "infra" / "main.dev.bicepparam")
    assert deployment["properties"]["parameters"] == {name: {"value": v} for name, v in dev_values.items()}
    outputs = deployment["properties"]["outputs"]
    assert outputs["workspaceId"]["value"] == (
        f"/subscriptions/{SUBSCRIPTION}/resourceGroups/rg-diabetes-dev/providers/"
        f"Microsoft.MachineLearningServices/workspaces/{outputs['workspaceName']['value']}")
    name = outputs["workspaceName"]["value"]
    assert result.stdout.splitlines()[-1] == f"Workspace {name} is ready in rg-diabetes-dev"


def write_script(folder: Path, lines: str) -> Path:
    shutil.copytree(FOLDER, folder)
    script = folder / "wrong.sh"
    script.write_text(f"#!/usr/bin/env bash\nset -euo pipefail\n{lines}\n")
    return script


NEW_GROUP = "az group create --name rg-x --location eastus\n"
DEPLOY = "az deployment group create --resource-group rg-x --template-file infra/main.bicep"
# A deployment line Azure CLI or Azure Resource Manager refuses, and what it says.
REFUSED = {
    "az deployment group create --resource-group rg-x --parameters infra/main.dev.bicepparam":
        "Chose only one of --template-file FILE | --template-uri URI | --template-spec ID",
    "az deployment group create --template-file infra/main.bicep --parameters infra/main.dev.bicepparam":
        "the following arguments are required: --resource-group/-g",
    f"{NEW_GROUP}{DEPLOY} --parameters environmentName=staging projectName=diabetes":
        "'staging' for the template parameter 'environmentName' is not valid",
    f"{NEW_GROUP}{DEPLOY} --parameters environmentName=dev":
        "the value for the template parameter 'projectName' is not provided",
    f"{NEW_GROUP}{DEPLOY} --parameters infra/main.dev.bicepparam workspaceName=mlw-x":
        "do not correspond to any parameters defined in the template: 'workspaceName'",
    f"{NEW_GROUP}{DEPLOY} --parameters infra/main.dev.bicepparam projectName=ml":
        "'projectName' is shorter than the minimum length 3",
    f"{NEW_GROUP}az deployment group create -g rg-x --template-file infra/modules/dependencies.bicep "
    "--parameters infra/main.dev.bicepparam": "its using declaration names main.bicep",
    f"{DEPLOY} --parameters infra/main.dev.bicepparam": "Resource group 'rg-x' could not be found",
    f"{NEW_GROUP}az deployment group show -g rg-x --name never-deployed":
        "Deployment 'never-deployed' could not be found",
}


@pytest.mark.parametrize(("lines", "error"), REFUSED.items(), ids=list(REFUSED.values()))
def test_a_deployment_azure_refuses_fails_the_script(lines, error, tmp_path):
    script = write_script(tmp_path / "chapter", lines)

    result, _ = run_script(script, tmp_path / "run")
    assert result.returncode != 0
    assert error in result.stderr


def test_github_identity_gets_one_role_on_one_group_and_trusts_one_environment(tmp_path):
    result, _ = run_script(FOLDER / "github_identity.sh", tmp_path)

    assert result.returncode == 0, result.stderr
    created = state_of(tmp_path)["created"]
    (app,) = created["app"].values()
    (principal,) = created["sp"].values()
    (assignment,) = created["role-assignment"].values()
    assert principal["appId"] == app["appId"]
    assert assignment == {"principalId": principal["id"], "roleDefinitionName": "Contributor",
                          "principalType": "ServicePrincipal", "scope": created["group"]["rg-diabetes-dev"]["id"]}
    (credential,) = app["federatedCredentials"]
    assert (credential["issuer"], credential["audiences"]) == (GITHUB_ISSUER, [ENTRA_AUDIENCE])
    # the subject GitHub writes into the token of a job that runs in an environment
    # (https://docs.github.com/actions/reference/security/oidc#example-subject-claims)
    job = next(iter(yaml.safe_load(WORKFLOW.read_text())["jobs"].values()))
    assert credential["subject"] == f"repo:contoso/diabetes-mlops:environment:{job['environment']}"
    # what the script prints is what the workflow's azure/login step reads
    printed = dict(line.split("=", 1) for line in result.stdout.splitlines())
    assert printed["AZURE_CLIENT_ID"] == app["appId"]
    login = next(step for step in job["steps"] if step.get("uses", "").startswith("azure/login@"))
    assert {f"${{{{ vars.{name} }}}}" for name in printed} == set(login["with"].values())


ENTRA_REFUSED = {
    "two audiences": (lambda c: {**c, "audiences": [ENTRA_AUDIENCE, "api://other"]}, "a single audience"),
    "no subject": (lambda c: {k: v for k, v in c.items() if k != "subject"}, "subject: required"),
    "a long name": (lambda c: {**c, "name": "n" * 121}, "at most 120 characters"),
}


@pytest.mark.parametrize("case", ENTRA_REFUSED, ids=list(ENTRA_REFUSED))
def test_entra_refuses_a_federated_credential_without_its_parts(case, tmp_path):
    change, error = ENTRA_REFUSED[case]
    credential = json.loads((FOLDER / "federated-credential.json").read_text())
    script = write_script(tmp_path / "chapter", (
        "APP_ID=$(az ad app create --display-name app --query appId -o tsv)\n"
        'az ad app federated-credential create --id "$APP_ID" --parameters changed.json'))
    (script.parent / "changed.json").write_text(json.dumps(change(credential)))

    result, _ = run_script(script, tmp_path / "run")
    assert result.returncode != 0
    assert error in result.stderr


@pytest.mark.parametrize(("lines", "error"), [
    ('APP_ID=$(az ad app create --display-name app --query appId -o tsv)\n'
     'az ad app federated-credential create --id "$APP_ID" --parameters federated-credential.json\n'
     'az ad app federated-credential create --id "$APP_ID" --parameters federated-credential.json',
     "already trusts this issuer and subject"),
    ('APP_ID=$(az ad app create --display-name app --query appId -o tsv)\n'
     'SP=$(az ad sp create --id "$APP_ID" --query id -o tsv)\n'
     f'az role assignment create --assignee-object-id "$SP" --role Contributer --scope /subscriptions/{SUBSCRIPTION}',
     "Role 'Contributer' doesn't exist"),
    ("az role assignment create --assignee-object-id 42 --role Reader --scope /subscriptions/x",
     "Cannot find user or service principal"),
    ("az ad sp create --id 00000000-0000-0000-0000-00000000abcd", "does not exist"),
])
def test_entra_and_rbac_refuse_what_does_not_exist(lines, error, tmp_path):
    result, _ = run_script(write_script(tmp_path / "chapter", lines), tmp_path / "run")
    assert result.returncode != 0
    assert error in result.stderr


def test_workflow_passes_github_schema_and_zizmor():
    bin_dir = Path(sys.executable).parent
    schema = subprocess.run(  # noqa: S603
        [bin_dir / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", WORKFLOW],
        capture_output=True, text=True,
    )
    assert schema.returncode == 0, schema.stdout
    audit = subprocess.run(  # noqa: S603
        [bin_dir / "zizmor", "--offline", "--no-progress", WORKFLOW], capture_output=True, text=True, cwd=ROOT
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr


def test_workflow_signs_in_with_oidc_and_pins_the_sites_actions():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    (job,) = workflow["jobs"].values()

    assert set(workflow[True]) == {"push", "workflow_dispatch"}  # PyYAML reads `on` as True
    assert workflow[True]["push"]["branches"] == ["main"]
    assert workflow["permissions"] == {}
    assert job["permissions"] == {"contents": "read", "id-token": "write"}
    assert "secrets." not in WORKFLOW.read_text()  # nothing stored: no client secret, no credentials JSON
    # the same actions, at the same commits, as this site's own workflows
    pinned = {line.split("uses:")[1].strip() for path in (ROOT / ".github" / "workflows").glob("*.yml")
              for line in path.read_text().splitlines() if "uses:" in line}
    used = [line.split("uses:")[1].strip() for line in WORKFLOW.read_text().splitlines() if "uses:" in line]
    assert len(used) == 2
    assert {" ".join(use.split()) for use in used} <= {" ".join(use.split()) for use in pinned}


def workflow_script(folder: Path) -> Path:
    """The workflow's `run:` steps as one script, with the job's environment, in a copy of the chapter
    folder (the repository's root, as actions/checkout leaves it)."""
    (job,) = yaml.safe_load(WORKFLOW.read_text())["jobs"].values()
    exported = [f"export {name}={value}" for name, value in job["env"].items()]
    runs = [step["run"] for step in job["steps"] if "run" in step]
    shutil.copytree(FOLDER, folder)
    script = folder / "workflow.sh"
    script.write_text("\n".join(["#!/usr/bin/env bash", "set -euo pipefail", *exported, *runs]) + "\n")
    return script


def test_workflow_provisions_then_trains_in_the_new_workspace(workspace, tmp_path):
    script = workflow_script(tmp_path / "repository")
    assert check_script(script, tmp_path) == []  # every az line against the CLI reference

    result, calls = run_script(script, tmp_path / "run")
    assert result.returncode == 0, result.stderr
    # what the deployment created, in the fake Azure the `az ml` calls are replayed against
    deployment = state_of(tmp_path / "run")["created"]["deployment"]["rg-diabetes-dev/workspace-dev"]
    name = deployment["properties"]["outputs"]["workspaceName"]["value"]
    location = deployment["properties"]["parameters"]["location"]["value"]
    workspace.azure.add_workspace("rg-diabetes-dev", name, location)

    *_, submitted = replay(script, calls, tmp_path)
    assert submitted.compute is None  # serverless: the new workspace needs no cluster
    assert submitted.id.split("/workspaces/")[1].startswith(f"{name}/jobs/")
    job = workspace.azure.arm.get(submitted.id)
    assert job["properties"]["status"] == "Completed"


def test_job_yaml_is_a_serverless_command_job():
    job = load_job(FOLDER / "jobs" / "train.yml")

    assert job.type == "command"
    assert job.compute is None
    assert (job.resources.instance_type, job.resources.instance_count) == ("Standard_DS3_v2", 1)
    assert (FOLDER / "jobs" / job.code / "train.py").is_file()


def test_training_script_runs_for_real(run_snippet, capsys):
    run_snippet("ch24_infrastructure_as_code/src/train.py")

    r2 = float(capsys.readouterr().out.removeprefix("r2: "))
    assert 0.3 < r2 < 0.7  # a linear model on the diabetes data set explains about half the variance
    model = joblib.load("outputs/model.joblib")  # the job's output, in the folder it ran in
    assert model.coef_.shape == (10,)


def with_dependencies(workspace, monkeypatch, deployed: set[str]) -> None:
    """The variables the reader sets from the dependencies' deployment outputs, and those of the
    dependencies ``deployed`` that exist (as modules/dependencies.bicep leaves them)."""
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", SUBSCRIPTION)
    monkeypatch.setenv("AZURE_RESOURCE_GROUP", GROUP)
    for variable, resource in DEPENDENCY_IDS.items():
        monkeypatch.setenv(variable, resource)
        if variable in deployed:
            workspace.azure.arm.put(resource, {"location": "eastus"})


def test_sdk_creates_the_workspace_on_existing_dependencies(workspace, run_snippet, monkeypatch, capsys):
    with_dependencies(workspace, monkeypatch, set(DEPENDENCY_IDS))

    run_snippet("ch24_infrastructure_as_code/create_workspace.py")

    (path, body) = next((p, b) for p, b in workspace.azure.writes if "/deployments/" in p)
    parameters = body["properties"]["parameters"]
    for option in ("storageAccountOption", "keyVaultOption", "containerRegistryOption", "applicationInsightsOption"):
        assert parameters[option]["value"] == "existing"  # linked, not created: the template makes no new one
    stored = workspace.azure.workspace(GROUP, "mlw-diabetes-test")["properties"]
    for variable, prop in [("STORAGE_ACCOUNT_ID", "storageAccount"), ("KEY_VAULT_ID", "keyVault"),
                           ("CONTAINER_REGISTRY_ID", "containerRegistry"),
                           ("APPLICATION_INSIGHTS_ID", "applicationInsights")]:
        assert stored[prop].lower() == os.environ[variable].replace(SUBSCRIPTION, "*").lower()
    assert parameters["identity"]["value"]["type"] == "SystemAssigned"
    assert capsys.readouterr().out.strip() == "mlw-diabetes-test uses stdiabetestest"


def test_a_dependency_that_does_not_exist_fails_the_deployment(workspace, run_snippet, monkeypatch):
    with_dependencies(workspace, monkeypatch, set(DEPENDENCY_IDS) - {"KEY_VAULT_ID"})

    with pytest.raises(ResourceNotFoundError, match="Microsoft.KeyVault/vaults/kv-diabetes-test' under resource"):
        run_snippet("ch24_infrastructure_as_code/create_workspace.py")
    assert workspace.azure.workspace(GROUP, "mlw-diabetes-test") is None


@pytest.mark.parametrize(("path", "ignored"), [
    ("data/diabetes.csv", True), ("exports/patients.csv", True), ("outputs/model.joblib", True),
    ("mlruns/0/meta.yaml", True), (".env", True), ("config.json", True), ("notebooks/.ipynb_checkpoints/a.ipynb", True),
    ("src/train.py", False), ("infra/main.bicep", False), ("infra/main.dev.bicepparam", False),
    ("jobs/train.yml", False), (".github/workflows/provision.yml", False), ("notebooks/explore.ipynb", False),
])
def test_gitignore_keeps_data_outputs_and_secrets_out(path, ignored, tmp_path):
    git = shutil.which("git")
    subprocess.run([git, "init", "-q", tmp_path], check=True)  # noqa: S603
    shutil.copy(FOLDER / ".gitignore", tmp_path / ".gitignore")

    check = subprocess.run([git, "check-ignore", "--no-index", "-q", path], cwd=tmp_path, check=False)  # noqa: S603
    assert (check.returncode == 0) is ignored
