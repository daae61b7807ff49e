"""Create a hub and a project bound to it: the hub-based shape of a Foundry project, through azure-ai-ml."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import Hub, Project
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
lab = ml_client.workspaces.get()  # the workspace config.json names: its region and resource group

# --8<-- [start:hub]
hub = Hub(
    name="hub-ai300",
    location=lab.location,
    display_name="AI-300 hub",
    description="Shared security, storage and connections for the GenAIOps projects",
    public_network_access="Disabled",  # reached through a private endpoint only
)
hub = ml_client.workspaces.begin_create(hub).result()
# --8<-- [end:hub]

# --8<-- [start:project]
project = Project(
    name="proj-ai300-chat",
    hub_id=hub.id,  # a project belongs to exactly one hub, named by its resource id
    display_name="Chat assistant",
    description="Prompts, evaluations and deployments of one team's chat app",
)
project = ml_client.workspaces.begin_create(project).result()
print(f"{project.name} ({type(project).__name__}) in {project.location}, hub {project.hub_id.rsplit('/', 1)[-1]}")
# --8<-- [end:project]
