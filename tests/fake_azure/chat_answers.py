"""What the fake model deployment (``chat_model.py``) answers a prompt no special responder knows.

``assistant`` is a pure function of the messages. Its rules are few and written down, so that a
page can say why one prompt variant beats another:
- it knows only what the prompt gives it under a ``Context:``, ``Sources:`` or ``Documents:`` line
  (in any message): it answers the last user message's question with the sentence of that context
  that shares the most content words with it, and says ``The sources do not say.`` when none does;
  with no context at all it guesses (``I am not sure; it may depend on your setup.``);
- unless the system message asks for brevity (``concise``, ``brief``, ``short``, ``one sentence``), it
  wraps the answer in pleasantries and adds the next best sentence, as chatty models do;
- it ignores ``temperature`` and ``seed``: the same messages always get the same answer.
"""

from __future__ import annotations

import re

CONTEXT_HEADING = re.compile(r"^\s*(context|sources|documents)\s*:\s*", re.IGNORECASE | re.MULTILINE)
BREVITY = re.compile(r"\b(concise|brief|short|one sentence)\b", re.IGNORECASE)
SENTENCE = re.compile(r"[^.!?\n]+[.!?]?")
STOPWORDS = frozenset(
    "a an and are as at be by can do does for from how i in is it its of on or that the this to was what when "
    "where which who why will with you your".split())
NO_ANSWER = "The sources do not say."
GUESS = "I am not sure; it may depend on your setup."


def content_words(text: str) -> set[str]:
    """Lower-cased words minus stopwords, with a plural ``s`` dropped: what overlap is counted on."""
    words = (word.lower() for word in re.findall(r"\w+", text))
    return {word[:-1] if len(word) > 3 and word.endswith("s") else word for word in words if word not in STOPWORDS}


def text_of(message: dict) -> str:
    content = message.get("content")
    if isinstance(content, list):
        return " ".join(part.get("text", "") for part in content if isinstance(part, dict))
    return content or ""


def assistant(messages: list[dict], body: dict) -> str:
    users = [text_of(m) for m in messages if m.get("role") == "user"]
    system = " ".join(text_of(m) for m in messages if m.get("role") in ("system", "developer"))
    question = _question(users[-1] if users else "")
    contexts = [text_of(m)[heading.end():] for m in messages for heading in CONTEXT_HEADING.finditer(text_of(m))]
    if not contexts:
        return GUESS
    asked = content_words(question)
    sentences = [s.strip() for context in contexts for s in SENTENCE.findall(context) if s.strip()]
    ranked = sorted((s for s in sentences if content_words(s) & asked and s != question),
                    key=lambda s: -len(content_words(s) & asked))
    if not ranked:
        return NO_ANSWER
    if BREVITY.search(system):
        return ranked[0]
    return " ".join(["Great question!", *ranked[:2], "I hope this helps."])


def _question(user_text: str) -> str:
    """The last line of the user's message that asks something, or the whole message."""
    asking = [line.strip() for line in user_text.splitlines() if line.strip().endswith("?")]
    return asking[-1] if asking else user_text.strip()

