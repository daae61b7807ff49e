from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:asset]
my_data = Data(
    name="diabetes-data",
    version="1",
    description="One CSV file of patient measurements",
    type=AssetTypes.URI_FILE,
    path="azureml://datastores/workspaceblobstore/paths/diabetes/diabetes.csv",
)
ml_client.data.create_or_update(my_data)
# --8<-- [end:asset]
