"""Host an open catalog model on managed compute: your own GPU VMs behind a managed online endpoint."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint, OnlineRequestSettings
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:deploy]
# Managed compute deploys one exact model version: pin it, unlike a serverless API.
registry = MLClient(credential=DefaultAzureCredential(), registry_name="azureml")
model = registry.models.get("Phi-3.5-mini-instruct", version="6")

# Callers sign in with Microsoft Entra ID instead of holding a key.
endpoint = ManagedOnlineEndpoint(name="phi35-mini-notes", auth_mode="aad_token")
ml_client.online_endpoints.begin_create_or_update(endpoint).result()

deployment = ManagedOnlineDeployment(
    name="phi35-v6",
    endpoint_name=endpoint.name,
    model=model.id,  # azureml://registries/azureml/models/Phi-3.5-mini-instruct/versions/6
    instance_type="Standard_NC24ads_A100_v4",  # a GPU size; you pay for it per hour while it runs
    instance_count=1,
    request_settings=OnlineRequestSettings(request_timeout_ms=90000),
)
ml_client.online_deployments.begin_create_or_update(deployment).result()

endpoint.traffic = {deployment.name: 100}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
print(f"{endpoint.name}: {deployment.model} on {deployment.instance_type}")
# --8<-- [end:deploy]
