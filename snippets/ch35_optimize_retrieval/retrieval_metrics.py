"""Retrieval metrics for one query: ``ranked`` is what the retriever returned, best first;
``labels`` maps the relevant ids to their grade (0 or absent = not relevant)."""

import math


# --8<-- [start:metrics]
def recall_at_k(ranked: list[str], labels: dict[str, int], k: int) -> float:
    """Share of the relevant ids (grade > 0) found in the first k results."""
    relevant = {item for item, grade in labels.items() if grade > 0}
    return len(relevant & set(ranked[:k])) / len(relevant) if relevant else 0.0


def reciprocal_rank(ranked: list[str], labels: dict[str, int], min_grade: int = 1) -> float:
    """1 / the rank of the first result graded at least ``min_grade``; 0 when none is returned.
    The mean over the queries is the MRR."""
    ranks = (rank for rank, item in enumerate(ranked, start=1) if labels.get(item, 0) >= min_grade)
    return 1 / next(ranks, math.inf)


def ndcg_at_k(ranked: list[str], labels: dict[str, int], k: int) -> float:
    """DCG of the first k results over the DCG of the ideal order, with gain 2**grade - 1 and
    discount log2(rank + 1): highly relevant results near the top count most."""
    def dcg(grades):
        ranked_grades = enumerate(grades[:k], start=1)
        return sum((2 ** grade - 1) / math.log2(rank + 1) for rank, grade in ranked_grades)

    ideal = dcg(sorted(labels.values(), reverse=True))
    return dcg([labels.get(item, 0) for item in ranked]) / ideal if ideal else 0.0
# --8<-- [end:metrics]
