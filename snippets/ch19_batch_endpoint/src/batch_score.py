# --8<-- [start:init]
import os
from pathlib import Path

import joblib
import pandas as pd

model = None


def init():
    """Called once per worker process, before any mini-batch: load the model."""
    global model
    model_dir = Path(os.environ["AZUREML_MODEL_DIR"])  # where Azure ML put the model's files
    model_file = next(model_dir.rglob("model.pkl"))  # a registered folder adds one level
    model = joblib.load(model_file)
# --8<-- [end:init]


# --8<-- [start:run]
def run(mini_batch):
    """Called once per mini-batch: a list of paths to input files."""
    results = []
    for file_path in mini_batch:
        data = pd.read_csv(file_path)
        results.append(
            pd.DataFrame(
                {
                    "file": Path(file_path).name,  # to match each prediction with its input
                    "prediction": model.predict(data),
                }
            )
        )
    # One row per scored record; every returned row counts as a success
    return pd.concat(results, ignore_index=True)
# --8<-- [end:run]
