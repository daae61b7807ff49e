import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import AzureBlobDatastore, SasTokenConfiguration
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:datastore]
blob_datastore = AzureBlobDatastore(
    name="blob_sas_example",
    description="Blob container reached with a SAS token",
    account_name="mytestblobstore",
    container_name="data-container",
    credentials=SasTokenConfiguration(
        sas_token=os.environ["STORAGE_SAS_TOKEN"],  # a token with limited rights and an expiry date
    ),
)
ml_client.create_or_update(blob_datastore)
# --8<-- [end:datastore]
