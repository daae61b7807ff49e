from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

# --8<-- [start:registry]
credential = DefaultAzureCredential()
ml_client = MLClient.from_config(credential=credential)  # your workspace

# A second client, scoped to the shared "azureml" registry instead of a workspace
registry_client = MLClient(
    credential=credential,
    subscription_id=ml_client.subscription_id,
    resource_group_name=ml_client.resource_group_name,
    registry_name="azureml",
)
# --8<-- [end:registry]

# --8<-- [start:components]
RAI_COMPONENTS = [
    "rai_tabular_insight_constructor",  # starts an empty dashboard from model + data
    "rai_tabular_explanation",  # feature importance
    "rai_tabular_causal",  # causal analysis (EconML)
    "rai_tabular_counterfactual",  # what-if counterfactuals (DiCE)
    "rai_tabular_erroranalysis",  # error tree and heat map
    "rai_tabular_insight_gather",  # joins every insight into one dashboard
]

components = {}
for name in RAI_COMPONENTS:
    components[name] = registry_client.components.get(name=name, label="latest")
    print(f"{name}: version {components[name].version}")
# --8<-- [end:components]
