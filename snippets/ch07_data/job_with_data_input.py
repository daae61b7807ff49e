from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:job]
job = command(
    code=".",  # the folder that holds read_data.py
    command="python read_data.py --input_data ${{inputs.input_data}}",
    inputs={
        "input_data": Input(type=AssetTypes.URI_FILE, path="azureml:diabetes-data:1"),
    },
    environment="AzureML-sklearn-1.5@latest",  # a curated environment with pandas
    compute="cpu-cluster",
    display_name="read-diabetes-data",
    experiment_name="make-data-available",
)
returned_job = ml_client.jobs.create_or_update(job)
print(f"Submitted job {returned_job.name}")
# --8<-- [end:job]
