"""Registries: asset stores shared across workspaces, such as Microsoft's ``azureml`` registry.

A client made with ``MLClient(registry_name=...)`` first asks registry discovery where the
registry lives (``GET https://<region>.api.azureml.ms/registrymanagement/v1.0/registries/<name>/discovery``,
answered with a ``RegistryDiscoveryDto``), then reads its assets from the region's
management front end at ``<primaryRegionResourceProviderUri>mferp/managementfrontend``,
under the same paths as ARM's (``.../registries/<name>/components/<name>/versions/<version>``,
api-version 2021-10-01-dataplanepreview). Source: ``RegistryDiscovery`` and
``get_registry_versioned_asset`` / ``list_registry_assets`` in
``azure/ai/ml/_utils/_registry_utils.py``.

The ``azureml`` registry holds what the chapters use of it, from ``facts/azureml_registry/``
and ``facts/curated_environments.yml`` (each file names its source).
"""

from __future__ import annotations

import copy
import functools
import re
from pathlib import Path

from azure.ai.ml import load_component

from tests.fake_azure import assets, catalog
from tests.fake_azure.arm import ResourceStore

# Microsoft's registries live in a subscription of Microsoft's; its id is not published, so the fake's is made up.
SUBSCRIPTION = "5f3f2a5c-0000-4000-8000-00000000a2e1"
GROUP = "registry-builtin-prod"
MANAGEMENT_FRONT_END = "/mferp/managementfrontend"
REGISTRY_IN_PATH = re.compile(r"/providers/Microsoft\.MachineLearningServices/registries/(?P<name>[^/]+)",
                              re.IGNORECASE)
ASSET_ID = re.compile(r"^/subscriptions/.+/registries/(?P<registry>[^/]+)/", re.IGNORECASE)
FACTS = catalog.FACTS / "azureml_registry"


def path_of(registry: str, asset: str) -> str:
    """ARM path of an asset in a registry: ``path_of("azureml", "components/x/versions/1")``."""
    return (f"/subscriptions/{SUBSCRIPTION}/resourceGroups/{GROUP}"
            f"/providers/Microsoft.MachineLearningServices/registries/{registry}/{asset}")


def discovery(registry: str, region: str) -> dict:
    """Registry discovery's answer: where the registry is, and the front end that serves its assets."""
    return {"registryName": registry, "primaryRegion": region, "regions": [region],
            "subscriptionId": SUBSCRIPTION, "resourceGroup": GROUP,
            "primaryRegionResourceProviderUri": f"https://cert-{region}.experiments.azureml.net/"}


def asset_path(request_path: str) -> str:
    """The ARM path a front-end URL names: ``/mferp/managementfrontend/subscriptions/...`` -> ``/subscriptions/...``."""
    return request_path.split(MANAGEMENT_FRONT_END, 1)[-1]


def registry_named_in(path: str) -> str | None:
    match = REGISTRY_IN_PATH.search(path)
    return match["name"] if match else None


def new_store(documents: list[tuple[str, dict]]) -> ResourceStore:
    """A registry's store holding ``documents`` (asset path, REST body), with their containers.

    A registry names its assets ``azureml://registries/<registry>/<kind>/<name>[/versions/<version>]``
    (the ``id`` a registry client reads, and what a job then refers to), not by their ARM path.
    """
    store = ResourceStore()
    for path, body in documents:
        store.put(path, copy.deepcopy(body))
        assets.versioned(store, path)
    for document in store.resources.values():
        document["id"] = ASSET_ID.sub(r"azureml://registries/\g<registry>/", document["id"])
    return store


@functools.cache
def azureml_assets() -> tuple[tuple[str, dict], ...]:
    """The ``azureml`` registry's assets (path, REST body): components, their environments, curated
    environments, and the catalog's foundation models it publishes."""
    components = [_component(path) for path in sorted((FACTS / "components").glob("*.yml"))]
    environments = [*catalog.facts("azureml_registry/environments")["environments"], *catalog.curated_environments()]
    return (*components, *(_environment(env) for env in environments), *catalog_models("azureml"))


def catalog_models(registry: str) -> tuple[tuple[str, dict], ...]:
    """The model catalog's foundation models that ``registry`` publishes (``facts/catalog_models.yml``)."""
    return tuple(_model(registry, model) for model in catalog.facts("catalog_models")["registries"][registry])


def _component(spec: Path) -> tuple[str, dict]:
    component = load_component(spec)
    body = component._to_rest_object().as_dict()
    return path_of("azureml", f"components/{component.name}/versions/{component.version}"), body


def _environment(environment: dict) -> tuple[str, dict]:
    body = {"properties": {"image": environment["image"], "isAnonymous": False, "osType": "Linux"}}
    return path_of("azureml", f"environments/{environment['name']}/versions/{environment['version']}"), body


def _model(registry: str, model: dict) -> tuple[str, dict]:
    body = {"properties": {"modelType": model["type"], "flavors": {}, "isAnonymous": False, "isArchived": False}}
    return path_of(registry, f"models/{model['name']}/versions/{model['version']}"), body
