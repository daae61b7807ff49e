"""Register the packaged model folder (MLmodel, the model, feature_retrieval_spec.yaml)."""

import sys

from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:register]
folder = sys.argv[1] if len(sys.argv) > 1 else "fraud-model"  # what train.py wrote
model = ml_client.models.create_or_update(Model(
    path=folder,  # the whole folder is uploaded: the spec travels with the model
    type=AssetTypes.MLFLOW_MODEL,
    name="fraud-model",
    description="Flags card transactions for review; features from feature store fs-dp100-notes.",
))
print(f"Registered {model.name} version {model.version}")
# --8<-- [end:register]
