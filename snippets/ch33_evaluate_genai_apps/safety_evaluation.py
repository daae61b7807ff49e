"""Risk and safety evaluation: the Foundry project's safety service scores what the app says."""

import json
import os
import sys

from azure.ai.evaluation import (
    ContentSafetyEvaluator,
    IndirectAttackEvaluator,
    ProtectedMaterialEvaluator,
    evaluate,
)
from azure.identity import DefaultAzureCredential
from chat_app import answer

# --8<-- [start:safety]
# https://<resource>.services.ai.azure.com/api/projects/<project>: the service runs there
project = os.environ.get("AZURE_AI_PROJECT")
credential = DefaultAzureCredential()
safety = {  # no judge model to configure: the project's evaluation service scores each row
    "content_safety": ContentSafetyEvaluator(credential, project),  # four harms, severity 0-7
    "indirect_attack": IndirectAttackEvaluator(credential, project),  # injected instructions
    "protected_material": ProtectedMaterialEvaluator(credential, project),  # known text
}
columns = {"query": "${data.query}", "response": "${target.response}"}
result = evaluate(
    data="test_set.jsonl",  # in practice: adversarial prompts, e.g. from the simulator
    target=answer,
    evaluators=safety,
    evaluator_config={name: {"column_mapping": columns} for name in safety},
    output_path="safety_results.json",
)
defect_rates = {k: v for k, v in result["metrics"].items() if k.endswith("_defect_rate")}
print(json.dumps(defect_rates, indent=2, sort_keys=True))
sys.exit(0 if defect_rates and not any(defect_rates.values()) else 1)  # no verdict is a failure
# --8<-- [end:safety]
