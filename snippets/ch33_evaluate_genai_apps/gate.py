"""Fail the build when an evaluation's mean scores fall below the team's thresholds."""

import json
import sys
from pathlib import Path

# --8<-- [start:gate]
THRESHOLDS = {  # metric in evaluate()'s "metrics" -> the lowest mean that passes
    "groundedness.groundedness": 4.0,  # 1-5, AI-assisted
    "relevance.relevance": 4.0,
    "coherence.coherence": 4.0,
    "fluency.fluency": 4.0,
    "f1.f1_score": 0.6,  # 0-1, code-based
    "rouge.rouge": 0.6,
    "budget.within_budget": 0.75,  # share of answers within the word budget
}


def failures(metrics: dict) -> list[str]:
    """Every threshold missed; a metric that is absent (its evaluator failed) is a miss."""
    missed = []
    for name, lowest in THRESHOLDS.items():
        value = metrics.get(name)
        if value is None or value < lowest:
            missed.append(f"{name} = {value} (needs >= {lowest})")
    return missed


path = Path(sys.argv[1] if len(sys.argv) > 1 else "evaluation_results.json")
results = json.loads(path.read_text())
missed = failures(results["metrics"])
for line in missed:
    print(f"FAIL {line}")
met = len(THRESHOLDS) - len(missed)
print(f"{met} of {len(THRESHOLDS)} thresholds met over {len(results['rows'])} rows")
sys.exit(1 if missed else 0)
# --8<-- [end:gate]
