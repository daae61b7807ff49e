from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:list]
for env in ml_client.environments.list():
    print(env.name)
# --8<-- [end:list]
