"""What the fake model deployment answers azure-ai-evaluation's AI-assisted quality evaluators.

``GroundednessEvaluator``, ``RelevanceEvaluator``, ``CoherenceEvaluator`` and ``FluencyEvaluator``
(azure-ai-evaluation 1.18.10) each render a ``.prompty`` file of the package (``_evaluators/_<name>/``)
and send it as a system and a user message with ``response_format: json_object``. ``judge`` knows
each prompt by what it defines (``**Groundedness** refers to``, ``**Coherence** refers to``,
``**Fluency** refers to``; the relevance prompt's system message ``You are a Relevance-Judge``),
reads the data the prompt quotes (its ``# Data`` block, or the relevance prompt's ``INPUT`` block:
``CONTEXT:``, ``QUERY:``/``CONVERSATION_HISTORY:`` and ``RESPONSE:`` lines) and answers as the
prompt asks and the evaluator's parser (``PromptyEvaluationStrategy.parse``) reads: a JSON object
with ``reason`` (starting ``Let's think step by step:``), an integer ``score`` from 1 to 5 and
``status: completed``; or ``status: skipped`` with a null score when the data it needs is empty.

The score is ``1 + round(4 * share)`` (rounding half up: a share of 0 gives 1, of 1 gives 5), where
the share is, counting content words as ``chat_answers.content_words`` does:
- groundedness: of the response's content words, the share the CONTEXT also holds (what the
  context supports);
- relevance: of the query's content words, the share the response holds (what it addresses);
- coherence: of the response's sentences, the share that share a content word with the query or
  with a sentence before them (pleasantries that connect to nothing lower it);
- fluency: of the response's sentences, the share that are well formed: they begin with a capital
  letter or a digit and end with ``.``, ``!`` or ``?``.
A real model judges meaning; this judge counts words, so its scores show that the pipeline works
(prompts rendered, answers parsed, results aggregated), not how a real model would score.
"""

from __future__ import annotations

import json
import math
import re

from tests.fake_azure.chat_answers import SENTENCE, content_words, text_of

DEFINES = re.compile(r"\*\*(Groundedness|Coherence|Fluency)\*\* refers to")
RELEVANCE_JUDGE = "You are a Relevance-Judge"
DATA_BLOCKS = (re.compile(r"\n# Data\n(?P<data>.*?)\n\n\n# Tasks", re.DOTALL),
               re.compile(r"\nINPUT\n=+\n(?P<data>.*?)\n\nCONVERSATION_HISTORY is the", re.DOTALL))
FIELD = re.compile(r"^(CONTEXT|QUERY|CONVERSATION_HISTORY|RESPONSE): ?", re.MULTILINE)
NEEDS = {"groundedness": ("CONTEXT", "RESPONSE"), "relevance": ("QUERY", "RESPONSE"),
         "coherence": ("QUERY", "RESPONSE"), "fluency": ("RESPONSE",)}
WELL_FORMED = re.compile(r"^[A-Z0-9].*[.!?]$", re.DOTALL)


def judge(messages: list[dict], body: dict) -> str | None:
    """The judge's JSON answer to an evaluator's prompt, or None when the prompt is not one."""
    metric = metric_of(messages)
    if metric is None:
        return None
    data = quoted_data("\n".join(text_of(m) for m in messages if m.get("role") == "user"))
    missing = [name for name in NEEDS[metric] if not data.get(name, "").strip()]
    if missing:
        reason = f"Let's think step by step: the {' and '.join(missing)} is empty, so there is nothing to judge."
        return json.dumps({"reason": reason, "score": None, "status": "skipped"})
    share, counted = SHARES[metric](data)
    score = 1 + math.floor(4 * share + 0.5)
    reason = f"Let's think step by step: {counted} (a share of {share:.2f}), so the {metric} is {score}."
    return json.dumps({"reason": reason, "score": score, "status": "completed"})


def metric_of(messages: list[dict]) -> str | None:
    """Which evaluator's prompt the messages are (``groundedness``, ...), or None."""
    system = " ".join(text_of(m) for m in messages if m.get("role") == "system")
    defined = DEFINES.search("\n".join(text_of(m) for m in messages if m.get("role") == "user"))
    return "relevance" if RELEVANCE_JUDGE in system else defined[1].lower() if defined else None


def quoted_data(prompt: str) -> dict[str, str]:
    """The fields of the prompt's data block, by label (``CONVERSATION_HISTORY`` read as ``QUERY``)."""
    block = next((match["data"] for pattern in DATA_BLOCKS for match in pattern.finditer(prompt)), "")
    parts = FIELD.split(block)[1:]
    fields = dict(zip(parts[::2], (value.strip() for value in parts[1::2]), strict=True))
    if "CONVERSATION_HISTORY" in fields:
        fields["QUERY"] = fields.pop("CONVERSATION_HISTORY")
    return fields


def sentences(text: str) -> list[str]:
    return [s.strip() for s in SENTENCE.findall(text) if s.strip()]


def groundedness(data: dict) -> tuple[float, str]:
    said, known = content_words(data["RESPONSE"]), content_words(data["CONTEXT"])
    supported = len(said & known)
    return supported / (len(said) or 1), f"{supported} of the response's {len(said)} content words are in the context"


def relevance(data: dict) -> tuple[float, str]:
    asked, said = content_words(data["QUERY"]), content_words(data["RESPONSE"])
    addressed = len(asked & said)
    return addressed / (len(asked) or 1), f"the response holds {addressed} of the query's {len(asked)} content words"


def coherence(data: dict) -> tuple[float, str]:
    parts = sentences(data["RESPONSE"])
    earlier = [content_words(" ".join([data["QUERY"], *parts[:index]])) for index in range(len(parts))]
    linked = sum(1 for part, known in zip(parts, earlier, strict=True) if content_words(part) & known)
    return linked / (len(parts) or 1), f"{linked} of {len(parts)} sentences follow from the query or what came before"


def fluency(data: dict) -> tuple[float, str]:
    parts = sentences(data["RESPONSE"])
    formed = sum(1 for part in parts if WELL_FORMED.match(part))
    return formed / (len(parts) or 1), f"{formed} of {len(parts)} sentences are well formed"


SHARES = {"groundedness": groundedness, "relevance": relevance, "coherence": coherence, "fluency": fluency}
