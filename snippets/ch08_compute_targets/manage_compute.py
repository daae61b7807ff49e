from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:list]
for compute in ml_client.compute.list():
    print(f"{compute.name}: {compute.type}")
# --8<-- [end:list]

# --8<-- [start:stop]
ml_client.compute.begin_stop("ci-dp100-notes").wait()
# later: ml_client.compute.begin_start("ci-dp100-notes")
# --8<-- [end:stop]

# --8<-- [start:resize]
cluster = ml_client.compute.get("cpu-cluster")
cluster.max_instances = 4
ml_client.compute.begin_update(cluster).result()
# --8<-- [end:resize]
