import mlflow
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential
from mlflow.entities import ViewType

# --8<-- [start:connect]
# Point MLflow at the workspace (on a compute instance this is already done for you)
ml_client = MLClient.from_config(credential=DefaultAzureCredential())
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)
# --8<-- [end:connect]

# --8<-- [start:experiments]
# Active experiments only (the default), at most two of them
for exp in mlflow.search_experiments(max_results=2):
    print("active:", exp.name)

# Deleted experiments too
all_experiments = mlflow.search_experiments(view_type=ViewType.ALL)
for exp in all_experiments:
    print("any state:", exp.name, exp.lifecycle_stage)
# --8<-- [end:experiments]

# --8<-- [start:runs]
exp = mlflow.get_experiment_by_name("diabetes-training")
print(exp.experiment_id, exp.name)

# Every run of the experiment, as a pandas DataFrame
runs = mlflow.search_runs(exp.experiment_id)
print(runs[["run_id", "metrics.accuracy", "params.regularization_rate"]])

# The two most recent runs
latest = mlflow.search_runs(exp.experiment_id, order_by=["start_time DESC"], max_results=2)
print(latest[["start_time", "metrics.accuracy"]])

# Runs with one parameter value (params are stored as strings)
filtered = mlflow.search_runs(
    exp.experiment_id, filter_string="params.regularization_rate = '0.01'", max_results=2
)
print(filtered[["run_id", "params.regularization_rate", "metrics.accuracy"]])
# --8<-- [end:runs]
