"""An in-memory Azure ML workspace behind a real ``MLClient`` (moto-style).

Every operations object of the client (``jobs``, ``compute``, ``data``, ...) is
replaced by ``create_autospec(<its class>, instance=True)``: a misspelt method,
a missing argument or an unknown keyword fails just as it would against the SDK.
Entities sent to ``create_or_update``-style methods are validated by the SDK
itself (``dump()`` to YAML, then the matching ``load_*``), stored, and returned
by ``get``/``list`` afterwards. Nothing leaves the process.
"""

from __future__ import annotations

import inspect
import itertools
import json
from dataclasses import dataclass, field
from pathlib import Path
from tempfile import TemporaryDirectory
from unittest.mock import create_autospec

import azure.ai.ml as aml
import yaml
from azure.ai.ml import entities
from azure.ai.ml.entities import JobService
from azure.ai.ml.entities._builders import BaseNode
from azure.ai.ml.entities._load_functions import load_model_batch_deployment
from azure.core.exceptions import ResourceNotFoundError

# The SDK loader that validates each kind of entity (most specific class first).
LOADERS = [
    (entities.Job, aml.load_job),
    (entities.Compute, aml.load_compute),
    (entities.Datastore, aml.load_datastore),
    (entities.Data, aml.load_data),
    (entities.Environment, aml.load_environment),
    (entities.Model, aml.load_model),
    (entities.Component, aml.load_component),
    (entities.OnlineDeployment, aml.load_online_deployment),
    (entities.OnlineEndpoint, aml.load_online_endpoint),
    (entities.ModelBatchDeployment, load_model_batch_deployment),
    (entities.BatchDeployment, aml.load_batch_deployment),
    (entities.BatchEndpoint, aml.load_batch_endpoint),
    (entities.Workspace, aml.load_workspace),
]

CREATE_METHODS = {"create_or_update", "begin_create_or_update", "begin_create"}
# What ``get_default()`` returns in a new workspace.
DEFAULT_NAMES = {"datastores": "workspaceblobstore"}


def sdk_round_trip(entity):
    """Dump ``entity`` to YAML and load it back with the SDK's own schema."""
    if isinstance(entity, BaseNode):  # command(...) builders are submitted as jobs
        entity = entity._to_job()
    if isinstance(entity, entities.JobSchedule):
        return _checked_schedule(entity)
    loader = next(load for kind, load in LOADERS if isinstance(entity, kind))
    with TemporaryDirectory() as folder:
        path = Path(folder) / "entity.yml"
        written = entity.dump(path)
        if not path.exists():  # endpoints return their YAML as a dict instead of writing it
            path.write_text(yaml.safe_dump(json.loads(json.dumps(written))))
        return loader(path)


def _checked_schedule(schedule):
    """The SDK cannot re-load a dumped schedule whose job is inline, so check its parts:
    the job by a round trip, the trigger by the REST serialisation sent to Azure."""
    sdk_round_trip(schedule.create_job)
    schedule.trigger._to_rest_object()
    return schedule


@dataclass
class Call:
    operations: str
    method: str
    args: tuple
    kwargs: dict


class FinishedPoller:
    """What a long-running operation returns once the fake has finished it."""

    def __init__(self, value):
        self._value = value

    def result(self, timeout=None):
        return self._value

    def done(self):
        return True

    def wait(self, timeout=None):
        return None

    def status(self):
        return "Succeeded"


