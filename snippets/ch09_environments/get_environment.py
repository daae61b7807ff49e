from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:get]
# One exact version ...
pinned = ml_client.environments.get(name="sklearn-mlflow", version="1")
print(pinned.name, pinned.version, pinned.image)

# ... or whatever version is newest right now.
newest = ml_client.environments.get(name="sklearn-mlflow", label="latest")
print(newest.name, newest.version, newest.image)
# --8<-- [end:get]
