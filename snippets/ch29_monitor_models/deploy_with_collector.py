from azure.ai.ml import MLClient
from azure.ai.ml.entities import (
    CodeConfiguration,
    DataCollector,
    DeploymentCollection,
    Environment,
    ManagedOnlineDeployment,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:environment]
monitored_env = Environment(
    name="diabetes-serving-monitored",
    description="Chapter 18's serving packages plus azureml-ai-monitoring",
    image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    conda_file="collector-env.yml",
)
ml_client.environments.create_or_update(monitored_env)
# --8<-- [end:environment]

# --8<-- [start:deployment]
collector = DataCollector(
    collections={  # one entry per Collector(name=...) in score.py
        "model_inputs": DeploymentCollection(enabled="true"),
        "model_outputs": DeploymentCollection(enabled="true"),
    },
    sampling_rate=1.0,  # keep every request; 0.1 would keep one in ten
)
blue = ManagedOnlineDeployment(
    name="blue",  # chapter 18's deployment, updated in place
    endpoint_name="diabetes-endpoint",
    model="azureml:diabetes-custom:1",
    code_configuration=CodeConfiguration(code="./src", scoring_script="score.py"),
    environment="diabetes-serving-monitored@latest",
    instance_type="Standard_DS3_v2",
    instance_count=1,
    data_collector=collector,
)
ml_client.online_deployments.begin_create_or_update(blue).result()
# --8<-- [end:deployment]

# --8<-- [start:assets]
# The SDK registered one data asset per collection, pointing where the collector writes
for collection in ("model_inputs", "model_outputs"):
    asset = ml_client.data.get(f"diabetes-endpoint-blue-{collection}", version="1")
    print(f"{asset.name} ({asset.type}): {asset.path}")
# --8<-- [end:assets]
