"""Register the MLflow model that a training job wrote to its outputs."""

import sys

from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:register]
job_name = sys.argv[1]  # the name of the finished training job, e.g. from chapter 12

model = Model(
    # The "model" folder among the job's artifacts (logged with MLflow)
    path=f"azureml://jobs/{job_name}/outputs/artifacts/paths/model/",
    type=AssetTypes.MLFLOW_MODEL,
    name="diabetes-classifier",
    description="Logistic regression that predicts diabetes, trained by a command job.",
    tags={"training_job": job_name, "algorithm": "logistic-regression"},
)
registered = ml_client.models.create_or_update(model)
print(f"Registered {registered.name} version {registered.version}")
# --8<-- [end:register]
