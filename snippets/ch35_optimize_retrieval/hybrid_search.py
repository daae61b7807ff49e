"""Vector search, keyword search (BM25) and hybrid search fused with Reciprocal Rank Fusion.

The embeddings come from an Azure OpenAI embedding deployment named by AZURE_OPENAI_ENDPOINT,
called with a Microsoft Entra ID token (no key).
"""

import os
import re

import numpy as np
from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from chunking import Chunk, chunk_corpus
from openai import AzureOpenAI
from rank_bm25 import BM25Okapi


# --8<-- [start:embed]
def embedding_client() -> AzureOpenAI:
    token = get_bearer_token_provider(DefaultAzureCredential(),
                                      "https://cognitiveservices.azure.com/.default")
    return AzureOpenAI(azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
                       azure_ad_token_provider=token, api_version="2024-10-21")


def embed(client: AzureOpenAI, texts: list[str], dimensions: int | None = None) -> np.ndarray:
    """One row per text, scaled to length 1 so that a dot product is the cosine similarity."""
    options = {"dimensions": dimensions} if dimensions else {}
    response = client.embeddings.create(model="text-embedding-3-small", input=texts, **options)
    ordered = sorted(response.data, key=lambda item: item.index)
    vectors = np.array([item.embedding for item in ordered])
    return vectors / np.linalg.norm(vectors, axis=1, keepdims=True)
# --8<-- [end:embed]


# --8<-- [start:rrf]
def reciprocal_rank_fusion(rankings: list[list[str]], k: int = 60) -> list[tuple[str, float]]:
    """Each ranking adds 1 / (k + rank) to the ids it holds (rank 1 is the best); sorted by the sum.
    k = 60 is the constant Azure AI Search's documentation gives for its hybrid queries."""
    fused: dict[str, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            fused[item] = fused.get(item, 0.0) + 1 / (k + rank)
    return sorted(fused.items(), key=lambda pair: (-pair[1], pair[0]))
# --8<-- [end:rrf]


# --8<-- [start:index]
Hit = tuple[Chunk, float]


def words(text: str) -> list[str]:
    return re.findall(r"\w+", text.lower())


class Index:
    """Chunks with their vectors and a BM25 index over their words."""

    def __init__(self, client: AzureOpenAI, chunks: list[Chunk], dimensions: int | None = None):
        self.client, self.chunks, self.dimensions = client, chunks, dimensions
        self.vectors = embed(client, [chunk.text for chunk in chunks], dimensions)
        self.bm25 = BM25Okapi([words(chunk.text) for chunk in chunks])

    def vector(self, query: str, top: int = 50, threshold: float | None = None) -> list[Hit]:
        """The ``top`` chunks by cosine similarity; with a threshold, only those scoring at
        least the threshold."""
        scores = self.vectors @ embed(self.client, [query], self.dimensions)[0]
        best = np.argsort(-scores, kind="stable")[:top]
        hits = [(self.chunks[i], float(scores[i])) for i in best]
        return [(chunk, score) for chunk, score in hits if threshold is None or score >= threshold]

    def keyword(self, query: str, top: int = 50) -> list[Hit]:
        """The ``top`` chunks by BM25 score; a chunk sharing no word with the query is left out."""
        scores = self.bm25.get_scores(words(query))
        return [(self.chunks[i], float(scores[i])) for i in np.argsort(-scores, kind="stable")[:top]
                if scores[i] > 0]

    def hybrid(self, query: str, top: int = 50, threshold: float | None = None) -> list[Hit]:
        """Both searches run, then RRF fuses their rankings (a vector threshold filters first)."""
        by_id = {chunk.id: chunk for chunk in self.chunks}
        rankings = [[chunk.id for chunk, _ in self.vector(query, top, threshold)],
                    [chunk.id for chunk, _ in self.keyword(query, top)]]
        return [(by_id[i], score) for i, score in reciprocal_rank_fusion(rankings)[:top]]
# --8<-- [end:index]


def sources(hits: list[Hit]) -> list[str]:
    """The labelled units (sections) in the order the hits first reach them."""
    return list(dict.fromkeys(chunk.source for chunk, _ in hits))


if __name__ == "__main__":
    # --8<-- [start:demo]
    index = Index(embedding_client(), chunk_corpus("headings"))
    question = "Which role should the identity get to read blob storage?"
    for method in (index.vector, index.keyword, index.hybrid):
        hits = method(question, top=3)
        print(f"{method.__name__:8}", ", ".join(f"{c.source} {score:.3f}" for c, score in hits))
    # --8<-- [end:demo]
