"""Run every prompt variant in prompts/ over the test set; keep each answer and its token usage.

The .prompty files read the Foundry resource's endpoint from AZURE_OPENAI_ENDPOINT and sign in with
DefaultAzureCredential (az login on a laptop, a managed identity in Azure): there is no key.
Usage: python run_variants.py   (writes runs/<variant>.jsonl)
"""

import hashlib
import json
from pathlib import Path

import prompty

PROMPTS = Path("prompts")
TEST_SET = Path("data/questions.jsonl")
RUNS = Path("runs")


# --8<-- [start:blob]
def git_blob_id(path: Path) -> str:
    """The id Git gives the file's content (`git hash-object`): which prompt text ran."""
    content = path.read_bytes()
    return hashlib.sha1(b"blob %d\0" % len(content) + content, usedforsecurity=False).hexdigest()
# --8<-- [end:blob]


# --8<-- [start:run]
def run_variant(prompt_file: Path, rows: list[dict]) -> list[dict]:
    agent = prompty.load(prompt_file)
    blob = git_blob_id(prompt_file)
    results = []
    for row in rows:
        messages = prompty.prepare(agent, {"question": row["question"], "context": row["context"]})
        response = prompty.run(agent, messages, raw=True)  # raw: the response, usage included
        results.append({
            **row,
            "answer": prompty.process(agent, response),
            "prompt_tokens": response.usage.prompt_tokens,
            "completion_tokens": response.usage.completion_tokens,
            "prompt_blob": blob,
        })
    return results
# --8<-- [end:run]


# --8<-- [start:main]
if __name__ == "__main__":
    rows = [json.loads(line) for line in TEST_SET.read_text().splitlines() if line.strip()]
    RUNS.mkdir(exist_ok=True)
    for prompt_file in sorted(PROMPTS.glob("*.prompty")):
        variant = prompt_file.stem.removeprefix("answer_")
        results = run_variant(prompt_file, rows)
        (RUNS / f"{variant}.jsonl").write_text("".join(json.dumps(r) + "\n" for r in results))
        print(f"{variant}: {len(results)} answers")
# --8<-- [end:main]
