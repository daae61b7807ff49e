from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:delete]
# Deleting the endpoint deletes all its deployments and stops the billing for their VMs
ml_client.online_endpoints.begin_delete(name="diabetes-endpoint").result()
# --8<-- [end:delete]
