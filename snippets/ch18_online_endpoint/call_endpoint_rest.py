import requests
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:details]
endpoint = ml_client.online_endpoints.get(name="diabetes-endpoint")
scoring_uri = endpoint.scoring_uri  # https://<endpoint>.<region>.inference.ml.azure.com/score
key = ml_client.online_endpoints.get_keys(name="diabetes-endpoint").primary_key  # never print or commit it
# --8<-- [end:details]

# --8<-- [start:request]
with open("sample-request.json", "rb") as file:
    body = file.read()

response = requests.post(
    scoring_uri,
    data=body,
    headers={
        "Content-Type": "application/json",
        "Authorization": f"Bearer {key}",  # the same header carries a key or a token
        "azureml-model-deployment": "blue",  # optional: skip the traffic split
    },
    timeout=60,
)
response.raise_for_status()
print(response.json())
# --8<-- [end:request]
