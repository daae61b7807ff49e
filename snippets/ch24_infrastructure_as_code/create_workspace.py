import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import IdentityConfiguration, Workspace
from azure.identity import DefaultAzureCredential

# No workspace yet: the client names the subscription and the resource group only.
ml_client = MLClient(
    DefaultAzureCredential(),
    subscription_id=os.environ["AZURE_SUBSCRIPTION_ID"],
    resource_group_name=os.environ["AZURE_RESOURCE_GROUP"],
)

# --8<-- [start:workspace]
# Each dependency by its ARM id: here, outputs of modules/dependencies.bicep.
workspace = Workspace(
    name="mlw-diabetes-test",
    location="eastus",
    display_name="Diabetes (test)",
    tags={"project": "diabetes", "environment": "test"},
    storage_account=os.environ["STORAGE_ACCOUNT_ID"],
    key_vault=os.environ["KEY_VAULT_ID"],
    container_registry=os.environ["CONTAINER_REGISTRY_ID"],
    application_insights=os.environ["APPLICATION_INSIGHTS_ID"],
    identity=IdentityConfiguration(type="system_assigned"),
)
created = ml_client.workspaces.begin_create(workspace).result()
print(f"{created.name} uses {created.storage_account.rsplit('/', 1)[-1]}")
# --8<-- [end:workspace]
