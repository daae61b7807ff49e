from azure.ai.ml import MLClient
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:conda]
env = Environment(
    name="sklearn-mlflow",
    description="scikit-learn and MLflow on Python 3.11, on the Azure ML base image.",
    image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    conda_file="conda.yml",  # read now, relative to the folder you run this from
)
created = ml_client.environments.create_or_update(env)
print(created.name, created.version)
# --8<-- [end:conda]
