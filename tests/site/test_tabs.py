"""Every operation shown as Python SDK / YAML / Azure CLI tabs describes one entity three ways.

The Python tab's snippet runs against the fake workspace; each YAML file is loaded with the
SDK's loader; the two must agree field by field (after the SDK's own normalisation), and
the CLI tab must create from that same YAML file.
"""

import json
from pathlib import Path

import azure.ai.ml as aml
import pytest
import yaml
from azure.ai.ml.entities._builders import BaseNode
from azure.ai.ml.entities._load_functions import load_model_batch_deployment

from tests.site.pages import SNIPPETS
from tests.site.tabs import LABELS, all_tab_groups

# The YAML's $schema file names the kind of entity, and so its loader.
LOADERS = {
    "amlCompute": aml.load_compute,
    "environment": aml.load_environment,
    "data": aml.load_data,
    "azureBlob": aml.load_datastore,
    "azureDataLakeGen2": aml.load_datastore,
    "azureFile": aml.load_datastore,
    "autoMLClassificationJob": aml.load_job,
    "commandJob": aml.load_job,
    "sweepJob": aml.load_job,
    "pipelineJob": aml.load_job,
    "managedOnlineEndpoint": aml.load_online_endpoint,
    "managedOnlineDeployment": aml.load_online_deployment,
    "batchEndpoint": aml.load_batch_endpoint,
    "modelBatchDeployment": load_model_batch_deployment,
}
GROUPS = all_tab_groups()
# Fields that name where or when an entity was made, not what it is.
IGNORED = {"$schema", "creation_context", "id"}


def load_yaml_entity(path: Path):
    schema = yaml.safe_load(path.read_text())["$schema"]
    kind = schema.rsplit("/", 1)[-1].removesuffix(".schema.json")
    return LOADERS[kind](path)


def normalised(value):
    """The SDK's dict form, minus empty fields; `azureml:` prefixes and local folders made comparable."""
    if isinstance(value, dict):
        pairs = ((key, normalised(item)) for key, item in value.items() if key not in IGNORED)
        fields = {key: item for key, item in pairs if item not in (None, {}, [], "")}
        if fields.get("type") == "bandit":  # the slack not chosen: None on a sweep() node, 0 once loaded
            fields = {key: item for key, item in fields.items() if not (key.startswith("slack_") and item == 0)}
        if isinstance(fields.get("component"), dict):  # a step's local component file is registered anonymously
            fields["component"] = {k: v for k, v in fields["component"].items() if k not in ("name", "version")}
        return fields
    if isinstance(value, list):
        return [normalised(item) for item in value]
    if isinstance(value, str):
        value = value.removeprefix("azureml:")
        return Path(value).name if value.startswith(("/", "./", "../")) else value
    return value


def as_fields(entity) -> dict:
    if isinstance(entity, BaseNode):  # the command() builder is submitted as a job
        entity = entity._to_job()
    return normalised(json.loads(json.dumps(entity._to_dict(), default=str)))


def test_at_least_ten_operations_have_all_three_forms():
    assert len(GROUPS) >= 10, [group.where for group in GROUPS]
    for group in GROUPS:
        assert tuple(group.files) == LABELS, f"{group.where}: tabs {tuple(group.files)}"
        assert all(len(paths) >= 1 for paths in group.files.values()), f"{group.where}: a tab shows no snippet"


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.where)
def test_cli_tab_creates_from_the_yaml_tab(group):
    script = "\n".join((SNIPPETS / path).read_text() for path in group.files["Azure CLI"])
    for path in group.files["YAML"]:
        assert f"--file {Path(path).name}" in script, f"{group.where}: the CLI tab never uses {path}"


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.where)
def test_python_and_yaml_tabs_describe_the_same_entity(group, workspace, run_snippet):
    (python,) = group.files["Python SDK"]
    run_snippet(python)
    sent = [call.args[0] for call in workspace.calls if call.method in ("create_or_update", "begin_create_or_update")]

    for path in group.files["YAML"]:
        expected = load_yaml_entity(SNIPPETS / path)
        fields = as_fields(expected)
        candidates = [as_fields(entity) for entity in sent]
        matches = [f for f in candidates if (f.get("name"), f.get("type")) == (fields.get("name"), fields.get("type"))]
        assert matches, f"{group.where}: {python} sent nothing named {fields.get('name')!r} like {path}"
        assert matches[-1] == fields, f"{group.where}: {python} and {path} differ"
