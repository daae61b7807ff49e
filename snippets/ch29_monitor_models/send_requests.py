from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:invoke]
# Every answered request now also leaves a copy of its rows in the workspace's blob store
answer = ml_client.online_endpoints.invoke(
    endpoint_name="diabetes-endpoint",
    deployment_name="blue",
    request_file="patients-request.json",
)
print(answer)
# --8<-- [end:invoke]
