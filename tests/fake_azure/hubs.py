"""Hubs and their projects: workspaces of kind ``Hub`` and ``Project`` (hub-based Foundry projects).

``ml_client.workspaces.begin_create(Hub(...))`` deploys the SDK's workspace template with ``kind`` set
to ``hub``; a ``Project`` deploys ``workspace_project.json``, which holds the workspace alone, with
``kind`` ``project`` and the hub's resource id in ``workspace_hub`` (``_workspace_operations_base.py``).
Azure keeps the hub's settings as ``workspaceHubConfig`` and the project's hub as ``hubResourceId``
(REST ``WorkspaceProperties``). What Azure holds to:
- a project's hub must exist, and be a hub (Learn, ``azure.ai.ml.entities.Project``: "The hub parent
  of the project"; the template deploys nothing else, so there is nothing to bind to otherwise);
- a project is in its hub's region: "Must match that of the parent hub" (Learn, ``Project``,
  ``location``); the SDK copies the hub's region before it sends the project
  (``WorkspaceOperations.begin_create``), and the service refuses a project elsewhere;
- a project has no storage account, key vault or registry of its own: it uses its hub's
  (Learn, ``Project``: "its parent hub managed these resources").
The refusals' wording is the fake's own.
"""

from __future__ import annotations

from tests.fake_azure.arm import ResourceStore

KINDS = {"hub": "Hub", "project": "Project"}  # the kind asked for -> how Azure spells it
SHARED = ("storageAccount", "keyVault", "applicationInsights", "containerRegistry")  # what projects use of the hub


def kind_of(values: dict) -> str | None:
    """``Hub`` or ``Project`` when the template's parameters ask for one, else None."""
    return KINDS.get(str(values.get("kind", "default")).lower())


def is_project(values: dict) -> bool:
    return kind_of(values) == "Project"


class Refusal(Exception):
    """The service will not create the project: why."""


def create(store: ResourceStore, add_workspace, group: str, values: dict, linked: dict) -> dict:
    """The hub or project the parameters describe, as Azure keeps it; ``linked`` names its resources."""
    common = {"friendlyName": values["friendlyName"], "description": values["description"]}
    tags = values.get("tagValues") or {}
    if kind_of(values) == "Hub":
        hub = add_workspace(group, values["workspaceName"], values["location"], tags, **common, **linked)
        hub["kind"] = "Hub"
        hub["properties"]["workspaceHubConfig"] = values.get("workspace_hub_config") or {}
        return hub
    hub_id = values.get("workspace_hub") or ""
    hub = store.get(hub_id) if hub_id else None
    if hub is None or hub.get("kind") != "Hub":
        raise Refusal(f"the project's hub '{hub_id}' is not a hub in this subscription: create the hub first")
    if values["location"].lower() != hub["location"].lower():
        raise Refusal(f"a project is in its hub's region: '{values['location']}' is not the hub's "
                      f"'{hub['location']}'")
    shared = {prop: hub["properties"][prop] for prop in SHARED if hub["properties"].get(prop)}
    project = add_workspace(group, values["workspaceName"], hub["location"], tags, **common, **shared,
                            hubResourceId=hub["id"])
    project["kind"] = "Project"
    return project
