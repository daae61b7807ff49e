"""Read a drift report; if a feature crossed a threshold, submit the retraining pipeline.

    python retrain_on_drift.py drift_report.json
"""

import json
import sys
from pathlib import Path

from azure.ai.ml import Input, MLClient
from azure.ai.ml.dsl import pipeline
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
report = json.loads(Path(sys.argv[1]).read_text())  # what drift_report.py wrote

# --8<-- [start:pipeline]
# The components chapter 15 registered: the first model's preparation and training
prep_data = ml_client.components.get(name="prep_diabetes_data", version="1")
train_model = ml_client.components.get(name="train_diabetes_model", version="1")


@pipeline(display_name="diabetes-retraining", default_compute="cpu-cluster")
def retraining(pipeline_input_data):
    prep_step = prep_data(input_data=pipeline_input_data)
    train_step = train_model(training_data=prep_step.outputs.output_data)
    return {"trained_model": train_step.outputs.model_output}
# --8<-- [end:pipeline]


# --8<-- [start:trigger]
def retrain_if_drifted(report: dict):
    """The submitted pipeline job if the report names drifted features, else None."""
    if not report["drifted"]:
        print("No feature drifted: no retraining job submitted")
        return None
    # the newest version of the labelled data: register fresh data as a new version first
    newest = ml_client.data.get(name="diabetes-data", label="latest")
    job = retraining(pipeline_input_data=Input(type="uri_file", path=newest.id))
    job.tags = {"trigger": "data-drift", "drifted": ",".join(report["drifted"])}
    submitted = ml_client.jobs.create_or_update(job, experiment_name="diabetes-retrain")
    drifted = ", ".join(report["drifted"])
    print(f"Drift in {drifted}: submitted retraining job {submitted.name}")
    return submitted


returned_job = retrain_if_drifted(report)
# --8<-- [end:trigger]
