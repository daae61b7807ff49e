from azure.ai.ml import MLClient
from azure.ai.ml.entities import CodeConfiguration, ManagedOnlineDeployment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
ENDPOINT = "diabetes-endpoint"

# --8<-- [start:green]
green = ManagedOnlineDeployment(
    name="green",
    endpoint_name=ENDPOINT,
    model="azureml:diabetes-custom:2",  # the new version of the model
    code_configuration=CodeConfiguration(code="./src", scoring_script="score.py"),
    environment="diabetes-serving@latest",  # in Python, a label without the azureml: prefix
    instance_type="Standard_DS3_v2",
    instance_count=1,
)
ml_client.online_deployments.begin_create_or_update(green).result()  # 0 % of the traffic for now

# Naming a deployment bypasses the traffic rules: test green on its own
response = ml_client.online_endpoints.invoke(
    endpoint_name=ENDPOINT, request_file="sample-request.json", deployment_name="green"
)
print("green says:", response)
# --8<-- [end:green]

# --8<-- [start:mirror]
endpoint = ml_client.online_endpoints.get(name=ENDPOINT)
endpoint.mirror_traffic = {"green": 10}  # copy 10 % of requests to green; its answers are discarded
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:mirror]

# --8<-- [start:canary]
endpoint.mirror_traffic = {"green": 0}  # a deployment gets live or mirrored traffic, never both
endpoint.traffic = {"blue": 90, "green": 10}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:canary]

# --8<-- [start:switch]
endpoint.traffic = {"blue": 0, "green": 100}
ml_client.online_endpoints.begin_create_or_update(endpoint).result()

# blue no longer receives traffic, so it can go
ml_client.online_deployments.begin_delete(name="blue", endpoint_name=ENDPOINT).result()
# --8<-- [end:switch]
