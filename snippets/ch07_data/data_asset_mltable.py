from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:asset]
# The folder holds the MLTable file and the data files it describes.
# A local folder like this one is uploaded to the default datastore first.
sales_table = Data(
    name="sales-table",
    version="1",
    description="Daily sales files read as one table",
    type=AssetTypes.MLTABLE,
    path="./sales-table",
)
ml_client.data.create_or_update(sales_table)
# --8<-- [end:asset]
