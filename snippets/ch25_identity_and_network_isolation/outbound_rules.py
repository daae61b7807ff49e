"""Look after the secure workspace's outbound rules one at a time, without resending the network."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import FqdnDestination, PrivateEndpointDestination
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
rules = ml_client.workspace_outbound_rules

# --8<-- [start:add]
# Conda packages for environments: one more FQDN rule
conda = FqdnDestination(name="conda", destination="conda.anaconda.org")
rules.begin_create("mlw-dp100-secure", conda).result()

# Batch endpoints also need the queue and table services of the workspace's storage account
secure = ml_client.workspaces.get("mlw-dp100-secure")
for service in ("queue", "table"):
    endpoint = PrivateEndpointDestination(
        name=f"batch-{service}", service_resource_id=secure.storage_account, subresource_target=service
    )
    rules.begin_create("mlw-dp100-secure", endpoint).result()
# --8<-- [end:add]

# --8<-- [start:read]
print(rules.get("mlw-dp100-secure", "conda").destination)
for rule in rules.list("mlw-dp100-secure"):
    print(f"{rule.name}: {rule.type} ({rule.category.value})")
# --8<-- [end:read]

# --8<-- [start:remove]
rules.begin_remove("mlw-dp100-secure", "data-factory").result()
# --8<-- [end:remove]
