from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:register]
# The folder holds the MLTable file and the CSV file it points to.
training_data = Data(
    name="input-data-automl",
    version="1",
    type=AssetTypes.MLTABLE,
    path="./diabetes-data",
    description="Diabetes patients, with the Diabetic label column",
)
ml_client.data.create_or_update(training_data)
# --8<-- [end:register]
