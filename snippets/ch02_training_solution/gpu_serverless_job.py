import argparse

from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import JobResourceConfiguration
from azure.identity import DefaultAzureCredential

# --8<-- [start:sizes]
VM_SIZES = {
    "cpu": "Standard_DS3_v2",  # 4 vCPUs, 14 GiB: small to medium tabular data
    "gpu": "Standard_NC4as_T4_v3",  # 1 NVIDIA T4 GPU: images, text, deep learning
}
# --8<-- [end:sizes]

parser = argparse.ArgumentParser(description="Submit a training job to serverless compute.")
parser.add_argument("--device", choices=sorted(VM_SIZES), default="gpu")
args = parser.parse_args()

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:job]
job = command(
    code="./src",  # uploaded with the job
    command="python train_digits.py --max-iter 200",
    environment="azureml:AzureML-sklearn-1.5@latest",
    # No compute=...: Azure ML provisions serverless compute for this job.
    resources=JobResourceConfiguration(instance_type=VM_SIZES[args.device], instance_count=1),
    experiment_name="digits-serverless",
    display_name=f"digits-on-{args.device}",
)
returned_job = ml_client.jobs.create_or_update(job)
print(f"Submitted {returned_job.name} on {VM_SIZES[args.device]}")
# --8<-- [end:job]
