"""Create a second workspace for confidential work: its own identities, a managed virtual network
that lets out only what you approve, and no public network access."""

from azure.ai.ml import MLClient
from azure.ai.ml.constants import ManagedServiceIdentityType
from azure.ai.ml.entities import (
    FqdnDestination,
    IdentityConfiguration,
    IsolationMode,
    ManagedIdentityConfiguration,
    ManagedNetwork,
    PrivateEndpointDestination,
    ServiceTagDestination,
    Workspace,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
lab = ml_client.workspaces.get()  # the workspace config.json names: its group and storage account
group_id = f"/subscriptions/{ml_client.subscription_id}/resourceGroups/{ml_client.resource_group_name}"

# --8<-- [start:identity]
# The identity that create_identities.sh made and gave read access to the training data.
identities = f"{group_id}/providers/Microsoft.ManagedIdentity/userAssignedIdentities"
training_identity = f"{identities}/id-dp100-training"

identity = IdentityConfiguration(
    type=ManagedServiceIdentityType.SYSTEM_ASSIGNED_USER_ASSIGNED,
    user_assigned_identities=[ManagedIdentityConfiguration(resource_id=training_identity)],
)
# --8<-- [end:identity]

# --8<-- [start:network]
network = ManagedNetwork(
    isolation_mode=IsolationMode.ALLOW_ONLY_APPROVED_OUTBOUND,
    outbound_rules=[
        # Python packages for environments: FQDN rules (they bring an Azure Firewall, at a cost)
        FqdnDestination(name="pypi", destination="pypi.org"),
        FqdnDestination(name="pypi-files", destination="files.pythonhosted.org"),
        # The lab workspace's storage account, where the training data already is: a private endpoint
        PrivateEndpointDestination(
            name="lab-data-blob",
            service_resource_id=lab.storage_account,
            subresource_target="blob",
        ),
        # Azure Data Factory, which hands data to the workspace, by its service tag
        ServiceTagDestination(
            name="data-factory", service_tag="DataFactory", protocol="TCP", port_ranges="443"
        ),
    ],
)
# --8<-- [end:network]

# --8<-- [start:create]
secure = Workspace(
    name="mlw-dp100-secure",
    location=lab.location,
    display_name="DP-100 secure workspace",
    identity=identity,
    managed_network=network,
    public_network_access="Disabled",  # reached only through a private endpoint
    system_datastores_auth_mode="identity",  # the built-in datastores keep no account key
)
created = ml_client.workspaces.begin_create(secure).result()
network_status = created.managed_network.status.status.value  # Inactive until it is provisioned
rule_count = len(created.managed_network.outbound_rules)
print(f"{created.name}: {rule_count} outbound rules, network {network_status}")
# --8<-- [end:create]
