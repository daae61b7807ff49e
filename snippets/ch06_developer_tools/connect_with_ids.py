import os

from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

# The three ids that locate a workspace, read from the environment (never hard-coded).
ml_client = MLClient(
    DefaultAzureCredential(),
    subscription_id=os.environ["AZURE_SUBSCRIPTION_ID"],
    resource_group_name=os.environ["AZURE_RESOURCE_GROUP"],
    workspace_name=os.environ["AZURE_ML_WORKSPACE"],
)
print(f"Connected to {ml_client.workspace_name} in {ml_client.resource_group_name}")
