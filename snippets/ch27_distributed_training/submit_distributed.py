from azure.ai.ml import MLClient, Output, PyTorchDistribution, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:job]
job = command(
    code="./src",
    command="python train_ddp.py --learning_rate ${{inputs.learning_rate}} "
    "--epochs ${{inputs.epochs}} --model_dir ${{outputs.model}}",
    inputs={"learning_rate": 0.1, "epochs": 5},
    outputs={"model": Output(type=AssetTypes.URI_FOLDER)},
    environment=Environment(
        image="mcr.microsoft.com/azureml/openmpi4.1.0-cuda11.8-cudnn8-ubuntu22.04:latest",
        conda_file="conda.yml",
    ),
    compute="gpu-cluster",
    instance_count=2,  # nodes
    # processes per node: one per GPU
    distribution=PyTorchDistribution(process_count_per_instance=1),
    experiment_name="ddp-classifier",
    display_name="ddp-lr-0.1",
)

returned_job = ml_client.jobs.create_or_update(job)
print(f"Submitted {returned_job.name}; studio link: {returned_job.studio_url}")
# Wait for the job; for a distributed job, this prints process 0's log
ml_client.jobs.stream(returned_job.name)
# --8<-- [end:job]
