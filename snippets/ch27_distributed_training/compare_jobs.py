"""Compare the runs of the distributed training jobs; register the best job's model."""

import sys

import mlflow
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
workspace = ml_client.workspaces.get(ml_client.workspace_name)
mlflow.set_tracking_uri(workspace.mlflow_tracking_uri)

# --8<-- [start:search]
runs = mlflow.search_runs(
    experiment_names=["ddp-classifier"],
    # params take =, != or LIKE; metrics take comparisons; AND joins them (no OR)
    filter_string="params.world_size = '2' AND metrics.accuracy > 0.5",
)
# Azure ML refuses order_by on metrics: sort the DataFrame instead
ranked = runs.sort_values("metrics.accuracy", ascending=False)
print(ranked[["run_id", "params.learning_rate", "metrics.accuracy"]])
# --8<-- [end:search]

# --8<-- [start:compare]
# A job's name is its MLflow run ID. Compare the jobs named on the
# command line, or else the three best.
job_names = sys.argv[1:] or ranked["run_id"].head(3).tolist()
quoted = ", ".join(f"'{name}'" for name in job_names)
chosen = mlflow.search_runs(
    experiment_names=["ddp-classifier"],
    filter_string=f"attributes.run_id IN ({quoted})",
)
columns = ["params.learning_rate", "params.world_size",
           "metrics.accuracy", "metrics.train_loss"]
table = chosen.set_index("run_id")[columns]
print(table.T)  # one column per job, one row per value

# search_runs keeps a metric's last value; the history has every step
client = mlflow.MlflowClient()
for name in job_names:
    history = client.get_metric_history(name, "train_loss")
    print(name, "train_loss by epoch:", [round(point.value, 3) for point in history])
# --8<-- [end:compare]

# --8<-- [start:register]
best_job = table["metrics.accuracy"].astype(float).idxmax()
model = Model(
    path=f"azureml://jobs/{best_job}/outputs/model",  # the folder rank 0 wrote
    type=AssetTypes.CUSTOM_MODEL,
    name="ddp-classifier",
    description="PyTorch state_dict of the best ddp-classifier job.",
    tags={"training_job": best_job,
          "accuracy": str(table.loc[best_job, "metrics.accuracy"])},
)
registered = ml_client.models.create_or_update(model)
print(f"Registered {registered.name}:{registered.version} from job {best_job}")
# --8<-- [end:register]
