"""Find the latest version of a model, list its versions, and archive one you no longer use."""

from azure.ai.ml import MLClient
from azure.ai.ml.constants import ListViewType
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:versions]
name = "diabetes-classifier"

latest = ml_client.models.get(name=name, label="latest")
print(f"Latest: version {latest.version}, type {latest.type}, from {latest.path}")

for version in ml_client.models.list(name=name):
    print(version.name, version.version, version.tags)
# --8<-- [end:versions]

# --8<-- [start:archive]
# Hide version 1 from lists; jobs and deployments that use it keep working
ml_client.models.archive(name=name, version="1")

# Archived versions are still there when you ask for them
archived = list(ml_client.models.list(name=name, list_view_type=ListViewType.ARCHIVED_ONLY))
# --8<-- [end:archive]