@dataclass
class FakeWorkspace:
    """In-memory state shared by every ``MLClient`` a snippet creates."""

    store: dict = field(default_factory=dict)  # operations name -> {name: [versions]}
    calls: list[Call] = field(default_factory=list)
    clients: list = field(default_factory=list)
    registries: list[str] = field(default_factory=list)  # registry names MLClients were built for
    _ids: itertools.count = field(default_factory=lambda: itertools.count(1))

    # --- wiring -----------------------------------------------------------------
    def install(self, client) -> None:
        """Replace each operations object of ``client`` with an autospec'd fake."""
        container = client._operation_container.all_operations
        for attribute, real in list(vars(client).items()):
            if not type(real).__name__.endswith("Operations"):
                continue
            fake = self._fake_operations(attribute.lstrip("_"), real, client)
            setattr(client, attribute, fake)
            for key, value in list(container.items()):
                if value is real:
                    container[key] = fake
        self.clients.append(client)

    def _fake_operations(self, name: str, real, client):
        fake = create_autospec(type(real), instance=True)
        for method_name, _ in inspect.getmembers(type(real), inspect.isfunction):
            if method_name.startswith("_"):
                continue
            method = getattr(fake, method_name)
            method.side_effect = self._behaviour(name, method_name, getattr(type(real), method_name), client)
        return fake

    def _behaviour(self, ops: str, method: str, real_function, client):
        keywords = _named_keywords(real_function)

        def act(*args, **kwargs):
            unknown = set(kwargs) - keywords
            if unknown:
                raise TypeError(f"{ops}.{method}() got unexpected keyword argument(s) {sorted(unknown)}")
            self.calls.append(Call(ops, method, args, kwargs))
            if method in CREATE_METHODS:
                saved = self._create(ops, client, *args, **kwargs)
                return FinishedPoller(saved) if method.startswith("begin_") else saved
            if method == "get":
                return self.get(ops, *args, **kwargs)
            if method == "get_default":
                return self.get(ops, DEFAULT_NAMES[ops])
            if method == "list":
                return iter(self.all(ops))
            return FinishedPoller(None) if method.startswith("begin_") else None

        return act

    # --- state ------------------------------------------------------------------
    def _create(self, ops: str, client, entity, **kwargs):
        if ops == "jobs":
            entity = _apply_job_overrides(entity, kwargs)
        loaded = sdk_round_trip(entity)
        if ops == "jobs":
            loaded.name = loaded.name or f"job-{next(self._ids)}"
            loaded._status = "Starting"
            loaded.services = {"Studio": JobService(endpoint=_studio_url(client, loaded.name))}
        if getattr(loaded, "version", "absent") is None:
            loaded.version = str(len(self.store.get(ops, {}).get(loaded.name, [])) + 1)
        self.store.setdefault(ops, {}).setdefault(loaded.name, []).append(loaded)
        return loaded

    def get(self, ops: str, name: str, version: str | None = None, label: str | None = None, **_):
        versions = self.store.get(ops, {}).get(name, [])
        if version is not None:
            versions = [v for v in versions if str(getattr(v, "version", None)) == str(version)]
        if not versions:
            raise ResourceNotFoundError(f"{ops}: '{name}' (version {version}) was not found")
        return versions[-1]

    def all(self, ops: str) -> list:
        return [versions[-1] for versions in self.store.get(ops, {}).values()]

    def add(self, ops: str, entity) -> None:
        """Seed the workspace with an entity (e.g. a curated environment)."""
        self.store.setdefault(ops, {}).setdefault(entity.name, []).append(entity)

    def sent(self, ops: str, method: str | None = None) -> list[Call]:
        return [c for c in self.calls if c.operations == ops and method in (None, c.method)]

    def created(self, ops: str) -> list:
        """Entities stored through ``ops``, in the order they were created."""
        return [c.args[0] for c in self.calls if c.operations == ops and c.method in CREATE_METHODS]


def _studio_url(client, job_name: str) -> str:
    scope = client._operation_scope
    workspace = (
        f"/subscriptions/{scope.subscription_id}/resourcegroups/{scope.resource_group_name}"
        f"/workspaces/{scope.workspace_name}"
    )
    return f"https://ml.azure.com/runs/{job_name}?wsid={workspace}"


def _named_keywords(function) -> set[str]:
    parameters = inspect.signature(function).parameters.values()
    return {p.name for p in parameters if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}


def _apply_job_overrides(job, kwargs):
    """``jobs.create_or_update(job, compute=..., ...)`` sets these on the job first, as the SDK does."""
    for key in ("description", "compute", "tags", "experiment_name"):
        if kwargs.get(key) is not None:
            setattr(job, key, kwargs[key])
    return job
