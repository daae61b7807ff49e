"""Create the Azure OpenAI connection that the chat flow's LLM node names."""

import os

from azure.ai.ml import MLClient
from azure.ai.ml.entities import AzureOpenAIConnection
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:connection]
connection = AzureOpenAIConnection(
    name="aoai-connection",  # the name in flow.dag.yaml
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],  # https://<resource>.openai.azure.com/
    api_key=os.environ["AZURE_OPENAI_API_KEY"],  # kept in the workspace's key vault, never in the flow
)
created = ml_client.connections.create_or_update(connection)
print(f"Connection {created.name} points at {created.target}")
# --8<-- [end:connection]
