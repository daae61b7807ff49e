from azure.ai.ml import MLClient
from azure.ai.ml.entities import CodeConfiguration, ManagedOnlineDeployment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:deployment]
blue = ManagedOnlineDeployment(
    name="blue",
    endpoint_name="diabetes-endpoint",
    model="azureml:diabetes-custom:1",  # a registered custom model: one joblib file, model.pkl
    code_configuration=CodeConfiguration(code="./src", scoring_script="score.py"),
    environment="azureml:AzureML-sklearn-1.5@latest",
    instance_type="Standard_DS3_v2",
    instance_count=1,
)
ml_client.online_deployments.begin_create_or_update(blue).result()  # builds and starts it: minutes
# --8<-- [end:deployment]
