from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

# --8<-- [start:connect]
# Looks for config.json in this folder, then in each parent folder (and ./.azureml).
ml_client = MLClient.from_config(credential=DefaultAzureCredential())
# --8<-- [end:connect]

# --8<-- [start:check]
# A cheap call that proves the connection works: list the compute targets.
for compute in ml_client.compute.list():
    print(compute.name, compute.type)
# --8<-- [end:check]
