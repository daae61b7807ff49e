import json

from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:invoke]
response = ml_client.online_endpoints.invoke(
    endpoint_name="diabetes-endpoint",
    request_file="sample-request.json",
    deployment_name="blue",  # leave it out to follow the endpoint's traffic split
)
predictions = json.loads(response)["predictions"]  # the response is JSON text
print(predictions)
# --8<-- [end:invoke]
