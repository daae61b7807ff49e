from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:logs]
# The last 50 lines written by the inference server (your init() and run() included)
logs = ml_client.online_deployments.get_logs(name="blue", endpoint_name="diabetes-endpoint", lines=50)
print(logs)

# The container that downloads the model and code before the server starts
init_logs = ml_client.online_deployments.get_logs(
    name="blue", endpoint_name="diabetes-endpoint", lines=50, container_type="storage-initializer"
)
print(init_logs)
# --8<-- [end:logs]
