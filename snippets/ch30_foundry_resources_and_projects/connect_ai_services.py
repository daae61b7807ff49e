"""Connect the hub to a Foundry (AI Services) resource with Microsoft Entra ID: no key is stored."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import AzureAIServicesConnection
from azure.identity import DefaultAzureCredential

credential = DefaultAzureCredential()
lab = MLClient.from_config(credential=credential)  # for the subscription and resource group
group_id = f"/subscriptions/{lab.subscription_id}/resourceGroups/{lab.resource_group_name}"

# --8<-- [start:connect]
# A client scoped to the hub: a connection made here is shared by every project of the hub.
hub_client = MLClient(credential, lab.subscription_id, lab.resource_group_name, workspace_name="hub-ai300")

foundry = "aif-ai300"  # the Foundry resource foundry.bicep deploys
connection = AzureAIServicesConnection(
    name="foundry-ai300",
    endpoint=f"https://{foundry}.services.ai.azure.com/",
    ai_services_resource_id=f"{group_id}/providers/Microsoft.CognitiveServices/accounts/{foundry}",
    # no api_key: callers authenticate with their own Entra ID identity and Azure roles
)
created = hub_client.connections.create_or_update(connection)
print(f"{created.name}: {created.type} at {created.target}, auth {created.credentials.type}")
# --8<-- [end:connect]
