from azure.ai.ml import MLClient
from azure.ai.ml.entities import Registry, RegistryRegionDetails
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:registry]
registry = Registry(
    name="reg-contoso-ml",  # part of every asset id: it can't be renamed
    location="eastus",  # the primary region: it can't be changed either
    replication_locations=[
        RegistryRegionDetails(location="eastus"),  # the primary region is listed again
        RegistryRegionDetails(location="westeurope"),  # regions can be added later
    ],
    tags={"purpose": "mlops"},
)
created = ml_client.registries.begin_create(registry).result()
print(created.name, [region.location for region in created.replication_locations])
# --8<-- [end:registry]
