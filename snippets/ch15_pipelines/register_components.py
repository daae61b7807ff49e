from azure.ai.ml import MLClient, load_component
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:register]
# Register both components so that any pipeline in the workspace can reuse them
for yaml_file in ("prep_data.yml", "train_model.yml"):
    component = load_component(source=yaml_file)
    registered = ml_client.components.create_or_update(component)
    print(f"Registered {registered.name}, version {registered.version}")
# --8<-- [end:register]

# --8<-- [start:reuse]
# Later, in another script or notebook: fetch a registered component by name and version
prep_data = ml_client.components.get(name="prep_diabetes_data", version="1")
print(prep_data.display_name, list(prep_data.inputs), list(prep_data.outputs))
# --8<-- [end:reuse]
