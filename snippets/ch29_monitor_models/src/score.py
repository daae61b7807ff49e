"""Scoring script for the diabetes classifier that also logs what it saw and answered."""

import json
import logging
import os

import joblib
import pandas as pd
from azureml.ai.monitoring import Collector

model = None
inputs_collector = None
outputs_collector = None
LABELS = ["not-diabetic", "diabetic"]


# --8<-- [start:init]
def init():
    global model, inputs_collector, outputs_collector
    model = joblib.load(os.path.join(os.environ["AZUREML_MODEL_DIR"], "model.pkl"))
    # The names match the deployment's data_collector collections. A failure to collect
    # is logged, not raised: no request is refused because its copy was not stored.
    inputs_collector = Collector(name="model_inputs", on_error=log_failure)
    outputs_collector = Collector(name="model_outputs", on_error=log_failure)


def log_failure(error):
    logging.warning("collect: %s", error)
# --8<-- [end:init]


# --8<-- [start:run]
def run(raw_data):
    patients = pd.DataFrame(json.loads(raw_data)["data"])
    context = inputs_collector.collect(patients)  # logs the rows; returns their context
    predictions = pd.DataFrame({"Diabetic": model.predict(patients)})
    outputs_collector.collect(predictions, context)  # same correlation id as the inputs
    return {"predictions": [LABELS[int(p)] for p in predictions["Diabetic"]]}
# --8<-- [end:run]
