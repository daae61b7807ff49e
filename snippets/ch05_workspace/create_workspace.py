import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import Workspace
from azure.identity import DefaultAzureCredential

# --8<-- [start:client]
# No workspace exists yet, so the client is scoped to a subscription and resource group.
ml_client = MLClient(
    DefaultAzureCredential(),
    subscription_id=os.environ["AZURE_SUBSCRIPTION_ID"],
    resource_group_name=os.environ["AZURE_RESOURCE_GROUP"],
)
# --8<-- [end:client]

# --8<-- [start:create]
ws = Workspace(
    name="mlw-dp100-labs",
    location="eastus",
    display_name="DP-100 labs",
    description="Workspace for the DP-100 study notes labs",
    tags={"purpose": "study"},
)
# begin_create starts a long-running operation; .result() waits until it is done.
created = ml_client.workspaces.begin_create(ws).result()
print(f"Created {created.name} in {created.location}")
# --8<-- [end:create]
