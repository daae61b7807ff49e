"""Create synthetic training conversations from a text with azure-ai-evaluation's Simulator.

Runs in the evaluation environment (chapter 33's requirements.txt). Needs AZURE_OPENAI_ENDPOINT;
signs in with DefaultAzureCredential (no keys). Usage: python simulate_conversations.py
"""

import asyncio
import json
import os
from pathlib import Path

from azure.ai.evaluation.simulator import Simulator
from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import AsyncAzureOpenAI

ENDPOINT = os.environ["AZURE_OPENAI_ENDPOINT"]
token_provider = get_bearer_token_provider(
    DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
)

# --8<-- [start:target]
# The application under simulation: it answers from the study guide, briefly.
assistant = AsyncAzureOpenAI(
    azure_endpoint=ENDPOINT, azure_ad_token_provider=token_provider, api_version="2024-10-21"
)
GUIDE = Path("study_guide.txt").read_text(encoding="utf-8")
SYSTEM = "You are a study assistant for Azure fine-tuning. Answer in one sentence."


async def study_assistant(messages: dict, stream=False, session_state=None, context=None) -> dict:
    conversation = messages["messages"]
    reply = await assistant.chat.completions.create(
        model="gpt-4.1-mini",  # the deployment that serves the app
        messages=[
            {"role": "system", "content": f"{SYSTEM}\nContext:\n{GUIDE}"},
            *({"role": m["role"], "content": m["content"]} for m in conversation),
        ],
    )
    answer = {"role": "assistant", "content": reply.choices[0].message.content}
    return {"messages": [*conversation, answer], "stream": stream,
            "session_state": session_state, "context": context}
# --8<-- [end:target]


# --8<-- [start:simulate]
async def main() -> None:
    # The simulator's own model writes the questions and plays the user.
    simulator = Simulator(model_config={
        "azure_endpoint": ENDPOINT, "azure_deployment": "gpt-4.1", "api_version": "2024-10-21",
    })
    conversations = await simulator(
        target=study_assistant,
        text=GUIDE,  # questions are drawn from this text
        num_queries=20,  # one conversation per question
        max_conversation_turns=1,  # one question, one answer (see the warning below)
        api_call_delay_sec=0,  # raise it if the deployment answers 429
    )
    with open("simulated.jsonl", "w", encoding="utf-8") as out:
        for conversation in conversations:
            out.write(json.dumps(conversation, ensure_ascii=False) + "\n")
    print(f"simulated.jsonl: {len(conversations)} conversations")


asyncio.run(main())
# --8<-- [end:simulate]
