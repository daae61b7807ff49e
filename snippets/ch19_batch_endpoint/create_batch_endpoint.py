from azure.ai.ml import MLClient
from azure.ai.ml.entities import AmlCompute, BatchEndpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:cluster]
# The cluster from chapter 8: nodes exist only while a job runs
cluster = AmlCompute(
    name="cpu-cluster",
    size="STANDARD_DS3_v2",
    min_instances=0,
    max_instances=2,
    idle_time_before_scale_down=120,  # seconds
    tier="low_priority",
)
ml_client.begin_create_or_update(cluster).result()
# --8<-- [end:cluster]

# --8<-- [start:endpoint]
endpoint = BatchEndpoint(
    name="diabetes-batch",  # unique within the Azure region
    description="Scores folders of patient CSV files with the diabetes classifier",
)
ml_client.batch_endpoints.begin_create_or_update(endpoint).result()
# --8<-- [end:endpoint]
