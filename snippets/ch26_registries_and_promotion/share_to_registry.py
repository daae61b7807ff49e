"""Share into the registry what the dev workspace holds: chapter 16's model, chapter 9's environment."""

from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

REGISTRY = "reg-contoso-ml"
ml_client = MLClient.from_config(credential=DefaultAzureCredential())  # the dev workspace

# --8<-- [start:share]
model = ml_client.models.share(
    name="diabetes-classifier",
    version="1",  # the workspace's version 1: trained and registered in dev
    registry_name=REGISTRY,
    share_with_name="diabetes-classifier",  # its name and version in the registry
    share_with_version="1",
)
environment = ml_client.environments.share(
    name="sklearn-mlflow",
    version="1",
    registry_name=REGISTRY,
    share_with_name="sklearn-mlflow",
    share_with_version="1",
)
print(model.id)
print(environment.id)
# --8<-- [end:share]
