"""Save an MLflow model to a local folder, then register that folder as a model asset."""

import mlflow
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential
from mlflow.models import infer_signature
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:save]
data = load_diabetes(as_frame=True, scaled=False).frame
X = data.drop(columns="target")
y = (data["target"] > data["target"].median()).astype(int)
classifier = LogisticRegression(max_iter=1000).fit(X, y)

# Writes ./diabetes-progression-model with its MLmodel file, environment files and the model
mlflow.sklearn.save_model(
    classifier, "diabetes-progression-model", signature=infer_signature(X, classifier.predict(X))
)
# --8<-- [end:save]

# --8<-- [start:register]
local_model = Model(
    path="diabetes-progression-model",  # the folder is uploaded to the workspace's storage
    type=AssetTypes.MLFLOW_MODEL,
    name="diabetes-progression",
    description="Predicts whether diabetes progresses faster than the median patient's.",
)
registered = ml_client.models.create_or_update(local_model)
print(f"Registered {registered.name} version {registered.version}")
# --8<-- [end:register]
