from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:traffic]
# A new deployment gets no traffic: send all requests to blue
endpoint = ml_client.online_endpoints.get(name="diabetes-endpoint")
endpoint.traffic = {"blue": 100}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:traffic]
