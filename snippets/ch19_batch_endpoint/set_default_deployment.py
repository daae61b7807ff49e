from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:default]
# Jobs that name no deployment go to the endpoint's default deployment
endpoint = ml_client.batch_endpoints.get(name="diabetes-batch")
endpoint.defaults.deployment_name = "diabetes-logreg"
ml_client.batch_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:default]
