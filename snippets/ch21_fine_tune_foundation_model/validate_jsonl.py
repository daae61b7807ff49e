"""Check a chat-completion JSONL file before you upload it for fine-tuning.

Usage: python validate_jsonl.py train.jsonl
"""

import argparse
import json
import sys
from pathlib import Path

ROLES = {"system", "user", "assistant"}


# --8<-- [start:check_line]
def check_line(text: str) -> str | None:
    """Return what is wrong with one line of the file, or None if it is a valid example."""
    try:
        record = json.loads(text)
    except json.JSONDecodeError as error:
        return f"not valid JSON ({error.msg})"
    messages = record.get("messages") if isinstance(record, dict) else None
    if not isinstance(messages, list) or not messages:
        return "no 'messages' list"
    for message in messages:
        if not isinstance(message, dict) or message.get("role") not in ROLES:
            return f"each message needs a role out of {sorted(ROLES)}"
        if not str(message.get("content") or "").strip():
            return f"empty content in a {message['role']} message"

    roles = [message["role"] for message in messages]
    turns = roles[1:] if roles[0] == "system" else roles  # one optional system message first
    expected = ["user", "assistant"] * len(turns)  # then user and assistant take turns
    if not turns or turns != expected[: len(turns)]:
        return f"roles out of order: {', '.join(roles)}"
    if turns[-1] != "assistant":
        return "the last message must be the assistant's answer"
    return None
# --8<-- [end:check_line]


# --8<-- [start:main]
def main() -> None:
    parser = argparse.ArgumentParser(description="Validate a chat-completion JSONL file.")
    parser.add_argument("path", nargs="?", default="train.jsonl")
    path = Path(parser.parse_args().path)

    examples = messages = 0
    for number, text in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        problem = check_line(text)
        if problem:
            sys.exit(f"{path.name}, line {number}: {problem}")  # exit code 1
        examples += 1
        messages += len(json.loads(text)["messages"])
    if examples == 0:
        sys.exit(f"{path.name}: no examples")
    print(f"{path.name}: {examples} examples, {messages} messages, all valid")


if __name__ == "__main__":
    main()
# --8<-- [end:main]
