"""Schedules, as Azure keeps them: enabled or disabled, and deleted only once disabled.

``GET .../schedules?listViewType=EnabledOnly|DisabledOnly|All`` lists them by
``properties.isEnabled`` (REST ``ScheduleListViewType``; ``ml_client.schedules.list()`` asks
for ``EnabledOnly`` unless told otherwise). A schedule is created enabled: the SDK leaves
``isEnabled`` out of a new schedule, which Azure then runs and lists among the enabled ones.
``begin_disable`` and ``begin_enable`` are a read, then a ``PUT`` of the same schedule with
``isEnabled`` changed (``_schedule_operations.py``).
Learn, "Schedule machine learning pipeline jobs", Delete a schedule: "A schedule must be
disabled to be deleted."
"""

from __future__ import annotations

from tests.fake_azure.arm import ResourceStore, key_of, kind_of

ENABLED_IN_VIEW = {"EnabledOnly": True, "DisabledOnly": False}


def is_schedule(path: str) -> bool:
    return kind_of(key_of(path)) == "schedules"


def accepted(path: str, body: dict) -> None:
    """What Azure adds to a schedule it is asked to hold: enabled unless the request says otherwise."""
    if is_schedule(path) and body["properties"].get("isEnabled") is None:
        body["properties"]["isEnabled"] = True


def listed(documents: list[dict], view: str) -> list[dict]:
    if view not in ENABLED_IN_VIEW:  # All
        return documents
    return [doc for doc in documents if doc["properties"]["isEnabled"] == ENABLED_IN_VIEW[view]]


def refused_delete(store: ResourceStore, path: str) -> str | None:
    """Why Azure will not delete the resource at ``path``, if it is a schedule still enabled."""
    document = store.get(path) if is_schedule(path) else None
    if document and document["properties"]["isEnabled"]:
        return f"Schedule '{document['name']}' is enabled: a schedule must be disabled to be deleted."
    return None
