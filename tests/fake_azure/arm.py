"""Azure Resource Manager, in memory: resources are JSON documents kept by their path.

``PUT`` stores what the SDK sent (plus what Azure adds: id, name, type, systemData,
``provisioningState``), ``GET`` returns it or lists a collection, ``DELETE`` removes it.
Before a resource is stored, ``check`` (the service's rules and references) may refuse it
with the error Azure would send.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta

# "/subscriptions/<any>/resourceGroups/rg/..." is kept as "/subscriptions/*/resourcegroups/rg/...":
# the fake has one subscription, whatever id the reader's config.json names.
SUBSCRIPTION = re.compile(r"^/subscriptions/[^/]+", re.IGNORECASE)
# A workspace or a registry: its assets are kinds of their own (``components/versions`` in both).
WORKSPACE_PART = re.compile(r"/providers/microsoft\.machinelearningservices/(?:workspaces|registries)/[^/]+",
                            re.IGNORECASE)
START = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def key_of(path: str) -> str:
    return SUBSCRIPTION.sub("/subscriptions/*", path.rstrip("/")).lower()


def kind_of(key: str) -> str:
    """The resource's kind from its path: ``computes``, ``environments/versions``, ``onlineendpoints/deployments``."""
    inside = WORKSPACE_PART.split(key, maxsplit=1)
    if inside[-1] == "" and len(inside) == 2:
        return "workspaces"
    tail = inside[1] if len(inside) == 2 else key.split("/providers/", 1)[-1]
    segments = [s for s in tail.split("/") if s]
    if len(inside) != 2:
        segments = segments[1:]  # drop the provider namespace
    return "/".join(segments[0::2])


@dataclass
class ResourceStore:
    resources: dict[str, dict] = field(default_factory=dict)
    _clock: itertools.count = field(default_factory=itertools.count)

    def put(self, path: str, body: dict) -> dict:
        key = key_of(path)
        previous = self.resources.get(key)
        stamp = (START + timedelta(seconds=next(self._clock))).isoformat()
        created = previous["systemData"]["createdAt"] if previous else stamp
        document = {
            **body,
            "id": path.rstrip("/"),
            "name": path.rstrip("/").rsplit("/", 1)[-1],
            "systemData": {"createdAt": created, "createdBy": "reader@contoso.com", "lastModifiedAt": stamp},
        }
        properties = document.setdefault("properties", {})
        if isinstance(properties, dict):
            properties.setdefault("provisioningState", "Succeeded")
        self.resources[key] = document
        return document

    def get(self, path: str) -> dict | None:
        return self.resources.get(key_of(path))

    def children(self, collection_path: str) -> list[dict]:
        prefix = key_of(collection_path) + "/"
        return [doc for key, doc in self.resources.items() if key.startswith(prefix) and "/" not in key[len(prefix):]]

    def delete(self, path: str) -> dict | None:
        key = key_of(path)
        removed = self.resources.pop(key, None)
        for child in [k for k in self.resources if k.startswith(key + "/")]:
            del self.resources[child]
        return removed

    def of_kind(self, kind: str) -> list[dict]:
        return [doc for key, doc in self.resources.items() if kind_of(key) == kind]
