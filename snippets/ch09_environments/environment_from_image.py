from azure.ai.ml import MLClient
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:image]
env = Environment(
    name="ubuntu-openmpi",
    image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    description="Azure ML base image as it is: Python, conda and MPI, no ML packages.",
)
ml_client.environments.create_or_update(env)
# --8<-- [end:image]
