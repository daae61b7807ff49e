"""What a Foundry project offers its code: its connections and the model deployments it can call."""

import os

from azure.ai.projects import AIProjectClient
from azure.identity import DefaultAzureCredential

# --8<-- [start:list]
# The endpoint deploy_foundry.sh printed: https://<resource>.services.ai.azure.com/api/projects/<project>
endpoint = os.environ["PROJECT_ENDPOINT"]

with AIProjectClient(endpoint=endpoint, credential=DefaultAzureCredential()) as project:
    for connection in project.connections.list():
        auth = connection.credentials.type  # AAD: the caller's own identity, no stored key
        print(f"connection {connection.name}: {connection.type} at {connection.target} ({auth})")
    for deployment in project.deployments.list():
        model = f"{deployment.model_publisher} {deployment.model_name} {deployment.model_version}"
        print(f"deployment {deployment.name}: {model}, {deployment.sku.name} x{deployment.sku.capacity}")
# --8<-- [end:list]
