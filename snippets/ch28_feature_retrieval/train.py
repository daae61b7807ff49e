"""The training step: train on the retrieved features and package the retrieval spec with the model.

In a pipeline it runs after the feature retrieval component:
python train.py --training_data <component output> --model_output <model folder>
"""

import argparse
import shutil
from pathlib import Path

import mlflow
import pandas as pd
import yaml
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

parser = argparse.ArgumentParser()
parser.add_argument("--training_data", default="training_data")
parser.add_argument("--model_output", default="fraud-model")
args = parser.parse_args()

# --8<-- [start:train]
data = Path(args.training_data)
spec_file = data / "feature_retrieval_spec.yaml"  # the component puts it beside data/
spec = yaml.safe_load(spec_file.read_text())
features = [f["feature_name"] for store in spec["feature_stores"] for f in store["features"]]

frame = pd.concat(pd.read_parquet(part) for part in sorted((data / "data").glob("*.parquet")))
X, y = frame[features].fillna(0), frame["is_fraud"]
model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X, y)
# --8<-- [end:train]

# --8<-- [start:package]
# An MLflow model folder, then the spec at its root, beside MLmodel: inference reads it from there
mlflow.sklearn.save_model(model, args.model_output, signature=infer_signature(X, model.predict(X)))
shutil.copy(spec_file, Path(args.model_output) / "feature_retrieval_spec.yaml")
# --8<-- [end:package]
