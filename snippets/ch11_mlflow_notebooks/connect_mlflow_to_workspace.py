"""Point MLflow on your own machine at an Azure Machine Learning workspace."""

import mlflow
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:connect]
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)

print("MLflow tracking URI:", mlflow.get_tracking_uri())
# --8<-- [end:connect]
