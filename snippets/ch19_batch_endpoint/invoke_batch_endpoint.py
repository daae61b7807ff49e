from azure.ai.ml import Input, MLClient
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:invoke]
# A folder data asset holding the CSV files to score
input_data = Input(type=AssetTypes.URI_FOLDER, path="azureml:diabetes-batch-data:1")

job = ml_client.batch_endpoints.invoke(
    endpoint_name="diabetes-batch",
    input=input_data,
    deployment_name="diabetes-logreg",  # leave out to use the default deployment
)
print(f"Started batch job {job.name}")
# --8<-- [end:invoke]

# --8<-- [start:watch]
ml_client.jobs.stream(job.name)  # prints the log until the job ends
finished = ml_client.jobs.get(job.name)
print(f"Job {finished.name} ended with status {finished.status}")
# --8<-- [end:watch]

# --8<-- [start:download]
# The predictions file is the job's output named "score"
ml_client.jobs.download(name=job.name, output_name="score", download_path="./results")
# --8<-- [end:download]
