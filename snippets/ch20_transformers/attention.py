"""Scaled dot-product attention and sinusoidal positional encoding, in plain NumPy."""

import numpy as np


# --8<-- [start:attention]
def softmax(scores):
    """Turn each row of scores into weights that are positive and sum to 1."""
    shifted = scores - scores.max(axis=-1, keepdims=True)  # avoids overflow in exp
    exps = np.exp(shifted)
    return exps / exps.sum(axis=-1, keepdims=True)


def causal_mask(n):
    """True where a token may look: at itself and at the tokens before it."""
    return np.tril(np.ones((n, n), dtype=bool))


def scaled_dot_product_attention(Q, K, V, mask=None):
    """softmax(Q K^T / sqrt(d_k)) V, returning the output and the attention weights."""
    d_k = K.shape[-1]
    scores = Q @ K.swapaxes(-1, -2) / np.sqrt(d_k)  # how well each query matches each key
    if mask is not None:
        scores = np.where(mask, scores, -np.inf)  # a hidden position gets weight exactly 0
    weights = softmax(scores)
    return weights @ V, weights  # each output row is a weighted mix of the value rows
# --8<-- [end:attention]


# --8<-- [start:multi_head]
def multi_head_attention(X, W_q, W_k, W_v, W_o, num_heads, mask=None):
    """Project X, split the projections into heads, attend in each head, then recombine."""
    n, d_model = X.shape
    d_head = d_model // num_heads

    def split(M):  # (n, d_model) -> (num_heads, n, d_head)
        return M.reshape(n, num_heads, d_head).transpose(1, 0, 2)

    heads, _ = scaled_dot_product_attention(split(X @ W_q), split(X @ W_k), split(X @ W_v), mask)
    combined = heads.transpose(1, 0, 2).reshape(n, d_model)  # concatenate the heads again
    return combined @ W_o
# --8<-- [end:multi_head]


# --8<-- [start:positional]
def positional_encoding(num_positions, d_model):
    """Sinusoidal encoding: sine on even dimensions, cosine on odd ones, one row per position."""
    positions = np.arange(num_positions)[:, np.newaxis]
    rates = 1 / 10000 ** (np.arange(0, d_model, 2) / d_model)  # slower waves for later dimensions
    angles = positions * rates
    encoding = np.zeros((num_positions, d_model))
    encoding[:, 0::2] = np.sin(angles)
    encoding[:, 1::2] = np.cos(angles[:, : d_model // 2])
    return encoding
# --8<-- [end:positional]


# --8<-- [start:demo]
if __name__ == "__main__":
    tokens = ["the", "cat", "sat", "down"]
    rng = np.random.default_rng(seed=0)
    d_model = 4
    embeddings = rng.normal(size=(len(tokens), d_model))  # stand-ins for learned embeddings
    X = embeddings + positional_encoding(len(tokens), d_model)

    # Self-attention: queries, keys and values all come from the same tokens
    W_q, W_k, W_v = (rng.normal(scale=0.5, size=(d_model, d_model)) for _ in range(3))
    np.set_printoptions(precision=2, suppress=True)
    for title, mask in [("encoder (sees every token)", None), ("decoder (causal mask)", causal_mask(len(tokens)))]:
        _, weights = scaled_dot_product_attention(X @ W_q, X @ W_k, X @ W_v, mask)
        print(title)
        for token, row in zip(tokens, weights, strict=True):
            print(f"  {token:>5} attends to {row}")
# --8<-- [end:demo]
