"""Every operation shown as Python SDK / YAML / Azure CLI tabs describes one entity three ways.

The Python tab's snippet runs against the fake Azure where its chapter's reader runs it (after
what the chapter, and the chapters it builds on, created before: ``tests/site/stories.py``); the
YAML is then created as the CLI tab's ``az ml <kind> create --file`` line creates it (the SDK's
loader, a real ``MLClient``: ``tests/fake_azure/cli_replay.py``). What Azure holds for the two must
agree field by field, once Azure's resolved ARM ids and the YAML's short forms are written alike.
"""

import json
import re
from pathlib import Path

import pytest
from azure.ai.ml.entities._builders import BaseNode
from azure.ai.ml.entities._job.automl.automl_job import AutoMLJob

from tests.fake_azure import cli_replay
from tests.fake_azure.az import Call
from tests.fake_azure.az_scripts import az_calls
from tests.fake_azure.sdk_loaders import LOADERS
from tests.site.pages import SNIPPETS
from tests.site.stories import story_before
from tests.site.tabs import LABELS, TabGroup, all_tab_groups

GROUPS = all_tab_groups()
VERSIONED = {"data", "environment", "model", "component"}  # `az ml <kind>` of assets kept by version
# Fields that name where, when and by whom an entity was made, or where to watch it (a job's studio
# link), not what it is.
IGNORED = {"$schema", "creation_context", "id", "services", "createdAt", "createdBy", "lastModifiedAt"}
# An ARM id of a workspace's resource: .../workspaces/<ws>/<kind>/<name>[/versions/<version>]
ARM_ID = re.compile(r"^(?:azureml:)?/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\."
                    r"MachineLearningServices/workspaces/[^/]+/\w+/(?P<name>[^/]+)(?:/versions/(?P<version>[^/]+))?$",
                    re.IGNORECASE)


def create_call(group: TabGroup, yaml_path: str) -> Call | None:
    """The CLI tab's ``az ml <kind> create --file`` line that creates from ``yaml_path``."""
    name = Path(yaml_path).name
    calls = [call for path in group.files["Azure CLI"] for call in az_calls(SNIPPETS / path)]
    return next((call for call in calls if call.command == "create" and call.value("--file") == name), None)


def reference(value: str) -> str:
    """A reference as ``name`` or ``name:version``, whether Azure resolved it to an ARM id or the YAML
    left it in the short form ``azureml:name:version`` for Azure to resolve."""
    if match := ARM_ID.match(value):
        return ":".join(part for part in (match["name"], match["version"]) if part)
    return value if value.startswith("azureml://") else value.removeprefix("azureml:")


def normalised(value, name: str | None):
    """An entity's dict form, minus empty fields, with references written alike and the ``name``
    Azure chose for it (a job's), if any, written as ``<name>``."""
    if isinstance(value, dict):
        pairs = ((key, normalised(item, name)) for key, item in value.items() if key not in IGNORED)
        fields = {key: item for key, item in pairs if item not in (None, {}, [], "")}
        if fields.get("type") == "bandit":  # the slack not chosen: None from sweep(), 0 from the YAML loader
            fields = {key: item for key, item in fields.items() if not (key.startswith("slack_") and item == 0)}
        return fields
    if isinstance(value, list):
        return [normalised(item, name) for item in value]
    if isinstance(value, str):
        return reference(value).replace(name, "<name>") if name else reference(value)
    return value


def as_fields(entity, assigned: set[str]) -> dict:
    """What an entity Azure holds is, but for the ``assigned`` fields Azure chose (a job's name, a
    version left out)."""
    if isinstance(entity, BaseNode):  # a read returns a command job as a Command node
        entity = entity._to_job()
    if isinstance(entity, AutoMLJob):  # read back, it holds node outputs, which its own schema cannot dump
        entity._outputs = {key: output._to_job_output() for key, output in entity.outputs.items()}
    chosen = entity.name if "name" in assigned else None
    fields = normalised(json.loads(json.dumps(entity._to_dict(), default=str)), chosen)
    return {key: value for key, value in fields.items() if key not in assigned}


def held(workspace, kind: str, entity):
    """What Azure holds for ``entity`` (by its name, version and endpoint), read with a real client:
    an asset without a version, its latest."""
    keys = {"version": getattr(entity, "version", None), "endpoint_name": getattr(entity, "endpoint_name", None)}
    if kind in VERSIONED and not keys["version"]:
        keys["label"] = "latest"
    return workspace.get(cli_replay.OPERATIONS[kind], entity.name, **{k: v for k, v in keys.items() if v})


def job_names(workspace) -> set[str]:
    return {job.name for job in workspace.all("jobs")}


def test_at_least_ten_operations_have_all_three_forms():
    assert len(GROUPS) >= 10, [group.where for group in GROUPS]
    for group in GROUPS:
        assert tuple(group.files) == LABELS, f"{group.where}: tabs {tuple(group.files)}"
        assert all(len(paths) >= 1 for paths in group.files.values()), f"{group.where}: a tab shows no snippet"


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.where)
def test_cli_tab_creates_from_the_yaml_tab(group):
    for path in group.files["YAML"]:
        assert create_call(group, path), f"{group.where}: the CLI tab never creates from {path} with --file"


@pytest.mark.parametrize("group", GROUPS, ids=lambda group: group.where)
def test_python_and_yaml_tabs_describe_the_same_entity(group, workspace, reader):
    (python,) = group.files["Python SDK"]
    for snippet in story_before(python):
        reader.run(snippet)
    jobs_before = job_names(workspace)
    reader.run(python)

    for path in group.files["YAML"]:
        call = create_call(group, path)
        described = LOADERS[call.kind](SNIPPETS / path, params_override=[])
        assigned = {key for key in ("name", "version") if getattr(described, key, None) is None}
        if call.kind == "job":  # Azure names a job: the one the Python tab submitted
            (name,) = job_names(workspace) - jobs_before
            from_python = workspace.get("jobs", name)
        else:
            from_python = held(workspace, call.kind, described)
        python_fields = as_fields(from_python, assigned)  # read before the YAML may update the same entity

        created = cli_replay.create(workspace.reader, call)  # in the folder the Python tab ran in
        from_yaml = held(workspace, call.kind, created)
        assert as_fields(from_yaml, assigned) == python_fields, f"{group.where}: {python} and {path} differ"
