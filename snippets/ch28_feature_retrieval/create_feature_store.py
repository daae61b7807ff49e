"""Create a managed feature store: a workspace of kind featurestore, beside your project workspace."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import FeatureStore
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:create]
feature_store = FeatureStore(
    name="fs-dp100-notes",
    location="eastus",
    description="Features shared by the fraud models of every project workspace.",
)
# Without an offline store or a materialization identity, the SDK's template creates both: a blob
# container on the feature store's storage account and a user-assigned managed identity
created = ml_client.feature_stores.begin_create(feature_store).result()
print(f"{created.name}: offline store {created.offline_store.target}")
print(f"materialization identity {created.materialization_identity.resource_id}")
# --8<-- [end:create]
