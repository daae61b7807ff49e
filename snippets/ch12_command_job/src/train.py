"""Train a diabetes classifier; every value worth comparing is logged with MLflow."""

import argparse
import tempfile

import mlflow
import pandas as pd
from mlflow.models import infer_signature
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score, roc_auc_score
from sklearn.model_selection import train_test_split


# --8<-- [start:args]
def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--training_data", type=str, help="path to the diabetes CSV file")
    parser.add_argument("--reg_rate", type=float, default=0.01, help="regularization rate")
    return parser.parse_args()
# --8<-- [end:args]


def split_data(df):
    # PatientID only numbers the rows: it tells the model nothing about diabetes
    features = df.drop(columns=["PatientID", "Diabetic"])
    return train_test_split(features, df["Diabetic"], test_size=0.30, random_state=0)


# --8<-- [start:logging]
def train_model(reg_rate, X_train, y_train):
    mlflow.log_param("regularization_rate", reg_rate)
    # C is the inverse of the regularization rate
    return LogisticRegression(C=1 / reg_rate, max_iter=1000).fit(X_train, y_train)


def evaluate_model(model, X_test, y_test):
    accuracy = accuracy_score(y_test, model.predict(X_test))
    auc = roc_auc_score(y_test, model.predict_proba(X_test)[:, 1])
    mlflow.log_metric("accuracy", accuracy)
    mlflow.log_metric("AUC", auc)
    return accuracy


def save_model(model, X_sample):
    # Write the model in MLflow format, then upload that folder as run artifacts (log_model would
    # need MLflow 3's logged-models API, which Azure ML's tracking server does not have). cloudpickle
    # comes with MLflow; its default format, skops, is a package the environment does not list.
    signature = infer_signature(X_sample, model.predict(X_sample))
    with tempfile.TemporaryDirectory() as folder:
        mlflow.sklearn.save_model(model, f"{folder}/model", signature=signature, serialization_format="cloudpickle")
        mlflow.log_artifacts(f"{folder}/model", artifact_path="model")
# --8<-- [end:logging]


# --8<-- [start:main]
def main(args):
    df = pd.read_csv(args.training_data)
    X_train, X_test, y_train, y_test = split_data(df)
    with mlflow.start_run():  # in a job, this picks up the job's own run
        model = train_model(args.reg_rate, X_train, y_train)
        accuracy = evaluate_model(model, X_test, y_test)
        save_model(model, X_train.head(5))
    print(f"Accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main(parse_args())
# --8<-- [end:main]
