"""Train a diabetes classifier and log its parameters and accuracy with MLflow."""

import argparse

import mlflow
import pandas as pd
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--training-data", required=True, help="CSV file with a 'Diabetic' column")
    parser.add_argument("--reg-rate", type=float, default=0.01)
    args = parser.parse_args()

    data = pd.read_csv(args.training_data)
    X, y = data.drop(columns=["Diabetic"]), data["Diabetic"]
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.3, random_state=0)

    with mlflow.start_run():  # in an Azure ML job, this is the job's own run
        model = LogisticRegression(C=1 / args.reg_rate, max_iter=1000).fit(X_train, y_train)
        accuracy = accuracy_score(y_test, model.predict(X_test))
        mlflow.log_param("reg_rate", args.reg_rate)
        mlflow.log_metric("accuracy", accuracy)
        print(f"accuracy: {accuracy:.3f}")


if __name__ == "__main__":
    main()
