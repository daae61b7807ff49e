"""Create a component directly in the registry: no workspace holds it."""

from azure.ai.ml import MLClient, load_component
from azure.identity import DefaultAzureCredential

# --8<-- [start:component]
registry_client = MLClient(DefaultAzureCredential(), registry_name="reg-contoso-ml")

prep = load_component(source="prep_component.yml")
created = registry_client.components.create_or_update(prep)  # its code goes to the registry's storage
print(created.id)
# --8<-- [end:component]
