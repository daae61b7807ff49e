"""Train the diabetes classifier, save it with joblib in a folder, and register the folder as a custom model."""

import sys
from pathlib import Path

import joblib
import pandas as pd
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential
from sklearn.linear_model import LogisticRegression

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
training_data = sys.argv[1]  # a CSV of patients: the five feature columns, then Diabetic (0 or 1)

# --8<-- [start:register]
patients = pd.read_csv(training_data)
classifier = LogisticRegression(max_iter=1000).fit(patients.drop(columns="Diabetic"), patients["Diabetic"])
Path("model").mkdir(exist_ok=True)
joblib.dump(classifier, "model/model.pkl")

model = Model(
    path="model",  # a folder: its files arrive one level below AZUREML_MODEL_DIR
    type=AssetTypes.CUSTOM_MODEL,
    name="diabetes-model",
    description="Logistic regression saved with joblib; scored by src/batch_score.py",
)
registered = ml_client.models.create_or_update(model)
print(f"Registered {registered.name} version {registered.version}")
# --8<-- [end:register]
