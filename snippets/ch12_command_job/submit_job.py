from azure.ai.ml import Input, MLClient, command
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:environment]
# A custom environment: a Microsoft base image plus our conda file.
training_env = Environment(
    image="mcr.microsoft.com/azureml/openmpi5.0-ubuntu24.04:latest",
    conda_file="conda.yml",
)
# --8<-- [end:environment]

# --8<-- [start:job]
job = command(
    code="./src",  # this folder is uploaded and becomes the working directory
    command="python train.py --training_data ${{inputs.diabetes_data}} --reg_rate ${{inputs.reg_rate}}",
    inputs={
        "diabetes_data": Input(type=AssetTypes.URI_FILE, path="azureml:diabetes-data:1"),
        "reg_rate": 0.01,
    },
    environment=training_env,
    compute="cpu-cluster",
    display_name="diabetes-train-logreg",
    experiment_name="diabetes-training",
)

returned_job = ml_client.jobs.create_or_update(job)
print(f"Submitted {returned_job.name}; studio link: {returned_job.studio_url}")
ml_client.jobs.stream(returned_job.name)  # prints the log until the job ends
# --8<-- [end:job]
