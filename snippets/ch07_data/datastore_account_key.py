import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import AccountKeyConfiguration, AzureBlobDatastore
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:datastore]
blob_datastore = AzureBlobDatastore(
    name="blob_example",
    description="Blob container reached with the storage account key",
    account_name="mytestblobstore",
    container_name="data-container",
    credentials=AccountKeyConfiguration(
        account_key=os.environ["STORAGE_ACCOUNT_KEY"],  # never type the key into code
    ),
)
ml_client.create_or_update(blob_datastore)
# --8<-- [end:datastore]
