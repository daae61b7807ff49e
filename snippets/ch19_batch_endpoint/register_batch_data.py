"""Register a local folder of patient CSV files as the folder data asset a batch job scores."""

import sys

from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
folder = sys.argv[1]  # CSV files of patients to score: the five feature columns, no label

# --8<-- [start:register]
batch_data = Data(
    path=folder,  # uploaded to the workspace's default datastore
    type=AssetTypes.URI_FOLDER,
    name="diabetes-batch-data",
    description="Patients to score, as CSV files",
)
registered = ml_client.data.create_or_update(batch_data)
print(f"Registered {registered.name} version {registered.version}")
# --8<-- [end:register]
