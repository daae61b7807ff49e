"""Chapter 22's FAQ flow (three Python nodes in flow.dag.yaml) as an Agent Framework workflow:
each node becomes an executor, and each ${node.output} reference becomes an edge."""

import asyncio
from typing import Never

from agent_framework import WorkflowBuilder, WorkflowContext, executor
from faq import look_up

STOP_WORDS = {"a", "an", "the", "how", "do", "i", "what", "is", "my", "why", "does", "for", "to"}


# --8<-- [start:executors]
@executor(id="clean_question")
async def clean_question(question: str, ctx: WorkflowContext[set[str]]) -> None:
    words = question.lower().replace("?", " ").split()
    await ctx.send_message({word for word in words if word not in STOP_WORDS})


@executor(id="retrieve_answer")
async def retrieve_answer(keywords: set[str], ctx: WorkflowContext[str]) -> None:
    await ctx.send_message(look_up(keywords) or "none: The FAQ has no answer to this question.")


@executor(id="format_answer")
async def format_answer(found: str, ctx: WorkflowContext[Never, dict]) -> None:
    topic, answer = found.split(": ", 1)
    await ctx.yield_output({"topic": topic, "answer": f"{answer} (FAQ topic: {topic})"})
# --8<-- [end:executors]


# --8<-- [start:workflow]
workflow = (
    WorkflowBuilder(start_executor=clean_question, name="faq-workflow")
    .add_edge(clean_question, retrieve_answer)
    .add_edge(retrieve_answer, format_answer)
    .build()
)


async def main() -> None:
    for question in ["How do I stop a compute instance?", "Which GPU size should I pick?"]:
        result = await workflow.run(question)
        print(question, "->", result.get_outputs())


asyncio.run(main())
# --8<-- [end:workflow]
