"""Scoring script for the diabetes classifier: a scikit-learn model saved with joblib."""

import json
import os

import joblib
import pandas as pd

model = None
LABELS = ["not-diabetic", "diabetic"]


# --8<-- [start:init]
def init():
    """Runs once, when the deployment's container starts: load the model."""
    global model
    # Azure ML puts the registered model's files in this folder
    model_path = os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.pkl")
    model = joblib.load(model_path)
# --8<-- [end:init]


# --8<-- [start:run]
def run(raw_data):
    """Runs for every request: JSON text in, a JSON-serialisable result out."""
    rows = json.loads(raw_data)["data"]  # a list of {column: value} records
    predictions = model.predict(pd.DataFrame(rows))
    return {"predictions": [LABELS[int(p)] for p in predictions]}
# --8<-- [end:run]
