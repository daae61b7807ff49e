"""Score a fine-tuned deployment against its base model's on the same held-out examples.

Runs in the evaluation environment (chapter 33's requirements.txt). Needs AZURE_OPENAI_ENDPOINT;
signs in with DefaultAzureCredential. Usage:
    python compare_with_base.py CANDIDATE_DEPLOYMENT BASE_DEPLOYMENT [validation.jsonl]
Writes comparison.json; the last line printed says whether to promote the candidate.
"""

import json
import os
import sys
from pathlib import Path
from statistics import mean

from azure.ai.evaluation import F1ScoreEvaluator
from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import OpenAI

CANDIDATE, BASE = sys.argv[1], sys.argv[2]
HELD_OUT = Path(sys.argv[3] if len(sys.argv) > 3 else "validation.jsonl")
MIN_GAIN = 0.02  # mean F1 the candidate must add to be worth a deployment
MAX_REGRESSIONS = 0.1  # share of examples it may answer clearly worse than the base

client = OpenAI(
    base_url=f"{os.environ['AZURE_OPENAI_ENDPOINT'].rstrip('/')}/openai/v1/",
    api_key=get_bearer_token_provider(
        DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
    ),
)

# --8<-- [start:score]
f1 = F1ScoreEvaluator()
scores = {CANDIDATE: [], BASE: []}
for line in HELD_OUT.read_text(encoding="utf-8").splitlines():
    *prompt, reference = json.loads(line)["messages"]  # the last message is the answer to match
    for deployment in scores:
        reply = client.chat.completions.create(model=deployment, messages=prompt, temperature=0)
        answer = reply.choices[0].message.content
        score = f1(response=answer, ground_truth=reference["content"])
        scores[deployment].append(score["f1_score"])
# --8<-- [end:score]

# --8<-- [start:decide]
gain = mean(scores[CANDIDATE]) - mean(scores[BASE])
worse = sum(c < b - 0.1 for c, b in zip(scores[CANDIDATE], scores[BASE], strict=True))
promote = gain >= MIN_GAIN and worse <= MAX_REGRESSIONS * len(scores[BASE])
Path("comparison.json").write_text(json.dumps({
    "examples": len(scores[BASE]), "mean_f1": {name: mean(s) for name, s in scores.items()},
    "gain": gain, "regressions": worse, "promote": promote,
}, indent=2))
print(f"mean F1: {CANDIDATE} {mean(scores[CANDIDATE]):.3f}, {BASE} {mean(scores[BASE]):.3f}")
print(f"promote {CANDIDATE}" if promote else f"keep {BASE}: gain {gain:+.3f}, {worse} regressions")
# --8<-- [end:decide]
