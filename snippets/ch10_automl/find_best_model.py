import sys

import mlflow
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential
from mlflow import MlflowClient

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:best]
# Point MLflow at the workspace's tracking server.
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)

# The AutoML job's name is also the MLflow run ID of its parent run.
job_name = sys.argv[1]
mlflow_client = MlflowClient()
parent_run = mlflow_client.get_run(job_name)

# AutoML tags the parent run with the ID of its best child run.
best_run_id = parent_run.data.tags["automl_best_child_run_id"]
best_run = mlflow_client.get_run(best_run_id)
print("Best trial:", best_run_id)
print("Accuracy:", best_run.data.metrics["accuracy"])
print("Model URI:", f"runs:/{best_run_id}/outputs/mlflow-model")
# --8<-- [end:best]
