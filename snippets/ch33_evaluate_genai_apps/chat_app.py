"""The application under test: answers a question from the context it is given."""

import os
from pathlib import Path

from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import AzureOpenAI

# --8<-- [start:app]
SYSTEM_PROMPT = Path("system_prompt.txt").read_text()  # kept in Git, reviewed in pull requests
token_provider = get_bearer_token_provider(
    DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
)
client = AzureOpenAI(
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],  # https://<resource>.openai.azure.com
    azure_ad_token_provider=token_provider,  # Microsoft Entra ID, no API key
    api_version="2024-10-21",
)


def answer(query: str, context: str) -> dict:
    """The target evaluate() calls once per row: its keys become ${target.<key>} columns."""
    completion = client.chat.completions.create(
        model="gpt-4.1-mini",  # the deployment's name
        messages=[
            {"role": "system", "content": SYSTEM_PROMPT},
            {"role": "user", "content": f"Context:\n{context}\n\n{query}"},
        ],
        temperature=0,
    )
    return {"response": completion.choices[0].message.content}
# --8<-- [end:app]
