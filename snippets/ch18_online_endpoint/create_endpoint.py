from azure.ai.ml import MLClient
from azure.ai.ml.entities import ManagedOnlineEndpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:endpoint]
endpoint = ManagedOnlineEndpoint(
    name="diabetes-endpoint",  # must be unique in the Azure region: add a suffix of your own
    description="Real-time predictions from the diabetes classifier",
    auth_mode="key",  # or "aml_token", or "aad_token" (Microsoft Entra ID)
)
endpoint = ml_client.online_endpoints.begin_create_or_update(endpoint).result()
print(f"Endpoint {endpoint.name} created, auth mode: {endpoint.auth_mode}")
# --8<-- [end:endpoint]
