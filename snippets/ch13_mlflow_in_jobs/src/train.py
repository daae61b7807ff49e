"""Train a diabetes classifier epoch by epoch, logging everything worth comparing to MLflow."""

import argparse

import matplotlib

matplotlib.use("Agg")  # a compute cluster has no screen: draw figures in memory

import matplotlib.pyplot as plt  # noqa: E402
import mlflow  # noqa: E402
import pandas as pd  # noqa: E402
from sklearn.linear_model import SGDClassifier  # noqa: E402
from sklearn.metrics import accuracy_score, classification_report, log_loss, roc_auc_score, roc_curve  # noqa: E402
from sklearn.model_selection import train_test_split  # noqa: E402
from sklearn.pipeline import Pipeline  # noqa: E402
from sklearn.preprocessing import StandardScaler  # noqa: E402


# --8<-- [start:args]
def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--training_data", type=str, help="path to the diabetes CSV file")
    parser.add_argument("--epochs", type=int, default=20, help="passes over the training data")
    parser.add_argument("--alpha", type=float, default=0.0001, help="regularization strength")
    parser.add_argument("--model_output", type=str, help="folder for the trained model (a job output)")
    return parser.parse_args()
# --8<-- [end:args]


def split_data(path):
    df = pd.read_csv(path)
    features = df.drop(columns="Diabetic")
    return train_test_split(features, df["Diabetic"], test_size=0.3, random_state=0)


# --8<-- [start:train]
def train(args, X_train, X_val, y_train, y_val):
    # Parameters: the settings of this run, logged once
    mlflow.log_params({"epochs": args.epochs, "alpha": args.alpha, "loss": "log_loss"})
    mlflow.log_param("training_rows", len(X_train))

    model = Pipeline([
        ("scale", StandardScaler().fit(X_train)),
        ("classify", SGDClassifier(loss="log_loss", alpha=args.alpha, random_state=0)),
    ])
    X_scaled = model["scale"].transform(X_train)
    for epoch in range(1, args.epochs + 1):
        model["classify"].partial_fit(X_scaled, y_train, classes=[0, 1])
        # Metrics with a step: one value per epoch, drawn as a curve in the studio
        mlflow.log_metrics(
            {
                "train_log_loss": log_loss(y_train, model.predict_proba(X_train)),
                "val_log_loss": log_loss(y_val, model.predict_proba(X_val)),
            },
            step=epoch,
        )
    return model
# --8<-- [end:train]


# --8<-- [start:evaluate]
def evaluate(model, X_val, y_val):
    scores = model.predict_proba(X_val)[:, 1]
    metrics = {"val_accuracy": accuracy_score(y_val, model.predict(X_val)), "val_auc": roc_auc_score(y_val, scores)}
    mlflow.log_metrics(metrics)

    # A matplotlib figure, stored as an image in the run
    fpr, tpr, _ = roc_curve(y_val, scores)
    fig, ax = plt.subplots(figsize=(5, 5))
    ax.plot(fpr, tpr, label=f"AUC = {metrics['val_auc']:.3f}")
    ax.plot([0, 1], [0, 1], linestyle="--", color="grey")
    ax.set(xlabel="False positive rate", ylabel="True positive rate", title="ROC curve (validation)")
    ax.legend(loc="lower right")
    mlflow.log_figure(fig, "plots/roc_curve.png")
    plt.close(fig)

    # A dictionary as JSON and a string as text, written straight from memory
    mlflow.log_dict({"features": list(X_val.columns), **metrics}, "summary.json")
    mlflow.log_text(classification_report(y_val, model.predict(X_val)), "classification_report.txt")

    # Any file on disk: here, the validation predictions
    X_val.assign(label=y_val, score=scores).to_csv("predictions.csv", index=False)
    mlflow.log_artifact("predictions.csv", artifact_path="evaluation")
    return metrics
# --8<-- [end:evaluate]


# --8<-- [start:main]
def main(args):
    X_train, X_val, y_train, y_val = split_data(args.training_data)
    with mlflow.start_run():  # in a job: resumes the run Azure ML created for the job
        model = train(args, X_train, X_val, y_train, y_val)
        metrics = evaluate(model, X_val, y_val)
    # The model goes to the job's output folder, ready to register later. cloudpickle comes with
    # MLflow; MLflow 3.15's default format, skops, is a package the environment does not have.
    mlflow.sklearn.save_model(model, args.model_output, serialization_format="cloudpickle")
    print(f"Validation AUC: {metrics['val_auc']:.3f}")


if __name__ == "__main__":
    main(parse_args())
# --8<-- [end:main]
