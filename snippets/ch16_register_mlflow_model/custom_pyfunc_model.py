"""Wrap a classifier in your own MLflow pyfunc model: probabilities plus a screening threshold."""

import tempfile

import mlflow
import pandas as pd
import sklearn
from sklearn.datasets import load_diabetes
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import train_test_split
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

data = load_diabetes(as_frame=True, scaled=False).frame
X = data.drop(columns="target")
y = (data["target"] > data["target"].median()).astype(int)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)
classifier = make_pipeline(StandardScaler(), LogisticRegression()).fit(X_train, y_train)


# --8<-- [start:model]
class ProgressionScreen(mlflow.pyfunc.PythonModel):
    """Returns the probability of fast progression and flags patients at or above a threshold."""

    def __init__(self, threshold):
        self.threshold = threshold

    def load_context(self, context):
        # Runs once when the model is loaded: read the files listed in `artifacts`
        self.classifier = mlflow.sklearn.load_model(context.artifacts["classifier"])

    def predict(self, context, model_input: pd.DataFrame, params=None) -> pd.DataFrame:
        probability = self.classifier.predict_proba(model_input)[:, 1]
        return pd.DataFrame({
            "probability": probability,
            "follow_up": probability >= self.threshold,
        })
# --8<-- [end:model]


# --8<-- [start:log]
mlflow.set_experiment("diabetes-progression")
with tempfile.TemporaryDirectory() as folder, mlflow.start_run() as run:
    # Save the trained classifier as a file the wrapper can load again
    mlflow.sklearn.save_model(classifier, f"{folder}/classifier")
    mlflow.pyfunc.save_model(
        f"{folder}/screening-model",
        python_model=ProgressionScreen(threshold=0.3),
        artifacts={"classifier": f"{folder}/classifier"},  # copied into the model folder
        input_example=X_test.head(3).to_dict(orient="records"),  # signature inferred from it
        pip_requirements=[f"scikit-learn=={sklearn.__version__}", "skops", "pandas"],
    )
    # Log the folder as the run's artifacts (Azure ML has no logged-models API for log_model)
    mlflow.log_artifacts(f"{folder}/screening-model", artifact_path="screening-model")
model_uri = f"runs:/{run.info.run_id}/screening-model"
# --8<-- [end:log]

# --8<-- [start:load]
# Load it back the way a deployment will, and score a few patients
screen = mlflow.pyfunc.load_model(model_uri)
print(screen.predict(X_test.head(5)))
# --8<-- [end:load]
