from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:scale]
deployment = ml_client.online_deployments.get(name="blue", endpoint_name="diabetes-endpoint")
deployment.instance_count = 3  # more copies of the model behind the load balancer
ml_client.online_deployments.begin_create_or_update(deployment).result()
# --8<-- [end:scale]
