from azure.ai.ml import MLClient
from azure.ai.ml.entities import AmlCompute
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:cluster]
gpu_cluster = AmlCompute(
    name="gpu-cluster",
    size="Standard_NC4as_T4_v3",  # 4 vCPUs and one NVIDIA T4 GPU per node
    min_instances=0,  # no node, no cost, while no job runs
    max_instances=2,  # a job can ask for up to 2 nodes at once
    idle_time_before_scale_down=300,  # seconds
)
ml_client.begin_create_or_update(gpu_cluster).result()
# --8<-- [end:cluster]
