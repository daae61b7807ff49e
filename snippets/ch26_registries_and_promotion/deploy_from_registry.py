"""Deploy the registry's model to the workspace a release stage targets (test, then prod)."""

import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import ManagedOnlineDeployment, ManagedOnlineEndpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient(DefaultAzureCredential(), os.environ["AZURE_SUBSCRIPTION_ID"],
                     os.environ["AZURE_RESOURCE_GROUP"], os.environ["AZURE_ML_WORKSPACE"])

# --8<-- [start:deploy]
MODEL = "azureml://registries/reg-contoso-ml/models/diabetes-classifier/versions/1"

endpoint = ManagedOnlineEndpoint(name="diabetes-registry", auth_mode="key")  # unique in its region
ml_client.online_endpoints.begin_create_or_update(endpoint).result()

deployment = ManagedOnlineDeployment(
    name="diabetes-v1",
    endpoint_name="diabetes-registry",
    model=MODEL,  # the same id in test and in prod: what was tested is what goes live
    instance_type="Standard_F4s_v2",
    instance_count=1,
    tags={"model": MODEL, "promoted-from": "test"},
)
ml_client.online_deployments.begin_create_or_update(deployment).result()

endpoint.traffic = {"diabetes-v1": 100}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
print(ml_client.online_deployments.get("diabetes-v1", endpoint_name="diabetes-registry").model)
# --8<-- [end:deploy]
