from azure.ai.ml import Input, MLClient, Output, command
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:job]
job = command(
    code="./src",
    command=(
        "python train.py --training_data ${{inputs.diabetes_data}}"
        " --epochs ${{inputs.epochs}} --alpha ${{inputs.alpha}}"
        " --model_output ${{outputs.model_output}}"
    ),
    inputs={
        "diabetes_data": Input(type=AssetTypes.URI_FILE, path="azureml:diabetes-data:1"),
        "epochs": 20,
        "alpha": 0.0001,
    },
    outputs={"model_output": Output(type=AssetTypes.URI_FOLDER)},
    # A curated environment: it already holds scikit-learn, matplotlib and azureml-mlflow
    environment="azureml:AzureML-sklearn-1.5@latest",
    compute="cpu-cluster",
    display_name="diabetes-sgd-tracked",
    experiment_name="diabetes-training",  # becomes the MLflow experiment of the run
)
# --8<-- [end:job]

# --8<-- [start:submit]
returned_job = ml_client.jobs.create_or_update(job)
print(f"Job {returned_job.name} submitted; its MLflow run ID is the same name")
ml_client.jobs.stream(returned_job.name)
# --8<-- [end:submit]
