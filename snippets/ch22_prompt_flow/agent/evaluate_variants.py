"""Chapter 22's batch and evaluation runs, migrated: two variants of the FAQ agent answer every
line of test_lines.jsonl, and local checks grade each answer against its ground truth."""

import asyncio
import json
from pathlib import Path

from agent_framework import Agent, LocalEvaluator, evaluate_agent, evaluator, tool_called_check
from faq_agent import INSTRUCTIONS, client, look_up_faq

LINES = Path(__file__).resolve().parent.parent / "test_lines.jsonl"  # the flow's test data

# --8<-- [start:variants]
VARIANTS = {  # what the chat flow's two variants of its LLM node become
    "precise": Agent(client, instructions=INSTRUCTIONS, tools=[look_up_faq],
                     default_options={"temperature": 0.1, "max_tokens": 300}),
    "creative": Agent(client, instructions="You help people prepare for Azure ML exams.",
                      tools=[look_up_faq], default_options={"temperature": 0.9, "max_tokens": 600}),
}
# --8<-- [end:variants]


# --8<-- [start:evaluate]
@evaluator
def has_ground_truth(response: str, expected_output: str) -> bool:
    return expected_output.lower() in response.lower()


async def main() -> None:
    lines = [json.loads(line) for line in LINES.read_text().splitlines()]
    checks = LocalEvaluator(has_ground_truth, tool_called_check("look_up_faq"))
    for name, agent in VARIANTS.items():
        (results,) = await evaluate_agent(
            agent=agent,
            queries=[line["question"] for line in lines],
            expected_output=[line["ground_truth"] for line in lines],
            evaluators=checks,
        )
        passed = [item.status == "pass" for item in results.items]
        words = sum(len(item.output_text.split()) for item in results.items) / len(lines)
        print(f"{name}: accuracy {sum(passed) / len(lines):.2f}, {words:.1f} words per answer")
        print(f"  {results.per_evaluator}")


asyncio.run(main())
# --8<-- [end:evaluate]
