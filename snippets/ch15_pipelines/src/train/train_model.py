"""Pipeline step 2: train a classifier on the prepared folder and save it as an MLflow model."""

import argparse
from pathlib import Path

import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

LABEL = "Diabetic"


def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--training_data", type=str, help="folder that holds the prepared CSV files")
    parser.add_argument("--reg_rate", type=float, default=0.01, help="regularization rate")
    parser.add_argument("--model_output", type=str, help="folder for the trained model")
    return parser.parse_args()


# --8<-- [start:train]
def read_folder(folder):
    # The input is the previous step's output folder: read every CSV file in it
    files = sorted(Path(folder).glob("*.csv"))
    return pd.concat((pd.read_csv(f) for f in files), ignore_index=True)


def main(args):
    df = read_folder(args.training_data)
    X_train, X_test, y_train, y_test = train_test_split(
        df.drop(columns=LABEL), df[LABEL], test_size=0.3, random_state=0
    )
    with mlflow.start_run():  # in a pipeline step, this is the step's own run
        mlflow.log_param("regularization_rate", args.reg_rate)
        model = LogisticRegression(C=1 / args.reg_rate, max_iter=1000).fit(X_train, y_train)
        accuracy = accuracy_score(y_test, model.predict(X_test))
        mlflow.log_metric("accuracy", accuracy)
    # Write the model in MLflow format into the step's output folder (as cloudpickle, which comes
    # with MLflow: its default format, skops, is a package the curated environment does not have)
    mlflow.sklearn.save_model(model, args.model_output, serialization_format="cloudpickle")
    print(f"Accuracy: {accuracy:.3f}")
# --8<-- [end:train]


if __name__ == "__main__":
    main(parse_args())
