from azure.ai.ml import MLClient
from azure.ai.ml.entities import AzureBlobDatastore
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:datastore]
# No credentials: Azure ML uses the Microsoft Entra identity of whoever
# (or whatever compute) reads the data, so no secret is stored at all.
blob_datastore = AzureBlobDatastore(
    name="blob_identity_example",
    description="Blob container reached with identity-based access",
    account_name="mytestblobstore",
    container_name="data-container",
)
ml_client.create_or_update(blob_datastore)
# --8<-- [end:datastore]
