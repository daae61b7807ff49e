"""References must resolve, as in Azure: whatever a request names must exist before it is used.

A request body names other resources in three ways, all checked here by walking the JSON:
ARM ids of the workspace's resources (``/subscriptions/.../workspaces/ws/computes/cpu-cluster``),
``azureml://registries/<registry>/...`` assets, and ``azureml://datastores/<name>/paths/...`` or
``azureml://jobs/<name>/outputs/<output>`` locations.
"""

from __future__ import annotations

import re

from tests.fake_azure.arm import ResourceStore, key_of, kind_of

WORKSPACE_RESOURCE = re.compile(
    r"^/subscriptions/[^/]+/resourceGroups/[^/]+/providers/Microsoft\.MachineLearningServices/workspaces/[^/]+/.+",
    re.IGNORECASE,
)
REGISTRY_ASSET = re.compile(r"^azureml://registries/(?P<registry>[^/]+)/(?P<kind>[^/]+)/(?P<name>[^/]+)"
                            r"(?:/(?P<how>versions|labels)/(?P<which>[^/]+))?")
DATASTORE_PATH = re.compile(r"^azureml://(?:subscriptions/.+/workspaces/[^/]+/)?datastores/(?P<name>[^/]+)/paths/")
# ``azureml:name@latest`` / ``azureml:name:version``, which the SDK leaves for the service to resolve.
SHORT_FORM = re.compile(r"^azureml:(?P<name>[A-Za-z0-9][\w.-]*)(?:@(?P<label>[\w-]+)|:(?P<version>[\w.-]+))$")
# (A component's spec names its environment under ``environment``.)
SHORT_FORM_KINDS = {"environmentId": "environments", "environment": "environments", "componentId": "components",
                    "model": "models", "uri": "data"}
# A pipeline step on serverless compute names it as a compute (`compute: serverless`; Learn, "Model
# training on serverless compute", pipeline jobs): the SDK sends the ARM id of a compute named serverless.
SERVERLESS = re.compile(r"/computes/serverless$", re.IGNORECASE)
JOB_OUTPUT = re.compile(r"^azureml://jobs/(?P<job>[^/]+)/outputs/(?P<output>[^/]+)")
# Kinds named in messages as a reader knows them.
KIND_NAMES = {"workspaces": "workspace", "computes": "compute", "environments/versions": "environment",
              "data/versions": "data asset", "models/versions": "model", "codes/versions": "code",
              "components/versions": "component", "datastores": "datastore", "onlineendpoints": "online endpoint",
              "batchendpoints": "batch endpoint", "onlineendpoints/deployments": "online deployment",
              "batchendpoints/deployments": "batch deployment", "jobs": "job"}


def strings_in(value, path=()):
    """Every string in a JSON document, with where it sits."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from strings_in(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from strings_in(item, (*path, index))
    elif isinstance(value, str):
        yield path, value


def missing(body: dict, store: ResourceStore, registries: dict[str, ResourceStore]) -> list[str]:
    """What ``body`` names that does not exist, in Azure's words."""
    problems = []
    for where, value in strings_in(body):
        short = SHORT_FORM.match(value)
        if short and where and where[-1] in SHORT_FORM_KINDS:
            problem = _unresolved_short_form(short, SHORT_FORM_KINDS[where[-1]], store)
        elif where and where[-1] == "computeId" and not value.startswith(("/", "azureml:/")):
            problem = _unresolved_compute_name(value.removeprefix("azureml:"), store)
        else:
            problem = _unresolved(value, store, registries)
        if problem and problem not in problems:
            problems.append(problem)
    return problems


def describe(key: str) -> str:
    """``environment 'sklearn-mlflow' version '1'`` from a resource's key."""
    kind = kind_of(key)
    parts = key.split("/")
    if kind.endswith("/versions"):
        return f"{KIND_NAMES.get(kind, kind)} '{parts[-3]}' version '{parts[-1]}'"
    if kind.endswith("/deployments"):
        return f"{KIND_NAMES.get(kind, kind)} '{parts[-1]}' of endpoint '{parts[-3]}'"
    return f"{KIND_NAMES.get(kind, kind)} '{parts[-1]}'"


def _unresolved(value: str, store: ResourceStore, registries: dict[str, ResourceStore]) -> str | None:
    value = value.removeprefix("azureml:") if value.startswith("azureml:/subscriptions/") else value
    if WORKSPACE_RESOURCE.match(value):
        if store.get(value) is None and not SERVERLESS.search(value):
            return f"{describe(key_of(value))} not found in the workspace"
        return None
    if match := REGISTRY_ASSET.match(value):
        return _unresolved_in_registry(match, registries)
    if match := DATASTORE_PATH.match(value):
        if not store.of_kind("datastores") or not any(d["name"] == match["name"] for d in store.of_kind("datastores")):
            return f"datastore '{match['name']}' not found in the workspace"
        return None
    if match := JOB_OUTPUT.match(value):
        job = next((j for j in store.of_kind("jobs") if j["name"] == match["job"]), None)
        if job is None:
            return f"job '{match['job']}' not found in the workspace"
        outputs = job["properties"].get("outputs") or {}
        if match["output"] not in outputs and match["output"] != "artifacts":
            return f"job '{match['job']}' has no output '{match['output']}' (it has: {', '.join(sorted(outputs))})"
    return None


def _unresolved_compute_name(name: str, store: ResourceStore) -> str | None:
    """A compute named without its ARM id (a YAML job's ``compute: azureml:cpu-cluster``): Azure looks it up."""
    if name in ("serverless", "local") or any(doc["name"] == name for doc in store.of_kind("computes")):
        return None
    return f"compute '{name}' not found in the workspace"


def _unresolved_short_form(match, kind: str, store: ResourceStore) -> str | None:
    versions = [doc["name"] for doc in store.of_kind(f"{kind}/versions") if doc["id"].split("/")[-3] == match["name"]]
    noun = KIND_NAMES[f"{kind}/versions"]
    if not versions:
        return f"{noun} '{match['name']}' not found in the workspace"
    if match["version"] and match["version"] not in versions:
        return f"{noun} '{match['name']}' version '{match['version']}' not found in the workspace"
    if match["label"] and match["label"] != "latest":
        return f"{noun} '{match['name']}' has no label '{match['label']}'"
    return None


def _unresolved_in_registry(match, registries: dict[str, ResourceStore]) -> str | None:
    registry = registries.get(match["registry"])
    if registry is None:
        return f"registry '{match['registry']}' not found"
    versions = [doc for doc in registry.of_kind(f"{match['kind']}/versions")
                if doc["id"].split("/")[-3] == match["name"]]
    asset = f"{match['kind'].rstrip('s')} '{match['name']}'"
    if not versions:
        return f"{asset} not found in registry '{match['registry']}'"
    if match["how"] == "versions" and not any(doc["name"] == match["which"] for doc in versions):
        return f"{asset} version '{match['which']}' not found in registry '{match['registry']}'"
    return None


def outside_registry(body: dict) -> list[str]:
    """What an asset sent to a registry names in a workspace: a registry's assets can use only assets
    of a registry (Learn, "Share models, components, and environments across workspaces with
    registries": to reference an asset in a registry, create it in the registry first)."""
    problems = []
    for _, value in strings_in(body):
        value = value.removeprefix("azureml:")
        if WORKSPACE_RESOURCE.match(value):
            problem = (f"{describe(key_of(value))} is a workspace's: an asset in a registry can use only assets "
                       f"in a registry (create it in the registry first)")
            problems += [problem] if problem not in problems else []
    return problems
