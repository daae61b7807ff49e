"""A/B comparison of two retrieval configurations over the same labelled questions, with a paired
significance test, and the results written for azure-ai-evaluation's DocumentRetrievalEvaluator."""

import json
import statistics

from azureml_docs import QUERIES
from chunking import chunk_corpus
from hybrid_search import Index, embedding_client, sources
from retrieval_metrics import ndcg_at_k, recall_at_k, reciprocal_rank
from scipy.stats import wilcoxon

K = 5

# --8<-- [start:configs]
index = Index(embedding_client(), chunk_corpus("headings"))
CONFIGURATIONS = {"A: vector only": index.vector, "B: hybrid (vector + BM25, RRF)": index.hybrid}
# --8<-- [end:configs]


# --8<-- [start:score]
def evaluate(search) -> dict[str, list[float]]:
    """Per-question metrics of one configuration: lists in the order of QUERIES (paired)."""
    scores = {f"ndcg@{K}": [], f"recall@{K}": [], "reciprocal rank": [], "ranked": []}
    for query in QUERIES:
        ranked = sources(search(query["question"]))
        scores[f"ndcg@{K}"].append(ndcg_at_k(ranked, query["relevant"], K))
        scores[f"recall@{K}"].append(recall_at_k(ranked, query["relevant"], K))
        scores["reciprocal rank"].append(reciprocal_rank(ranked, query["relevant"], min_grade=2))
        scores["ranked"].append(ranked)
    return scores


results = {name: evaluate(search) for name, search in CONFIGURATIONS.items()}
for name, scores in results.items():
    means = {metric: statistics.mean(values) for metric, values in scores.items()
             if metric != "ranked"}
    print(name, {metric: round(mean, 3) for metric, mean in means.items()})
# --8<-- [end:score]

# --8<-- [start:decide]
ALPHA = 0.05
baseline, candidate = (results[name][f"ndcg@{K}"] for name in CONFIGURATIONS)
differences = [b - a for a, b in zip(baseline, candidate, strict=True)]
test = wilcoxon(candidate, baseline, alternative="greater", zero_method="wilcox")
better = sum(d > 0 for d in differences)
worse = sum(d < 0 for d in differences)
tied = len(differences) - better - worse
print(f"B better on {better} questions, worse on {worse}, tied on {tied}")
gain = statistics.mean(differences)
print(f"mean gain in ndcg@{K} {gain:+.3f}, one-sided Wilcoxon p = {test.pvalue:.4f}")
adopt = test.pvalue < ALPHA and gain > 0
print("decision:", "adopt B" if adopt else "keep A (no significant gain)")
# --8<-- [end:decide]

# --8<-- [start:export]
# Every section is labelled (0 when irrelevant) so the evaluator finds no "holes"; the retrieved
# list is the top K that would go to the model, scored 1/rank (the evaluator sorts by the score).
CHOSEN = "B: hybrid (vector + BM25, RRF)"
sections = sorted({chunk.source for chunk in index.chunks})
with open("retrieved.jsonl", "w", encoding="utf-8") as rows:
    for query, ranked in zip(QUERIES, results[CHOSEN]["ranked"], strict=True):
        truth = [{"document_id": s, "query_relevance_label": query["relevant"].get(s, 0)}
                 for s in sections]
        retrieved = [{"document_id": s, "relevance_score": 1 / rank}
                     for rank, s in enumerate(ranked[:K], start=1)]
        rows.write(json.dumps({"question": query["question"], "retrieval_ground_truth": truth,
                               "retrieved_documents": retrieved}) + "\n")
# --8<-- [end:export]
