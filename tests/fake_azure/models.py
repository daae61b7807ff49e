"""What Azure adds to a model version it registers: the flavors of an MLflow model.

Azure reads the ``MLmodel`` file the SDK uploaded and answers each flavor's settings as
strings, ``{"sklearn": {"data": {"pickled_model": "model.pkl", ...}}}`` (REST ``FlavorData``;
a real answer: the Az.MachineLearningServices example of ``Update-AzMLWorkspaceModelVersion``).
A model without an ``MLmodel`` file has no flavors: ``{}``.
"""

from __future__ import annotations

import json
import re

import yaml

from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.blob import BlobStore

DATASTORE_URI = re.compile(r"^azureml://subscriptions/[^/]+/resourcegroups/[^/]+/workspaces/(?P<workspace>[^/]+)"
                           r"/datastores/(?P<datastore>[^/]+)/paths/(?P<path>.+?)/?$", re.IGNORECASE)


def registered(document: dict, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> None:
    properties = document["properties"]
    if properties.get("flavors") is None:
        mlmodel = _mlmodel(properties.get("modelUri") or "", workspace_path, store, blobs)
        properties["flavors"] = {name: {"data": _as_strings(settings)}
                                 for name, settings in (mlmodel.get("flavors") or {}).items()}


def _mlmodel(uri: str, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> dict:
    match = DATASTORE_URI.match(uri)
    datastore = store.get(f"{workspace_path}/datastores/{match['datastore']}") if match else None
    if datastore is None:
        return {}
    content = blobs.blobs.get(f"{datastore['properties'].get('containerName')}/{match['path']}/MLmodel")
    return yaml.safe_load(content) if content else {}


def _as_strings(settings: dict) -> dict[str, str]:
    return {key: value if isinstance(value, str) else json.dumps(value)
            for key, value in settings.items() if value is not None}
