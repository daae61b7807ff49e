from azure.ai.ml import MLClient
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:mlflow]
endpoint = ManagedOnlineEndpoint(name="diabetes-mlflow-endpoint", auth_mode="key")
ml_client.online_endpoints.begin_create_or_update(endpoint).result()

# An MLflow model needs no scoring script and no environment: Azure ML generates both
deployment = ManagedOnlineDeployment(
    name="mlflow",
    endpoint_name="diabetes-mlflow-endpoint",
    model="azureml:diabetes-classifier:1",  # the MLflow model registered in chapter 16
    instance_type="Standard_F4s_v2",
    instance_count=1,
)
ml_client.online_deployments.begin_create_or_update(deployment).result()

endpoint.traffic = {"mlflow": 100}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:mlflow]
