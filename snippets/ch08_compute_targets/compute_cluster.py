from azure.ai.ml import MLClient
from azure.ai.ml.entities import AmlCompute
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:cluster]
cluster = AmlCompute(
    name="cpu-cluster",
    size="STANDARD_DS3_v2",
    min_instances=0,  # scale to zero when idle: no cost between jobs
    max_instances=2,
    idle_time_before_scale_down=120,  # seconds
    tier="low_priority",  # cheaper, but nodes can be pre-empted
)
ml_client.begin_create_or_update(cluster).result()
# --8<-- [end:cluster]
