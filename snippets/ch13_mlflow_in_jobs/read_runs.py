"""Read a job's MLflow run from your own machine: runs, metrics, curves and files."""

import argparse

import mlflow
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential
from mlflow import MlflowClient

parser = argparse.ArgumentParser()
parser.add_argument("job_name", help="the job's name, which is also its MLflow run ID")
job_name = parser.parse_args().job_name

# --8<-- [start:connect]
ml_client = MLClient.from_config(credential=DefaultAzureCredential())
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)
# --8<-- [end:connect]

# --8<-- [start:search]
runs = mlflow.search_runs(
    experiment_names=["diabetes-training"],
    filter_string="params.alpha = '0.0001' and metrics.val_auc > 0.6",
    order_by=["attributes.start_time DESC"],  # Azure ML orders by attributes only
    max_results=20,
)
ranked = runs.sort_values("metrics.val_auc", ascending=False)  # rank by a metric in pandas
print(ranked[["run_id", "params.epochs", "metrics.val_auc"]].head(3))
# --8<-- [end:search]

# --8<-- [start:run]
run = mlflow.get_run(job_name)  # a job's run ID is the job's name
print("status:", run.info.status)
print("parameters:", run.data.params)
print("val_auc (last value):", round(run.data.metrics["val_auc"], 3))

history = MlflowClient().get_metric_history(job_name, "val_log_loss")
curve = sorted((m.step, m.value) for m in history)
print(f"val_log_loss: {len(curve)} steps, from {curve[0][1]:.3f} to {curve[-1][1]:.3f}")
# --8<-- [end:run]

# --8<-- [start:artifacts]
# MLflow artifacts of the run: one folder, or a single file read straight into memory
plots = mlflow.artifacts.download_artifacts(run_id=job_name, artifact_path="plots", dst_path="downloads")
summary = mlflow.artifacts.load_dict(f"runs:/{job_name}/summary.json")
print("plots in", plots, "| features:", summary["features"])

# A named output of the job (not an MLflow artifact): the model folder
ml_client.jobs.download(job_name, output_name="model_output", download_path="downloads")
# --8<-- [end:artifacts]
