import argparse

import mlflow
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

parser = argparse.ArgumentParser(description="Show the best trial of a finished sweep job.")
parser.add_argument("job_name", help="the sweep job's name, as printed when it was submitted")
job_name = parser.parse_args().job_name

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:service]
sweep_job = ml_client.jobs.get(job_name)
metric = sweep_job.objective.primary_metric
print(f"{sweep_job.status}: {sweep_job.objective.goal} {metric}")
# The service records the winner in the sweep job's properties
best_child_run_id = sweep_job.properties.get("best_child_run_id")
print("Best trial according to the service:", best_child_run_id)
# --8<-- [end:service]

# --8<-- [start:mlflow]
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)

# Trials are child runs: their mlflow.parentRunId tag is the sweep job's name
trials = mlflow.search_runs(
    experiment_names=[sweep_job.experiment_name],
    filter_string=f"tags.mlflow.parentRunId = '{job_name}'",
)
# Azure ML cannot order_by metrics on the server, so sort the DataFrame instead
column = f"metrics.{metric}"
trials = trials.sort_values(column, ascending=sweep_job.objective.goal.lower() == "minimize")
print(trials[["run_id", "params.learning_rate", "params.n_estimators", column]])

best = trials.iloc[0]
print(f"Best trial: {best['run_id']} with {metric} = {best[column]:.3f}")
# --8<-- [end:mlflow]
