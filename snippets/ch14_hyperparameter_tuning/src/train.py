"""Train a gradient-boosting classifier and report its validation accuracy as it grows."""

import argparse

import mlflow
from sklearn.datasets import load_breast_cancer
from sklearn.ensemble import GradientBoostingClassifier
from sklearn.metrics import accuracy_score
from sklearn.model_selection import train_test_split

# --8<-- [start:metric]
# The sweep job's primary_metric must be exactly this name.
PRIMARY_METRIC = "val_accuracy"
TREES_PER_REPORT = 10  # the metric is reported after every 10 new trees
# --8<-- [end:metric]


# --8<-- [start:args]
def parse_args():
    parser = argparse.ArgumentParser()
    parser.add_argument("--learning_rate", type=float, default=0.1, help="shrinks each tree's contribution")
    parser.add_argument("--n_estimators", type=int, default=100, help="number of boosting stages (trees)")
    return parser.parse_args()
# --8<-- [end:args]


# --8<-- [start:train]
def main(args):
    X, y = load_breast_cancer(return_X_y=True)
    X_train, X_val, y_train, y_val = train_test_split(X, y, test_size=0.3, random_state=0)
    # warm_start=True keeps the trees already built, so each fit() only adds new ones
    model = GradientBoostingClassifier(learning_rate=args.learning_rate, warm_start=True, random_state=0)
    stages = sorted({*range(TREES_PER_REPORT, args.n_estimators, TREES_PER_REPORT), args.n_estimators})

    with mlflow.start_run():  # in a sweep, each trial job has its own run
        mlflow.log_params({"learning_rate": args.learning_rate, "n_estimators": args.n_estimators})
        for trees in stages:
            model.set_params(n_estimators=trees)
            model.fit(X_train, y_train)
            accuracy = accuracy_score(y_val, model.predict(X_val))
            # each report is one "interval" for the early termination policy
            mlflow.log_metric(PRIMARY_METRIC, accuracy, step=trees)
    print(f"{PRIMARY_METRIC} after {trees} trees: {accuracy:.3f}")


if __name__ == "__main__":
    main(parse_args())
# --8<-- [end:train]
