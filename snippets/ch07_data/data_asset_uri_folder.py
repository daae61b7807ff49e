from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:asset]
my_folder = Data(
    name="diabetes-folder",
    version="1",
    description="Every file under raw-data/diabetes/ in the data lake",
    type=AssetTypes.URI_FOLDER,
    path="abfss://raw-data@mytestdatalake.dfs.core.windows.net/diabetes/",
)
ml_client.data.create_or_update(my_folder)
# --8<-- [end:asset]
