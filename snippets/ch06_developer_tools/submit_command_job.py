from azure.ai.ml import MLClient, command
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

job = command(
    code="./src",  # uploaded as a snapshot with the job
    command="python train.py",
    environment="azureml:AzureML-sklearn-1.5@latest",  # a curated environment
    compute="cpu-cluster",
    experiment_name="dp100-developer-tools",
    display_name="train-iris-classifier",
)

returned_job = ml_client.jobs.create_or_update(job)
print(f"Submitted {returned_job.name}")
print(f"Follow it in the studio: {returned_job.studio_url}")
