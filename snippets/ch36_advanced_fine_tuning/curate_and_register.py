"""Turn simulated conversations into fine-tuning data: deduplicate, filter, split, register.

Usage: python curate_and_register.py [simulated.jsonl]
Writes train.jsonl and validation.jsonl and registers each as a versioned data asset.
"""

import hashlib
import json
import sys
from collections import Counter
from pathlib import Path

from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Data
from azure.ai.ml.exceptions import MlException
from azure.identity import DefaultAzureCredential

SOURCE = Path(sys.argv[1] if len(sys.argv) > 1 else "simulated.jsonl")
SYSTEM = "You are a study assistant for Azure fine-tuning. Answer in one sentence."  # as in the app
VALIDATION_SHARE = 0.2
MAX_ANSWER_WORDS = 60


# --8<-- [start:curate]
def drop_reason(conversation: dict) -> str | None:
    """Why a simulated conversation should not become a training example, or None."""
    answers = [m["content"] for m in conversation["messages"] if m["role"] == "assistant"]
    if not answers or not all(answer.strip() for answer in answers):
        return "empty answer"
    expected = (conversation.get("context") or {}).get("expected_response") or ""
    if expected.lower() not in answers[-1].lower():
        return "answer misses the fact the question was written from"
    if max(len(answer.split()) for answer in answers) > MAX_ANSWER_WORDS:
        return "answer too long for the one-sentence style"
    return None


def training_row(conversation: dict) -> dict:
    """Chat format for supervised fine-tuning: the app's system message, then the turns."""
    turns = [{"role": m["role"], "content": m["content"].strip()} for m in conversation["messages"]]
    return {"messages": [{"role": "system", "content": SYSTEM}, *turns]}


def duplicate_key(row: dict) -> str:
    """Rows whose user turns differ only in case and spacing are duplicates."""
    asked = " ".join(m["content"] for m in row["messages"] if m["role"] == "user")
    return " ".join(asked.lower().split())


kept, seen, dropped = [], set(), Counter()
for line in SOURCE.read_text(encoding="utf-8").splitlines():
    conversation = json.loads(line)
    row = training_row(conversation)
    reason = drop_reason(conversation) or ("duplicate" if duplicate_key(row) in seen else None)
    if reason:
        dropped[reason] += 1
        continue
    seen.add(duplicate_key(row))
    kept.append(row)
# --8<-- [end:curate]

# --8<-- [start:split]
# Order by a hash of the content, not by a random shuffle: the same rows always split the same
# way, whatever order the simulator wrote them in.
kept.sort(key=lambda row: hashlib.sha256(duplicate_key(row).encode()).hexdigest())
cut = round(len(kept) * VALIDATION_SHARE)
splits = {"validation": kept[:cut], "train": kept[cut:]}
for split, rows in splits.items():
    Path(f"{split}.jsonl").write_text(
        "".join(json.dumps(row, ensure_ascii=False) + "\n" for row in rows), encoding="utf-8"
    )
print(f"{len(kept)} kept ({len(splits['train'])} train, {len(splits['validation'])} validation); "
      f"dropped {dict(dropped)}")
# --8<-- [end:split]

# --8<-- [start:register]
ml_client = MLClient.from_config(credential=DefaultAzureCredential())
source_sha = hashlib.sha256(SOURCE.read_bytes()).hexdigest()
for split in splits:
    path = Path(f"{split}.jsonl")
    digest = hashlib.sha256(path.read_bytes()).hexdigest()
    name = f"study-assistant-sft-{split}"
    try:
        latest = ml_client.data.get(name, label="latest")
    except MlException:  # what the SDK raises when no version of the name exists yet
        latest = None
    if latest is not None and latest.tags.get("sha256") == digest:
        print(f"{name}:{latest.version} already holds this data")  # no new version
        continue
    asset = ml_client.data.create_or_update(Data(
        name=name,  # no version: the workspace gives the next number
        path=str(path),
        type=AssetTypes.URI_FILE,
        description=f"Supervised fine-tuning {split} split, curated from simulated conversations",
        tags={  # lineage: where the rows came from and how they were made
            "sha256": digest, "source": SOURCE.name, "source_sha256": source_sha,
            "generator": "azure-ai-evaluation Simulator", "rows": str(len(splits[split])),
            "dropped": json.dumps(dict(dropped)), "validation_share": str(VALIDATION_SHARE),
        },
    ))
    print(f"registered {asset.name}:{asset.version}")
# --8<-- [end:register]
