"""Deploy two catalog models as serverless APIs: one Microsoft offers, one sold through Azure Marketplace."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import MarketplaceSubscription, ServerlessEndpoint
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:microsoft]
# A model Microsoft offers (the azureml registry): no Marketplace subscription needed.
# The model id has no version: a serverless API always serves the model's latest version.
phi = ServerlessEndpoint(name="phi4-study-notes", model_id="azureml://registries/azureml/models/Phi-4")
phi = ml_client.serverless_endpoints.begin_create_or_update(phi).result()
print(f"{phi.name}: {phi.scoring_uri}")
# --8<-- [end:microsoft]

# --8<-- [start:marketplace]
# A model from another provider is billed through Azure Marketplace: subscribe the workspace first
# (this accepts the offer's terms), once per workspace and offer.
llama_id = "azureml://registries/azureml-meta/models/Meta-Llama-3-8B-Instruct"
subscription = MarketplaceSubscription(name="meta-llama-3-8b-instruct", model_id=llama_id)
subscription = ml_client.marketplace_subscriptions.begin_create_or_update(subscription).result()
print(f"{subscription.name}: {subscription.status}")

llama = ServerlessEndpoint(name="llama3-8b-study-notes", model_id=llama_id)
llama = ml_client.serverless_endpoints.begin_create_or_update(llama).result()
print(f"{llama.name}: {llama.scoring_uri}")
# --8<-- [end:marketplace]

# --8<-- [start:keys]
# Serverless APIs made through azure-ai-ml authenticate callers with a key: read it when you need it,
# keep it in a secret store, never in code. (1.35.2 sends no auth_mode, so the endpoint is "key".)
keys = ml_client.serverless_endpoints.get_keys(llama.name)
print(f"{llama.name} uses {llama.auth_mode} auth; a key is {len(keys.primary_key)} characters long")
# --8<-- [end:keys]
