"""How the fake model deployment (``chat_model.py``) uses the tools a request offers.

A Chat Completions request may list ``tools`` (``{"type": "function", "function": {"name",
"description", "parameters"}}``). A model then either asks for a call, with an assistant message
that has ``tool_calls`` and no content (finish reason ``tool_calls``), or, once the caller has sent
the results back as ``role: tool`` messages, answers in words. ``respond`` is a pure function of
the messages and the request, with these rules:
- no ``tools`` in the request: not its kind (``None``, another responder answers);
- no ``tool`` message after the latest user message yet: it calls the one function whose name
  (split at ``_``) and description share the most content words (``chat_answers.content_words``)
  with that user message; on a tie, the one listed first; when none shares a word, it calls none
  (``None``). The arguments are filled from the function's JSON schema, for its ``required``
  properties: a string gets the user's message; a string with an ``enum`` gets the first value
  the message mentions, else the first value; an integer or number gets the first number in the
  message, else 0; a boolean gets ``false``. The call's id is a hash of the name, arguments and
  the message's position, so the same conversation gets the same id;
- a ``tool`` message after the latest user message: it answers that message from the tool
  results as ``chat_answers.assistant`` answers from a ``Context:`` section (extractive, brief
  when the system message asks for brevity), never calling a tool twice for one question.
"""

from __future__ import annotations

import hashlib
import json
import re

from tests.fake_azure.chat_answers import assistant, content_words, text_of

NUMBER = re.compile(r"-?\d+(?:\.\d+)?")


def respond(messages: list[dict], body: dict) -> str | dict | None:
    functions = [tool["function"] for tool in body.get("tools") or [] if tool.get("type") == "function"]
    users = [index for index, message in enumerate(messages) if message.get("role") == "user"]
    if not functions or not users:
        return None
    latest = users[-1]
    question = text_of(messages[latest])
    results = [text_of(m) for m in messages[latest + 1:] if m.get("role") == "tool"]
    if results:
        instructions = [m for m in messages if m.get("role") in ("system", "developer")]
        context = {"role": "user", "content": "Context:\n" + "\n".join(results) + "\n" + question}
        return assistant([*instructions, context], body)
    chosen = best_function(functions, question)
    if chosen is None:
        return None
    arguments = json.dumps(fill_arguments(chosen.get("parameters") or {}, question))
    digest = hashlib.blake2b(f"{chosen['name']}|{arguments}|{latest}".encode(), digest_size=12).hexdigest()
    call = {"id": f"call_{digest}", "type": "function", "function": {"name": chosen["name"], "arguments": arguments}}
    return {"role": "assistant", "content": None, "tool_calls": [call]}


def best_function(functions: list[dict], question: str) -> dict | None:
    """The function whose name and description share the most content words with ``question``."""
    asked = content_words(question)
    scores = [len(asked & content_words(f"{f['name'].replace('_', ' ')} {f.get('description', '')}"))
              for f in functions]
    best = max(range(len(functions)), key=lambda index: (scores[index], -index))
    return functions[best] if scores[best] else None


def fill_arguments(schema: dict, question: str) -> dict:
    """Values for the schema's required properties, taken from the user's message."""
    properties = schema.get("properties") or {}
    return {name: _value(properties.get(name) or {}, question) for name in schema.get("required") or []}


def _value(prop: dict, question: str):
    kind = prop.get("type")
    if prop.get("enum"):
        lowered = question.lower()
        return next((value for value in prop["enum"] if str(value).lower() in lowered), prop["enum"][0])
    if kind in ("integer", "number"):
        found = NUMBER.search(question)
        number = float(found[0]) if found else 0
        return int(number) if kind == "integer" else number
    if kind == "boolean":
        return False
    return question
