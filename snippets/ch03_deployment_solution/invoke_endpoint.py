from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:invoke]
response = ml_client.online_endpoints.invoke(
    endpoint_name="diabetes-mlflow-endpoint",  # an MLflow model, deployed without a scoring script
    request_file="sample_request.json",  # two patients -> two predictions
)
print("Predictions:", response)
# --8<-- [end:invoke]
