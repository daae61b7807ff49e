from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import JobResourceConfiguration, QueueSettings
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:job]
job = command(
    code="./src",
    command="python train.py",
    environment="AzureML-sklearn-1.5@latest",
    # No compute=...: Azure ML runs the job on serverless compute.
    resources=JobResourceConfiguration(instance_type="Standard_DS3_v2", instance_count=1),
    queue_settings=QueueSettings(job_tier="spot"),  # or "standard" for dedicated VMs
    experiment_name="serverless-training",
    display_name="train-on-serverless",
)
returned_job = ml_client.jobs.create_or_update(job)
print(returned_job.name)
# --8<-- [end:job]
