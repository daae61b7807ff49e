from azure.ai.ml import MLClient
from azure.ai.ml.entities import BuildContext, Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:build]
env = Environment(
    name="sklearn-docker",
    description="Built by Azure ML from docker-context/Dockerfile.",
    build=BuildContext(path="docker-context"),  # folder with the Dockerfile
)
ml_client.environments.create_or_update(env)
# --8<-- [end:build]
