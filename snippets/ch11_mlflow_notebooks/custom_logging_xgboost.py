"""Train an XGBoost classifier and log only what you choose to MLflow."""

import matplotlib.pyplot as plt
import mlflow
import pandas as pd
from sklearn.datasets import load_breast_cancer
from sklearn.metrics import ConfusionMatrixDisplay, accuracy_score, f1_score
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

# A binary classification dataset shipped with scikit-learn stands in for the heart-condition data.
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)

# --8<-- [start:custom]
mlflow.set_experiment(experiment_name="heart-condition-classifier")
mlflow.xgboost.autolog(disable=True)  # in case an earlier cell switched it on

max_depth, learning_rate = 3, 0.1

with mlflow.start_run(run_name="xgboost-custom") as run:
    model = XGBClassifier(max_depth=max_depth, learning_rate=learning_rate, eval_metric="logloss")
    model.fit(X_train, y_train)
    y_pred = model.predict(X_test)

    # Parameters: the inputs you chose
    mlflow.log_param("max_depth", max_depth)
    mlflow.log_param("learning_rate", learning_rate)

    # Metrics: numbers you want to compare across runs
    mlflow.log_metric("accuracy", accuracy_score(y_test, y_pred))
    mlflow.log_metric("f1", f1_score(y_test, y_pred))

    # A matplotlib figure, stored as an image in the run
    display = ConfusionMatrixDisplay.from_predictions(y_test, y_pred)
    mlflow.log_figure(display.figure_, "confusion_matrix.png")
    plt.close(display.figure_)

    # Any local file becomes an artifact
    importance = pd.Series(model.feature_importances_, index=X.columns, name="importance")
    importance.sort_values(ascending=False).to_csv("feature_importance.csv")
    mlflow.log_artifact("feature_importance.csv")

print("Logged run", run.info.run_id)
# --8<-- [end:custom]
