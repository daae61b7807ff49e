"""Provision the secure workspace's managed virtual network now, rather than with its first compute."""

from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:provision]
# A long-running operation: Azure creates the network, its private endpoints and, for FQDN
# rules, its Azure Firewall. Without include_spark, serverless Spark can't use the network.
poller = ml_client.workspaces.begin_provision_network(workspace_name="mlw-dp100-secure", include_spark=False)
status = poller.result()
print(f"managed network: {status.status.value}, ready for Spark: {status.spark_ready}")

# The workspace reports the same status, and each outbound rule its own.
secure = ml_client.workspaces.get("mlw-dp100-secure")
for rule in secure.managed_network.outbound_rules:
    print(f"{rule.name}: {rule.type}, {rule.category.value}, {rule.status.value}")
# --8<-- [end:provision]
