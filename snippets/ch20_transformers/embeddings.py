"""Cosine similarity between toy word embeddings: similar meanings point the same way."""

import numpy as np

# --8<-- [start:similarity]
# Hand-made 4-dimensional embeddings; real models learn hundreds or thousands of dimensions
embeddings = {
    "cat": np.array([0.9, 0.8, 0.1, 0.0]),
    "dog": np.array([0.8, 0.9, 0.2, 0.1]),
    "car": np.array([0.1, 0.0, 0.9, 0.8]),
    "truck": np.array([0.0, 0.2, 0.8, 0.9]),
}


def cosine_similarity(a, b):
    """1 = same direction, 0 = unrelated (orthogonal), -1 = opposite."""
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b)))


def most_similar(word):
    others = [w for w in embeddings if w != word]
    return max(others, key=lambda w: cosine_similarity(embeddings[word], embeddings[w]))


if __name__ == "__main__":
    for word in embeddings:
        print(f"{word:>5} -> {most_similar(word)}")
    print(f"cat vs dog: {cosine_similarity(embeddings['cat'], embeddings['dog']):.2f}")
    print(f"cat vs car: {cosine_similarity(embeddings['cat'], embeddings['car']):.2f}")
# --8<-- [end:similarity]
