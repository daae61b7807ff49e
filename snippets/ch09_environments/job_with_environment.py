from azure.ai.ml import MLClient, command
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:job]
job = command(
    command="python --version && pip list",
    environment="sklearn-mlflow@latest",  # or pin one version: "sklearn-mlflow:1"
    compute="cpu-cluster",
    display_name="check-environment",
)
ml_client.jobs.create_or_update(job)
# --8<-- [end:job]
