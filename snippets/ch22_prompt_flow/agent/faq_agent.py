"""Chapter 22's chat flow as a Microsoft Agent Framework agent: instructions instead of a Jinja
system message, a Python tool instead of a tool node, a session instead of chat_history."""

import asyncio
import os
from typing import Annotated

from agent_framework import Agent, FunctionInvocationContext, function_middleware, tool
from agent_framework.observability import configure_otel_providers
from agent_framework.openai import OpenAIChatCompletionClient
from azure.identity import DefaultAzureCredential
from faq import look_up
from opentelemetry import trace
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter

# --8<-- [start:trace]
spans = InMemorySpanExporter()  # in production: Azure Monitor, so traces show in Foundry
configure_otel_providers(exporters=[spans])
# --8<-- [end:trace]

# --8<-- [start:client]
client = OpenAIChatCompletionClient(
    model="gpt-4.1-mini",  # the deployment's name
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
    credential=DefaultAzureCredential(),  # Microsoft Entra ID: no key anywhere
)
# --8<-- [end:client]

# --8<-- [start:tool]
@tool
def look_up_faq(question: Annotated[str, "The user's question, in their own words"]) -> str:
    """Look up the Azure ML FAQ: compute instance, compute cluster, data asset, online endpoint."""
    words = set(question.lower().replace("?", "").split())
    return look_up(words) or "The FAQ has no entry about that."
# --8<-- [end:tool]


# --8<-- [start:middleware]
@function_middleware
async def log_tool_calls(context: FunctionInvocationContext, call_next) -> None:
    """Runs around every tool call: a place for logging, policy checks or approvals."""
    print(f"tool {context.function.name}({dict(context.arguments)})")
    await call_next()
# --8<-- [end:middleware]


# --8<-- [start:agent]
INSTRUCTIONS = ("You help people prepare for Azure Machine Learning exams. "
                "Give a brief answer, from what the FAQ tool returns.")
agent = Agent(
    client,
    instructions=INSTRUCTIONS,
    name="faq-agent",
    tools=[look_up_faq],
    middleware=[log_tool_calls],
    default_options={"temperature": 0.1, "max_tokens": 300},  # the 'precise' variant
)
# --8<-- [end:agent]


# --8<-- [start:spans]
def print_spans() -> None:
    trace.get_tracer_provider().force_flush()  # spans are exported in batches
    for span in spans.get_finished_spans():
        used = [span.attributes.get(f"gen_ai.usage.{kind}_tokens") for kind in ("input", "output")]
        print(f"span {span.name}: input and output tokens {used}")
# --8<-- [end:spans]


# --8<-- [start:run]
async def main() -> None:
    session = agent.create_session()  # holds the conversation, as chat_history did
    questions = ["How do I stop a compute instance?", "Why does my compute cluster cost money?"]
    for question in questions:
        response = await agent.run(question, session=session)
        print(f"Q: {question}\nA: {response.text}")
    print_spans()


if __name__ == "__main__":
    asyncio.run(main())
# --8<-- [end:run]
