"""Register a model from a run with MLflow, using the workspace as the model registry."""

import sys

import mlflow
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:register]
# Point MLflow at the workspace: its model registry becomes the workspace's models
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)

run_id = sys.argv[1]  # for a job, the MLflow run ID is the job's name
version = mlflow.register_model(f"runs:/{run_id}/model", name="diabetes-classifier")
print(f"Registered {version.name} version {version.version}")
# --8<-- [end:register]
