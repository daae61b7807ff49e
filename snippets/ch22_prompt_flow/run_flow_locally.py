"""Run the FAQ flow over test_lines.jsonl, then evaluate its answers, all on this machine.

Needs only the promptflow-core package: no language model, connection or Azure resource.
"""

import json
from pathlib import Path

from promptflow.executor import FlowExecutor

lines = [json.loads(text) for text in Path("test_lines.jsonl").read_text().splitlines()]

# --8<-- [start:batch]
# A batch run: the standard flow once per line of data.
faq_flow = FlowExecutor.create(Path("flow.dag.yaml"), connections={}, working_dir=Path("faq_flow"))
answers = [faq_flow.exec_line({"question": line["question"]}, index=i).output for i, line in enumerate(lines)]
# --8<-- [end:batch]

# --8<-- [start:evaluate]
# An evaluation run: the evaluation flow once per line, then its aggregation node once.
eval_flow = FlowExecutor.create(Path("flow.dag.yaml"), connections={}, working_dir=Path("eval_flow"))
inputs = {
    "answer": [answer["answer"] for answer in answers],
    "ground_truth": [line["ground_truth"] for line in lines],
}
results = [
    eval_flow.exec_line({"answer": answer, "ground_truth": truth}, index=i)
    for i, (answer, truth) in enumerate(zip(inputs["answer"], inputs["ground_truth"], strict=True))
]
grades = [result.output["grade"] for result in results]
# Each line hands the aggregation node its share, keyed by reference: {"${grade.output}": "correct"}.
aggregation_inputs = {
    key: [result.aggregation_inputs[key] for result in results]
    for key in results[0].aggregation_inputs
}
summary = eval_flow.exec_aggregation(inputs, aggregation_inputs)
# --8<-- [end:evaluate]

for line, answer, grade in zip(lines, answers, grades, strict=True):
    print(f"{grade:>9}  {line['question']} -> {answer['topic']}")
print(f"metrics: {summary.metrics}")
