"""Versioned assets (environments, data, models, components, code), as Azure keeps them.

Creating ``<kind>/<name>/versions/<version>`` also creates or updates the asset's
container ``<kind>/<name>``: what ``list()`` without a name returns, and where the SDK
reads ``latestVersion`` and ``nextVersion`` when a version is left out
(REST: ``EnvironmentContainerProperties``, ``DataContainerProperties``, ... in
``azure/ai/ml/_restclient/arm_ml_service/models/_models.py``).
"""

from __future__ import annotations

import re

from tests.fake_azure.arm import ResourceStore

VERSION = re.compile(r"^(?P<container>.+/(?:workspaces|registries)/[^/]+/(?P<kind>[^/]+)/(?P<name>[^/]+))"
                     r"/versions/(?P<version>[^/]+)$", re.IGNORECASE)
# What defines an environment version; only its description and tags may change once it is
# registered (Azure's UserError "Environment <name> with version <v> is already registered and
# cannot be changed"; the SDK relies on it in _environment_operations._try_update_latest_version).
ENVIRONMENT_DEFINITION = ("image", "build", "condaFile", "osType", "inferenceConfig")


def refused_change(store: ResourceStore, path: str, body: dict) -> str | None:
    """Why Azure refuses this PUT of an existing environment version, if it does."""
    match = VERSION.match(path.rstrip("/"))
    existing = store.get(path)
    if not match or match["kind"].lower() != "environments" or existing is None:
        return None
    before, after = existing.get("properties") or {}, body.get("properties") or {}
    if all(before.get(part) == after.get(part) for part in ENVIRONMENT_DEFINITION):
        return None
    return f"Environment {match['name']} with version {match['version']} is already registered and cannot be changed."


def versioned(store: ResourceStore, path: str) -> None:
    """Keep the container of the version just stored at ``path`` up to date."""
    match = VERSION.match(path.rstrip("/"))
    if not match:
        return
    versions = store.children(f"{match['container']}/versions")
    latest = max(versions, key=lambda doc: doc["systemData"]["createdAt"])["name"]
    numbers = [int(doc["name"]) for doc in versions if doc["name"].isdigit()]
    previous = (store.get(match["container"]) or {}).get("properties", {})
    store.put(match["container"], {"properties": {
        **previous, "latestVersion": latest, "nextVersion": str(max(numbers, default=0) + 1), "isArchived": False,
    }})
