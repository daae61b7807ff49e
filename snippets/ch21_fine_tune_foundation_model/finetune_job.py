from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.ai.ml.finetuning import FineTuningTaskType, create_finetuning_job
from azure.identity import DefaultAzureCredential

credential = DefaultAzureCredential()
ml_client = MLClient.from_config(credential=credential)  # your workspace

# --8<-- [start:base_model]
# Catalog models live in registries: "azureml" (Microsoft's, Phi here), azureml-meta, ...
registry_client = MLClient(
    credential=credential,
    subscription_id=ml_client.subscription_id,
    resource_group_name=ml_client.resource_group_name,
    registry_name="azureml",
)
base_model = registry_client.models.get("Phi-4-mini-instruct", label="latest")
base_model_uri = f"azureml://registries/azureml/models/{base_model.name}/versions/{base_model.version}"
print(f"Base model: {base_model_uri}")
# --8<-- [end:base_model]

# --8<-- [start:data]
# Register both JSONL files as data assets: versioned, and reusable by later jobs.
train_data = ml_client.data.create_or_update(
    Data(name="study-buddy-train", version="1", path="train.jsonl", type=AssetTypes.URI_FILE)
)
validation_data = ml_client.data.create_or_update(
    Data(name="study-buddy-validation", version="1", path="validation.jsonl", type=AssetTypes.URI_FILE)
)
# --8<-- [end:data]

# --8<-- [start:job]
job = create_finetuning_job(
    task=FineTuningTaskType.CHAT_COMPLETION,
    model=base_model_uri,
    training_data=f"azureml:{train_data.name}:{train_data.version}",
    validation_data=f"azureml:{validation_data.name}:{validation_data.version}",
    hyperparameters={  # names and values are strings
        "num_train_epochs": "3",
        "learning_rate": "0.00002",
        "per_device_train_batch_size": "1",
    },
    output_model_name_prefix="phi-4-mini-study-buddy",  # name of the registered result
    instance_types=["Standard_NC24ads_A100_v4"],  # serverless GPU compute: no cluster to manage
    display_name="fine-tune-phi-4-mini-study-buddy",
    experiment_name="fine-tune-study-buddy",
)
# --8<-- [end:job]

# --8<-- [start:submit]
returned_job = ml_client.jobs.create_or_update(job)
print(f"Submitted {returned_job.name}; studio link: {returned_job.studio_url}")
# --8<-- [end:submit]
