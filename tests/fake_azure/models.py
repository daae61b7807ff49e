"""What Azure adds to a model version it registers: the flavors of an MLflow model.

Azure reads the ``MLmodel`` file in the model's folder (the files the SDK uploaded, or those a
job wrote to its outputs: ``locations.py``) and answers each flavor's settings as strings,
``{"sklearn": {"data": {"pickled_model": "model.pkl", ...}}}`` (REST ``FlavorData``; a real
answer: the Az.MachineLearningServices example of ``Update-AzMLWorkspaceModelVersion``).
A model without an ``MLmodel`` file has no flavors: ``{}``.
"""

from __future__ import annotations

import json

import yaml

from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.blob import BlobStore
from tests.fake_azure.locations import blob_key


def registered(document: dict, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> None:
    properties = document["properties"]
    if properties.get("flavors") is None:
        mlmodel = _mlmodel(properties.get("modelUri") or "", workspace_path, store, blobs)
        properties["flavors"] = {name: {"data": _as_strings(settings)}
                                 for name, settings in (mlmodel.get("flavors") or {}).items()}


def _mlmodel(uri: str, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> dict:
    folder = blob_key(uri, workspace_path, store).rstrip("/")
    content = blobs.blobs.get(f"{folder}/MLmodel") if folder else None
    return yaml.safe_load(content) if content else {}


def _as_strings(settings: dict) -> dict[str, str]:
    return {key: value if isinstance(value, str) else json.dumps(value)
            for key, value in settings.items() if value is not None}
