from azure.ai.ml import MLClient
from azure.ai.ml.entities import CodeConfiguration, Environment, ManagedOnlineDeployment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:environment]
serving_env = Environment(
    name="diabetes-serving",
    description="The model's training versions of scikit-learn and NumPy, and the inference server",
    image="mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest",
    conda_file="serving-env.yml",
)
ml_client.environments.create_or_update(serving_env)
# --8<-- [end:environment]

# --8<-- [start:deployment]
blue = ManagedOnlineDeployment(
    name="blue",
    endpoint_name="diabetes-endpoint",
    model="azureml:diabetes-custom:1",  # a registered custom model: one joblib file, model.pkl
    code_configuration=CodeConfiguration(code="./src", scoring_script="score.py"),
    environment="diabetes-serving@latest",  # in Python, a label without the azureml: prefix
    instance_type="Standard_DS3_v2",
    instance_count=1,
)
ml_client.online_deployments.begin_create_or_update(blue).result()  # builds and starts it: minutes
# --8<-- [end:deployment]
