"""Train the diabetes classifier, save it with joblib, and register the file as a custom model."""

import sys

import joblib
import pandas as pd
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential
from sklearn.linear_model import LogisticRegression

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
training_data = sys.argv[1]  # a CSV of patients: the columns of sample-request.json, then Diabetic (0 or 1)

# --8<-- [start:register]
patients = pd.read_csv(training_data)
classifier = LogisticRegression(max_iter=1000).fit(patients.drop(columns="Diabetic"), patients["Diabetic"])
joblib.dump(classifier, "model.pkl")  # the one file score.py loads

model = Model(
    path="model.pkl",  # a single file: the deployment finds it directly in AZUREML_MODEL_DIR
    type=AssetTypes.CUSTOM_MODEL,
    name="diabetes-custom",
    description="Logistic regression saved with joblib; scored by src/score.py",
)
registered = ml_client.models.create_or_update(model)  # version 1, then 2 when you register it again
print(f"Registered {registered.name} version {registered.version}")
# --8<-- [end:register]
