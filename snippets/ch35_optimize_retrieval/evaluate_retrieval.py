"""Score the exported retrieval results with azure-ai-evaluation's DocumentRetrievalEvaluator.

Run it in the evaluation environment (snippets/ch33_evaluate_genai_apps/requirements.txt), after
ab_test.py has written retrieved.jsonl. The evaluator is code, not a model: it needs no endpoint.
"""

import json
import statistics

from azure.ai.evaluation import DocumentRetrievalEvaluator

# --8<-- [start:evaluate]
# Labels run from 0 (irrelevant) to 2 (answers the question), as azureml_docs.py grades them.
evaluator = DocumentRetrievalEvaluator(ground_truth_label_min=0, ground_truth_label_max=2)
with open("retrieved.jsonl", encoding="utf-8") as lines:
    rows = [json.loads(line) for line in lines]
results = [evaluator(retrieval_ground_truth=row["retrieval_ground_truth"],
                     retrieved_documents=row["retrieved_documents"]) for row in rows]
with open("document_retrieval.jsonl", "w", encoding="utf-8") as out:
    for row, result in zip(rows, results, strict=True):
        metrics = result["document_retrieval_properties"]
        out.write(json.dumps({"question": row["question"], **metrics}) + "\n")
for metric in ("ndcg@3", "xdcg@3", "fidelity", "top1_relevance", "holes"):
    mean = statistics.mean(r["document_retrieval_properties"][metric] for r in results)
    print(f"{metric:15} {mean:.3f}")
passed = sum(r["document_retrieval_passed"] for r in results)
print(f"questions passing ndcg@3 >= 0.5: {passed} of {len(results)}")
# --8<-- [end:evaluate]
