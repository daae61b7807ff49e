from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:list]
for datastore in ml_client.datastores.list():
    print(f"{datastore.name:<28} {datastore.type.value}")

default = ml_client.datastores.get_default()
print(f"Default datastore: {default.name}")
# --8<-- [end:list]
