"""What Azure adds to a job it accepts, and what run history says about it.

A job is accepted (``Starting``) and has finished by the time anything reads it again,
with the studio link and the default output Azure gives every job. A command job has
really run by then (``runner.py``: ``Completed``, or ``Failed`` with its script's error);
other kinds finish ``Completed`` without running. Named outputs are where Azure puts them
(``jobs.download`` asks run history for them, then the data plane for their paths).
"""

from __future__ import annotations

import re

from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.outputs import DEFAULT_PATH

STUDIO = "https://ml.azure.com/runs/{name}?wsid={workspace}"
FINISHED = "Completed"
# Run history registers each data output of a finished run as an anonymous data asset of this name.
OUTPUT_ASSET = re.compile(r"/data/azureml_(?P<job>.+)_output_data_(?P<output>[^/]+)/versions/1$")
DATA_OUTPUTS = {"uri_file", "uri_folder", "mltable"}


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


def run_details(document: dict, error: str | None = None) -> dict:
    """Run history's view of a finished job (what ``jobs.stream`` polls), with its error if it failed."""
    details = {"runId": document["name"], "status": document["properties"]["status"], "logFiles": {}, "warnings": []}
    if error:
        details["error"] = {"error": {"code": "UserError", "message": error}}
    return details


def run_data(document: dict, region: str) -> dict:
    """Run history's ``GetRunDataResult`` of a finished job: its data outputs, as asset references
    (``POST .../history/v1.0/.../rundata``; read by ``get_job_output_uris_from_dataplane``)."""
    name = document["name"]
    workspace = document["id"].rsplit("/jobs/", 1)[0].rsplit("/", 1)[-1]
    location = f"azureml://locations/{region}/workspaces/{workspace}"
    outputs = {
        output: {"assetId": f"{location}/data/azureml_{name}_output_data_{output}/versions/1",
                 "type": spec["jobOutputType"]}
        for output, spec in (document["properties"].get("outputs") or {}).items()
        if output != "default" and spec.get("jobOutputType") in DATA_OUTPUTS
    }
    return {"runMetadata": {"runId": name, "status": document["properties"]["status"], "outputs": outputs}}


def resolved_outputs(asset_ids: list[str], store: ResourceStore, workspace_path: str) -> dict:
    """The data plane's ``BatchDataUriResponse``: where each output asset's files are
    (``POST .../data/v1.0/.../dataversion/batchGetResolvedUris``). Ids it does not know are left out."""
    values = {}
    for asset_id in asset_ids:
        match = OUTPUT_ASSET.search(asset_id)
        job = store.get(f"{workspace_path}/jobs/{match['job']}") if match else None
        spec = (job["properties"].get("outputs") or {}).get(match["output"]) if job else None
        if spec is not None:
            uri = spec.get("uri") or DEFAULT_PATH.format(job=match["job"], output=match["output"])
            values[asset_id] = {"uri": uri, "type": spec["jobOutputType"]}
    return {"values": values}
