"""Train a classifier and log it as an MLflow model with a signature and an input example."""

import tempfile

import mlflow
from mlflow.models import ModelSignature, infer_signature
from mlflow.types import ColSpec, Schema
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

# --8<-- [start:train]
# Ten numeric measurements per patient; label 1 = disease progressed more than the median
data = load_diabetes(as_frame=True, scaled=False).frame
X = data.drop(columns="target")
y = (data["target"] > data["target"].median()).astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

model = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)
# --8<-- [end:train]

# --8<-- [start:inferred]
# Let MLflow read the column names and types from real data
signature = infer_signature(X_test, model.predict(X_test))
# A few rows saved beside the model, to show callers what a request looks like
input_example = X_test.head(3).to_dict(orient="records")

mlflow.set_experiment("diabetes-progression")
with tempfile.TemporaryDirectory() as folder, mlflow.start_run() as run:
    mlflow.log_metric("accuracy", model.score(X_test, y_test))
    # Save the model folder, then log it as the run's "model" artifacts: Azure ML's tracking
    # server has no logged-models API, which MLflow 3's log_model needs
    mlflow.sklearn.save_model(model, f"{folder}/model", signature=signature, input_example=input_example)
    mlflow.log_artifacts(f"{folder}/model", artifact_path="model")
model_uri = f"runs:/{run.info.run_id}/model"
print("Logged", model_uri)
# --8<-- [end:inferred]

# --8<-- [start:custom]
# The same contract written by hand: no data needed, every type chosen on purpose
custom_signature = ModelSignature(
    inputs=Schema([
        ColSpec("double", "age"), ColSpec("double", "sex"), ColSpec("double", "bmi"), ColSpec("double", "bp"),
        ColSpec("double", "s1"), ColSpec("double", "s2"), ColSpec("double", "s3"),
        ColSpec("double", "s4"), ColSpec("double", "s5"), ColSpec("double", "s6"),
    ]),
    outputs=Schema([ColSpec("long")]),  # one integer label per row
)
with tempfile.TemporaryDirectory() as folder, mlflow.start_run() as custom_run:
    mlflow.sklearn.save_model(model, f"{folder}/model", signature=custom_signature)
    mlflow.log_artifacts(f"{folder}/model", artifact_path="model")
custom_uri = f"runs:/{custom_run.info.run_id}/model"
# --8<-- [end:custom]
