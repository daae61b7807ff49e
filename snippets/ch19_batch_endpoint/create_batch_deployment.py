from azure.ai.ml import MLClient
from azure.ai.ml.constants import BatchDeploymentOutputAction
from azure.ai.ml.entities import (
    BatchRetrySettings,
    CodeConfiguration,
    ModelBatchDeployment,
    ModelBatchDeploymentSettings,
    ResourceConfiguration,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:deployment]
deployment = ModelBatchDeployment(
    name="diabetes-logreg",
    endpoint_name="diabetes-batch",
    model="azureml:diabetes-model:1",
    code_configuration=CodeConfiguration(code="./src", scoring_script="batch_score.py"),
    environment="azureml:AzureML-sklearn-1.5@latest",
    compute="cpu-cluster",
    resources=ResourceConfiguration(instance_count=2),  # nodes used by each job
    settings=ModelBatchDeploymentSettings(
        mini_batch_size=10,  # files passed to each call of run()
        max_concurrency_per_instance=2,  # run() processes per node
        output_action=BatchDeploymentOutputAction.APPEND_ROW,
        output_file_name="predictions.csv",
        retry_settings=BatchRetrySettings(max_retries=3, timeout=300),  # timeout in seconds
        error_threshold=-1,  # -1: never abort the job because of failed files
        logging_level="info",
    ),
)
ml_client.batch_deployments.begin_create_or_update(deployment).result()
# --8<-- [end:deployment]
