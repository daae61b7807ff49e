"""What the fake model deployment answers azure-ai-evaluation's ``Simulator`` (1.18.10), deterministically.

The simulator turns a text into questions with its prompt ``task_query_response.prompty``
(``azure/ai/evaluation/simulator/_prompty/``: "...a Question/Answer quiz from Text...", one system
message, ``response_format: json_object``). The reader's text sits between the last ``<|text_start|>``
and ``<|text_end|>`` (the first pair is the prompt's own example) and ``Output with N QnAs:`` asks for N
pairs. Pair i comes from the text's sentence i (of those with more than three words; it starts again at
the first sentence when N is larger, as a model that runs out of facts repeats itself): its answer ``r``
is the sentence's first number with the word after it, or else its last three words, taken from the
text as is; its question ``q`` is the sentence with ``r`` replaced by "what", ending in a question mark.

The format is the one 1.18.10's parser can read, not the prompt's own example: without promptflow
installed (the evaluation environment has none), the simulator loads its prompts with the package's
own ``_legacy.prompty.AsyncPrompty``, whose result is a dict that holds the parsed answer under
``llm_output``; ``Simulator._generate_query_responses`` takes that dict's first value as the list of
pairs, so only a bare JSON array of ``{"q", "r"}`` objects gets through (``{"qna": [...]}``, as the
prompt shows it, fails with ``TypeError: string indices must be integers``). For the same reason a
second turn cannot be simulated in that environment: the user-simulator prompt's result is indexed with
``["content"]`` and raises ``KeyError`` even when the model answers as asked. This module answers
that prompt all the same (``task_simulate.prompty``: "You should behave as a user who is planning to
accomplish this task: ...", the conversation so far printed after "given the conversation history:" as
a Python list of messages), as the prompt asks: ``{"content": ..., "role": "user"}``, a follow-up about
the last assistant message's last three content words; the tests show the ``KeyError`` with it.
"""

from __future__ import annotations

import ast
import json
import re

from tests.fake_azure.chat_answers import STOPWORDS, text_of

QUIZ = "Question/Answer quiz from Text"
USER = "You should behave as a user who is planning to accomplish this task:"
HISTORY = re.compile(r"given the conversation history:\n(?P<history>\[.*\])\n", re.DOTALL)
TEXT = re.compile(r"<\|text_start\|>\n?(?P<text>.*?)\n?<\|text_end\|>", re.DOTALL)
HOW_MANY = re.compile(r"Output with (?P<count>\d+) QnAs:\s*$")
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
NUMBER = re.compile(r"(?<![\w-])\d(?:[\d,.]*\d)?%?(?:\s+[A-Za-z]+)?")


def respond(messages: list[dict], body: dict) -> str | None:
    prompt = "\n".join(text_of(m) for m in messages if m.get("role") == "system")
    if QUIZ in prompt:
        return _quiz(prompt)
    return _follow_up(prompt) if prompt.startswith(USER) else None


def question_and_answer(sentence: str) -> dict[str, str]:
    """One quiz pair from one sentence of the text."""
    sentence = sentence.strip().rstrip(".!?")
    number = NUMBER.search(sentence)
    answer = number[0].strip() if number else " ".join(sentence.split()[-3:])
    start = number.start() if number else sentence.rindex(answer)
    question = f"{sentence[:start]}what{sentence[start + len(answer):]}".strip()
    return {"q": f"{question[0].upper()}{question[1:]}?", "r": answer}


def _quiz(prompt: str) -> str:
    texts = TEXT.findall(prompt)
    count = HOW_MANY.search(prompt)
    sentences = [s for s in SENTENCE.findall(texts[-1] if texts else "") if len(s.split()) > 3]
    if not sentences or not count:
        return json.dumps([])
    pairs = [question_and_answer(sentences[i % len(sentences)]) for i in range(int(count["count"]))]
    return json.dumps(pairs)


def _follow_up(prompt: str) -> str:
    found = HISTORY.search(prompt)
    history = ast.literal_eval(found["history"]) if found else []
    said = [m.get("content", "") for m in history if m.get("role") == "assistant"]
    words = [w for w in re.findall(r"[A-Za-z][\w-]*", said[-1] if said else "") if w.lower() not in STOPWORDS]
    return json.dumps({"content": f"Can you tell me more about {' '.join(words[-3:]) or 'that'}?", "role": "user"})
