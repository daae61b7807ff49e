from azure.ai.ml import MLClient
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint, OnlineRequestSettings
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:deploy]
# The job registered its result as an MLflow model named after output_model_name_prefix.
model = ml_client.models.get("phi-4-mini-study-buddy", label="latest")

endpoint = ManagedOnlineEndpoint(name="study-buddy-chat", auth_mode="key")
ml_client.online_endpoints.begin_create_or_update(endpoint).result()

deployment = ManagedOnlineDeployment(
    name="phi4mini-ft",
    endpoint_name=endpoint.name,
    model=f"azureml:{model.name}:{model.version}",  # MLflow format: no scoring script needed
    instance_type="Standard_NC24ads_A100_v4",  # a GPU size the model card recommends
    instance_count=1,
    request_settings=OnlineRequestSettings(request_timeout_ms=90000),  # generating text takes a while
)
ml_client.online_deployments.begin_create_or_update(deployment).result()

endpoint.traffic = {deployment.name: 100}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:deploy]
