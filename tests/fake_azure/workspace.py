"""The ``workspace`` fixture's object: the fake Azure, the config.json workspace in it, and what was sent.

Layer faked: HTTP (``requests``' adapter; see ``tests/fake_azure/http.py``). The real
``MLClient`` and its real operations classes run, so the SDK's own client-side checks
(schema validation, name rules, scoring-script checks, ``name@latest`` and label
resolution, code and model upload, polling) run as they do against Azure; the fake then
answers as Azure's services do (``service.py``) and enforces the rules the SDK leaves to
Azure (``references.py``, ``rules.py``).
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field

from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

from tests.fake_azure.recording import Call, record
from tests.fake_azure.service import FakeAzure

SUBSCRIPTION = "00000000-0000-0000-0000-000000000000"
GROUP = "rg-dp100-labs"
NAME = "mlw-dp100-labs"  # the workspace snippets/config.json names
CREATE_METHODS = {"create_or_update", "begin_create_or_update", "begin_create"}


@dataclass
class FakeWorkspace:
    azure: FakeAzure = field(default_factory=FakeAzure)
    calls: list[Call] = field(default_factory=list)
    clients: list = field(default_factory=list)

    def __post_init__(self):
        self.azure.add_workspace(GROUP, NAME)

    def record(self, client) -> None:
        record(client, self.calls)
        self.clients.append(client)

    @functools.cached_property
    def reader(self) -> MLClient:
        """A client of our own (its calls are not recorded) to read what Azure now holds."""
        return MLClient(DefaultAzureCredential(), SUBSCRIPTION, GROUP, NAME)

    def get(self, operations: str, name: str, **kwargs):
        return getattr(self.reader, operations).get(name, **kwargs)

    def all(self, operations: str, **kwargs) -> list:
        return list(getattr(self.reader, operations).list(**kwargs))

    def sent(self, operations: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.operations == operations and method in (None, c.method)]

    def created(self, operations: str) -> list:
        """Entities the snippets sent to ``operations``' create methods, in order."""
        return [c.args[0] for c in self.sent(operations) if c.method in CREATE_METHODS]

    def upload(self, datastore: str, path: str, content: bytes) -> None:
        """A file put into a datastore by hand, as a page tells the reader to do in the studio."""
        found = self.azure.arm.get(f"{self.azure.workspace_path(GROUP, NAME)}/datastores/{datastore}")
        self.azure.blobs.blobs[f"{found['properties']['containerName']}/{path}"] = content

    def set_tracking_uri(self, uri: str) -> None:
        """Where the workspace's MLflow tracking server is (tests run one locally)."""
        self.azure.workspace(GROUP, NAME)["properties"]["mlFlowTrackingUri"] = uri
