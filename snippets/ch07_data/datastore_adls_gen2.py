import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import AzureDataLakeGen2Datastore, ServicePrincipalConfiguration
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:identity]
adls_datastore = AzureDataLakeGen2Datastore(
    name="adls_gen2_example",
    description="ADLS Gen2 file system reached with identity-based access",
    account_name="mytestdatalake",
    filesystem="raw-data",  # the ADLS Gen2 word for a container
)
ml_client.create_or_update(adls_datastore)
# --8<-- [end:identity]

# --8<-- [start:service_principal]
adls_sp_datastore = AzureDataLakeGen2Datastore(
    name="adls_gen2_sp_example",
    description="ADLS Gen2 file system reached with a service principal",
    account_name="mytestdatalake",
    filesystem="raw-data",
    credentials=ServicePrincipalConfiguration(
        tenant_id=os.environ["ADLS_TENANT_ID"],
        client_id=os.environ["ADLS_CLIENT_ID"],
        client_secret=os.environ["ADLS_CLIENT_SECRET"],
    ),
)
ml_client.create_or_update(adls_sp_datastore)
# --8<-- [end:service_principal]
