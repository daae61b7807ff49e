"""Score each variant's answers in runs/ and choose the prompt to ship by a rule written down first.

Usage: python compare_variants.py   (after run_variants.py; writes comparison.json)
"""

import json
import re
import string
from collections import Counter
from pathlib import Path

RUNS = Path("runs")
REFUSAL = "The sources do not say."  # what the prompts tell the model to say
ARTICLES = re.compile(r"\b(a|an|the)\b")
STOPWORDS = frozenset("a an the and or of to in on for by with is are was be it its that".split())
GROUNDED_AT_LEAST = 0.9  # the gate: share of answers made only of what the sources say
F1_TIE = 0.02  # F1 differences below this are noise on a test set this small


# --8<-- [start:metrics]
def words(text: str) -> list[str]:
    """SQuAD's normalisation: lower case, no punctuation, no articles, split on spaces."""
    text = text.lower().translate(str.maketrans("", "", string.punctuation))
    return ARTICLES.sub(" ", text).split()


def token_f1(answer: str, truth: str) -> float:
    """Harmonic mean of precision and recall over the words the two texts share."""
    shared = sum((Counter(words(answer)) & Counter(words(truth))).values())
    if shared == 0:
        return 0.0
    precision, recall = shared / len(words(answer)), shared / len(words(truth))
    return 2 * precision * recall / (precision + recall)


def is_grounded(answer: str, context: str) -> bool:
    """The agreed refusal, or an answer whose every content word is in the sources."""
    content = set(words(answer)) - STOPWORDS
    return answer.strip() == REFUSAL or content <= set(words(context))


def score(results: list[dict]) -> dict:
    count = len(results)
    return {
        "f1": sum(token_f1(r["answer"], r["ground_truth"]) for r in results) / count,
        "grounded": sum(is_grounded(r["answer"], r["context"]) for r in results) / count,
        "prompt_tokens": sum(r["prompt_tokens"] for r in results) / count,
        "completion_tokens": sum(r["completion_tokens"] for r in results) / count,
    }
# --8<-- [end:metrics]


# --8<-- [start:choose]
def choose(scores: dict[str, dict]) -> str:
    """Pass the grounding gate; then the best F1; within a tie, the fewest tokens a call."""
    passed = {name: s for name, s in scores.items() if s["grounded"] >= GROUNDED_AT_LEAST}
    if not passed:
        raise SystemExit("No variant passes the grounding gate: keep the released prompt.")
    best = max(s["f1"] for s in passed.values())
    tied = [name for name, s in passed.items() if best - s["f1"] < F1_TIE]
    return min(tied, key=lambda name: passed[name]["prompt_tokens"]
               + passed[name]["completion_tokens"])
# --8<-- [end:choose]


# --8<-- [start:main]
if __name__ == "__main__":
    scores = {}
    for run in sorted(RUNS.glob("*.jsonl")):
        scores[run.stem] = score([json.loads(line) for line in run.read_text().splitlines()])
    print(f"{'variant':<10} {'F1':>5} {'grounded':>9} {'prompt tok':>11} {'answer tok':>11}")
    for name, s in scores.items():
        print(f"{name:<10} {s['f1']:5.2f} {s['grounded']:9.0%} "
              f"{s['prompt_tokens']:11.1f} {s['completion_tokens']:11.1f}")
    winner = choose(scores)
    print(f"winner: {winner}")
    Path("comparison.json").write_text(json.dumps({"scores": scores, "winner": winner}, indent=2))
# --8<-- [end:main]
