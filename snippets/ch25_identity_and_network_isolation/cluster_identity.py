"""A compute cluster that reaches data with a user-assigned managed identity, not with your own."""

from azure.ai.ml import MLClient
from azure.ai.ml.constants import ManagedServiceIdentityType
from azure.ai.ml.entities import AmlCompute, IdentityConfiguration, ManagedIdentityConfiguration
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:cluster]
training_identity = (
    f"/subscriptions/{ml_client.subscription_id}/resourceGroups/{ml_client.resource_group_name}"
    "/providers/Microsoft.ManagedIdentity/userAssignedIdentities/id-dp100-training"
)
cluster = AmlCompute(
    name="cpu-cluster-uai",
    size="STANDARD_DS3_v2",
    min_instances=0,
    max_instances=2,
    # One system-assigned identity, or user-assigned ones: a cluster can't have both.
    identity=IdentityConfiguration(
        type=ManagedServiceIdentityType.USER_ASSIGNED,
        user_assigned_identities=[ManagedIdentityConfiguration(resource_id=training_identity)],
    ),
)
created = ml_client.begin_create_or_update(cluster).result()
(assigned,) = created.identity.user_assigned_identities
print(f"{created.name} reaches storage as {assigned.resource_id.rsplit('/', 1)[-1]}")
# --8<-- [end:cluster]
