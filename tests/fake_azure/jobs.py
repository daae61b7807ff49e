"""What Azure adds to a job it accepts, and what run history says about it.

The fake runs no job: a job is accepted (``Starting``) and has finished (``Completed``)
by the time anything reads it again, with the studio link and the default output
Azure gives every job.
"""

from __future__ import annotations


STUDIO = "https://ml.azure.com/runs/{name}?wsid={workspace}"
FINISHED = "Completed"


def accepted(document: dict, workspace_id: str) -> dict:
    """The stored job: finished, linked from the studio, with Azure's default output."""
    name = document["name"]
    properties = document["properties"]
    properties["status"] = FINISHED
    properties["services"] = {
        "Studio": {"jobServiceType": "Studio", "endpoint": STUDIO.format(name=name, workspace=workspace_id)},
        **(properties.get("services") or {}),
    }
    if properties.get("jobType") != "Pipeline":
        outputs = properties.get("outputs") or {}
        outputs.setdefault("default", {
            "jobOutputType": "uri_folder", "mode": "ReadWriteMount",
            "uri": f"azureml://datastores/workspaceartifactstore/ExperimentRun/dcid.{name}",
        })
        properties["outputs"] = outputs
    properties.setdefault("experimentName", "Default")
    return document


def as_just_submitted(document: dict) -> dict:
    """What the ``PUT`` answers: the same job, not started yet."""
    return {**document, "properties": {**document["properties"], "status": "Starting"}}


def run_details(document: dict) -> dict:
    """Run history's view of a finished job (what ``jobs.stream`` polls)."""
    return {"runId": document["name"], "status": document["properties"]["status"], "logFiles": {}, "warnings": []}
