"""Train an XGBoost classifier and let MLflow autologging record the run."""

import mlflow
from sklearn.datasets import load_breast_cancer
from sklearn.model_selection import train_test_split
from xgboost import XGBClassifier

# --8<-- [start:data]
# A binary classification dataset shipped with scikit-learn stands in for the heart-condition data.
X, y = load_breast_cancer(return_X_y=True, as_frame=True)
X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0, stratify=y)
# --8<-- [end:data]

# --8<-- [start:autolog]
mlflow.set_experiment(experiment_name="heart-condition-classifier")
# Switch it on before fit(): it wraps the training call. log_models=False: MLflow 3 logs the model
# through its logged-models API, which Azure ML's tracking server does not have.
mlflow.xgboost.autolog(log_models=False)

with mlflow.start_run(run_name="xgboost-autolog") as run:
    model = XGBClassifier(eval_metric="logloss")
    model.fit(X_train, y_train, eval_set=[(X_test, y_test)], verbose=False)

print("Logged run", run.info.run_id)
# --8<-- [end:autolog]
