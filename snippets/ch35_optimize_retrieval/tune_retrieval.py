"""Tune retrieval on your own questions: chunking strategy and size, vector dimensions, and a
similarity threshold, each judged by what retrieval returns rather than by intuition."""

import statistics

from azureml_docs import OFF_TOPIC, QUERIES
from chunking import STRATEGIES, chunk_corpus
from hybrid_search import Index, embedding_client, sources
from retrieval_metrics import ndcg_at_k

client = embedding_client()


# --8<-- [start:chunks]
def answer_rank(index: Index, query: dict) -> int | None:
    """Rank of the first hybrid hit whose text holds the answer whole (None: not found)."""
    hits = index.hybrid(query["question"])
    return next((rank for rank, (chunk, _) in enumerate(hits, start=1)
                 if query["answer"] in " ".join(chunk.text.split())), None)


print(f"{'strategy':28} {'answer in top 3':>15} {'MRR of answer':>13}")
for strategy in STRATEGIES:
    index = Index(client, chunk_corpus(strategy))
    ranks = [answer_rank(index, query) for query in QUERIES]
    in_top_3 = sum(rank is not None and rank <= 3 for rank in ranks) / len(ranks)
    mrr = statistics.mean(1 / rank if rank else 0.0 for rank in ranks)
    print(f"{strategy:28} {in_top_3:15.0%} {mrr:13.3f}")
# --8<-- [end:chunks]

# --8<-- [start:dimensions]
for dimensions in (1536, 256, 64):
    index = Index(client, chunk_corpus("headings"), dimensions=dimensions)
    ndcg = statistics.mean(ndcg_at_k(sources(index.vector(q["question"])), q["relevant"], 5)
                           for q in QUERIES)
    size = len(index.chunks) * dimensions * 4  # float32 bytes the vector index stores
    print(f"{dimensions:5} dimensions: ndcg@5 {ndcg:.3f}, {size / 1024:.0f} KiB of vectors")
# --8<-- [end:dimensions]

# --8<-- [start:threshold]
index = Index(client, chunk_corpus("headings"))


def answered(query: dict, threshold: float) -> bool:
    """Whether the section that answers the question survives the threshold in the top 5."""
    best = max(query["relevant"], key=query["relevant"].get)
    return best in sources(index.vector(query["question"], top=5, threshold=threshold))


print(f"{'threshold':>9} {'answerable still answered':>25} {'off-topic left empty':>20}")
for threshold in (0.0, 0.1, 0.2, 0.3, 0.4):
    kept = statistics.mean(answered(query, threshold) for query in QUERIES)
    empty = statistics.mean(not index.vector(question, top=5, threshold=threshold)
                            for question in OFF_TOPIC)
    print(f"{threshold:9.1f} {kept:25.0%} {empty:20.0%}")
# --8<-- [end:threshold]
