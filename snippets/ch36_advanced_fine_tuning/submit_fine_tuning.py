"""Fine-tune gpt-4.1-mini on the curated data: supervised first, then preference tuning (DPO).

Run after curate_and_register.py wrote train.jsonl and validation.jsonl. Needs
AZURE_OPENAI_ENDPOINT (https://<resource>.openai.azure.com); signs in with Microsoft Entra ID
(the Cognitive Services OpenAI Contributor role on the resource).
Usage: python submit_fine_tuning.py
"""

import os
import time

from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import OpenAI

# --8<-- [start:client]
client = OpenAI(  # the v1 API: no api-version to pick
    base_url=f"{os.environ['AZURE_OPENAI_ENDPOINT'].rstrip('/')}/openai/v1/",
    api_key=get_bearer_token_provider(
        DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
    ),
)
BASE_MODEL = "gpt-4.1-mini-2025-04-14"  # a dated version; it takes supervised and DPO tuning
POLL_SECONDS = 60
FINISHED = {"succeeded", "failed", "cancelled"}


def upload(path: str) -> str:
    with open(path, "rb") as file:
        return client.files.create(file=file, purpose="fine-tune").id


def finished(job):
    while job.status not in FINISHED:
        time.sleep(POLL_SECONDS)
        job = client.fine_tuning.jobs.retrieve(job.id)
    print(f"{job.id}: {job.status}, model {job.fine_tuned_model}")
    return job
# --8<-- [end:client]


# --8<-- [start:supervised]
supervised = finished(client.fine_tuning.jobs.create(
    model=BASE_MODEL,
    training_file=upload("train.jsonl"),
    validation_file=upload("validation.jsonl"),
    method={"type": "supervised", "supervised": {"hyperparameters": {
        "n_epochs": 3, "batch_size": 1, "learning_rate_multiplier": 0.1,
    }}},
    suffix="study-assistant",
    seed=36,  # the same seed and data give the same job
))
# --8<-- [end:supervised]

# --8<-- [start:dpo]
preference = finished(client.fine_tuning.jobs.create(
    model=supervised.fine_tuned_model,  # DPO continues from the supervised model
    training_file=upload("preferences.jsonl"),
    method={"type": "dpo", "dpo": {"hyperparameters": {"beta": 0.1, "n_epochs": 2}}},
    suffix="assistant-tone",  # up to 18 characters, added to the model name
    seed=36,
))
# --8<-- [end:dpo]
