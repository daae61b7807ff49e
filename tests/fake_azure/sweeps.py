"""A finished sweep job names its best trial, in the ``best_child_run_id`` property.

Azure's sweep service reads the primary metric each trial logged (the trials are child runs of
the sweep's run: their ``mlflow.parentRunId`` tag is the sweep job's name) and records the trial
whose last value is best for the objective's goal; ``jobs.download`` and the studio read it from
there (``SWEEP_JOB_BEST_CHILD_RUN_ID_PROPERTY_NAME`` in the SDK). The fake runs no trial: the runs
are those in the workspace's MLflow tracking store, when a test has pointed it at a local one
(``FakeWorkspace.set_tracking_uri``); without such a store there are no trials and no best one.
"""

from __future__ import annotations

from mlflow.tracking import MlflowClient

from tests.fake_azure.arm import ResourceStore

BEST_TRIAL = "best_child_run_id"


def finished(document: dict, store: ResourceStore) -> dict:
    """The job as a read shows it: a sweep with its best trial, if its trials are in the tracking store."""
    properties = document.get("properties") or {}
    if properties.get("jobType") != "Sweep":
        return document
    workspace = store.get(document["id"].rsplit("/jobs/", 1)[0])
    uri = workspace["properties"]["mlFlowTrackingUri"]
    best = None if uri.startswith("azureml:") else best_trial(uri, document["name"], properties)
    if best is None:
        return document
    named = {**(properties.get("properties") or {}), BEST_TRIAL: best}
    return {**document, "properties": {**properties, "properties": named}}


def best_trial(tracking_uri: str, sweep: str, properties: dict) -> str | None:
    client = MlflowClient(tracking_uri)
    experiment = client.get_experiment_by_name(properties["experimentName"])
    if experiment is None:
        return None
    metric, goal = properties["objective"]["primaryMetric"], properties["objective"]["goal"]
    trials = client.search_runs([experiment.experiment_id], filter_string=f"tags.mlflow.parentRunId = '{sweep}'")
    scored = [(run.data.metrics[metric], run.info.run_id) for run in trials if metric in run.data.metrics]
    if not scored:
        return None
    return (max if goal.lower() == "maximize" else min)(scored)[1]
