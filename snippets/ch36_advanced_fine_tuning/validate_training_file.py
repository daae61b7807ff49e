"""Check a fine-tuning file against the rules of its method before you upload it.

Usage: python validate_training_file.py {supervised,dpo,reinforcement} FILE.jsonl
"""

import argparse
import json
import sys
from pathlib import Path

MIN_EXAMPLES = 10  # Azure refuses a training file with fewer
MAX_BYTES = 512 * 1024 * 1024  # and one of 512 MB or more
ROLES = {"system", "developer", "user", "assistant", "tool"}


# --8<-- [start:rules]
def chat_problem(messages) -> str | None:
    """What is wrong with a list of chat messages, whatever the method."""
    if not isinstance(messages, list) or not messages:
        return "needs a non-empty list of messages"
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return f"every message needs a role out of {sorted(ROLES)}"
    return None


def supervised_problem(row: dict) -> str | None:
    messages = row.get("messages")
    if problem := chat_problem(messages):
        return problem
    if not any(m["role"] == "assistant" for m in messages):
        return "no assistant message to learn from"
    for message in messages:  # weight 0 skips an assistant turn in training
        if "weight" not in message:
            continue
        if message["role"] != "assistant" or message["weight"] not in (0, 1):
            return "weight is 0 or 1, and only on assistant messages"
    return None


def dpo_problem(row: dict) -> str | None:
    if problem := chat_problem((row.get("input") or {}).get("messages")):
        return f"input: {problem}"
    for side in ("preferred_output", "non_preferred_output"):  # exactly these two answers
        output = row.get(side)
        if not isinstance(output, list) or not any(m.get("role") == "assistant" for m in output):
            return f"{side} needs an assistant message"
        if any(m.get("role") not in ("assistant", "tool") for m in output):
            return f"{side} holds only assistant or tool messages"
    return None


def reinforcement_problem(row: dict) -> str | None:
    messages = row.get("messages")
    if problem := chat_problem(messages):
        return problem
    if messages[-1]["role"] != "user":
        return "the last message is the user's: the model answers it and the grader scores that"
    return None  # other fields (the reference answer) are for the grader


RULES = {"supervised": supervised_problem, "dpo": dpo_problem,
         "reinforcement": reinforcement_problem}
# --8<-- [end:rules]


# --8<-- [start:file]
def file_problems(path: Path, method: str) -> tuple[int, list[str]]:
    """The number of examples in the file and what is wrong with it, line by line."""
    if path.stat().st_size >= MAX_BYTES:
        return 0, ["the file must be smaller than 512 MB"]
    try:
        text = path.read_bytes().decode("utf-8-sig")  # UTF-8, with or without a byte-order mark
    except UnicodeDecodeError:
        return 0, ["the file is not UTF-8"]
    problems, examples = [], 0
    for number, line in enumerate(text.splitlines(), start=1):
        try:
            row = json.loads(line)
        except json.JSONDecodeError as error:
            problems.append(f"line {number}: not JSON ({error.msg})")
            continue
        examples += 1
        problem = RULES[method](row) if isinstance(row, dict) else "not a JSON object"
        if problem:
            problems.append(f"line {number}: {problem}")
    if examples < MIN_EXAMPLES:
        problems.append(f"{examples} examples; a training file needs at least {MIN_EXAMPLES}")
    return examples, problems


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("method", choices=sorted(RULES))
    parser.add_argument("path", type=Path)
    arguments = parser.parse_args()
    examples, problems = file_problems(arguments.path, arguments.method)
    for problem in problems:
        print(f"{arguments.path.name}: {problem}")
    if problems:
        sys.exit(1)
    print(f"{arguments.path.name}: {examples} {arguments.method} examples, all valid")


if __name__ == "__main__":
    main()
# --8<-- [end:file]
