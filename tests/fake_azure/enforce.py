"""The service's rules (``rules.py``), applied to what Azure is asked to hold.

A request that passes the SDK and the reference checks is stored, then read back the way
the SDK reads it (a real ``MLClient``'s ``get``: the SDK's own deserialisation turns the
document into an entity) and checked against every rule for that kind of entity. If a rule
fails, the store is put back as it was and the request is refused with the rule's words.
"""

from __future__ import annotations

import inspect
import re
from urllib.parse import unquote

from azure.ai.ml import MLClient
from azure.ai.ml.entities import ComputeInstance, Schedule
from azure.identity import DefaultAzureCredential

from tests.fake_azure.arm import ResourceStore, key_of, kind_of
from tests.fake_azure.rules import RULES

REAL_INIT = MLClient.__init__  # taken before a test wraps it to record the clients snippets build
WORKSPACE_PATH = re.compile(
    r"^/subscriptions/(?P<subscription>[^/]+)/resourceGroups/(?P<group>[^/]+)"
    r"/providers/Microsoft\.MachineLearningServices/workspaces/(?P<workspace>[^/]+)(?P<rest>/.*)?$",
    re.IGNORECASE,
)
# How the SDK reads each kind of resource back: (operations, arguments from the path's names).
READERS = {
    "computes": ("compute", lambda n: ((n[0],), {})),
    "datastores": ("datastores", lambda n: ((n[0],), {})),
    "environments/versions": ("environments", lambda n: ((n[0],), {"version": n[1]})),
    "data/versions": ("data", lambda n: ((n[0],), {"version": n[1]})),
    "models/versions": ("models", lambda n: ((n[0],), {"version": n[1]})),
    "onlineendpoints": ("online_endpoints", lambda n: ((n[0],), {})),
    "onlineendpoints/deployments": ("online_deployments", lambda n: ((n[1], n[0]), {})),
    "batchendpoints": ("batch_endpoints", lambda n: ((n[0],), {})),
    "batchendpoints/deployments": ("batch_deployments", lambda n: ((n[1], n[0]), {})),
    "jobs": ("jobs", lambda n: ((n[0],), {})),
    "schedules": ("schedules", lambda n: ((n[0],), {})),
    "featuresets/versions": ("feature_sets", lambda n: ((n[0],), {"version": n[1]})),
}


def reader(path: str) -> MLClient | None:
    match = WORKSPACE_PATH.match(path)
    if match is None:
        return None
    client = MLClient.__new__(MLClient)
    REAL_INIT(client, DefaultAzureCredential(), unquote(match["subscription"]), match["group"], match["workspace"])
    return client


def as_the_sdk_reads_it(path: str):
    """The entity the SDK would return for ``path``, or None for kinds no rule reads."""
    kind = kind_of(key_of(path))
    if kind not in READERS or (client := reader(path)) is None:
        return None
    operations, arguments = READERS[kind]
    names = WORKSPACE_PATH.match(path)["rest"].strip("/").split("/")[1::2]
    args, kwargs = arguments([unquote(n) for n in names])
    return getattr(client, operations).get(*args, **kwargs)


def violations(entity, store: ResourceStore, path: str) -> list[str]:
    """What ``entity`` breaks of the service's rules (its triggers included, for a schedule)."""
    targets = [entity, *_triggers(entity)]
    problems = []
    for rule in RULES:
        if rule.name == "compute_action":
            continue  # checked when an action is asked for, not on a PUT
        for target in targets:
            if isinstance(target, rule.kind):
                wants_deployments = len(inspect.signature(rule.check).parameters) == 2
                problems += rule.check(target, deployments_of(store, path)) if wants_deployments else rule.check(target)
    return problems


def _triggers(entity) -> list:
    """The schedules' triggers an entity carries: a schedule's own, a compute instance's start/stop times."""
    if isinstance(entity, Schedule):
        return [entity.trigger]
    if isinstance(entity, ComputeInstance) and entity.schedules:
        return [schedule.trigger for schedule in entity.schedules.compute_start_stop or []]
    return []


def deployments_of(store: ResourceStore, endpoint_path: str) -> set[str]:
    return {doc["name"] for doc in store.children(f"{endpoint_path.rstrip('/')}/deployments")}


def checked_put(store: ResourceStore, path: str, body: dict) -> tuple[dict | None, list[str]]:
    """Store ``body`` at ``path`` unless a rule refuses it: (document, []) or (None, problems)."""
    key = key_of(path)
    before = store.resources.get(key)
    document = store.put(path, body)
    entity = as_the_sdk_reads_it(path)
    problems = violations(entity, store, path) if entity is not None else []
    if problems:
        if before is None:
            store.resources.pop(key)
        else:
            store.resources[key] = before
        return None, problems
    return document, []
