"""Chapter 20: attention, positional encoding and cosine similarity, checked against hand-computed values."""

import math

import numpy as np
import pytest

from tests.conftest import SNIPPETS


@pytest.fixture
def attn(run_snippet):
    return run_snippet("ch20_transformers/attention.py")


def test_tiny_example_matches_hand_computation(attn):
    Q = K = np.eye(2)
    V = np.array([[1.0, 2.0], [3.0, 4.0]])
    output, weights = attn["scaled_dot_product_attention"](Q, K, V)

    # Row 0 scores are [1/sqrt(2), 0]; softmax gives w and 1 - w, with w = 1 / (1 + e^(-1/sqrt(2)))
    w = 1 / (1 + math.exp(-1 / math.sqrt(2)))
    assert np.allclose(weights, [[w, 1 - w], [1 - w, w]])
    assert np.allclose(output[0], [w * 1 + (1 - w) * 3, w * 2 + (1 - w) * 4])
    assert np.allclose(output[0], [1.6604, 2.6604], atol=1e-4)


def test_weights_are_rows_that_sum_to_one(attn):
    rng = np.random.default_rng(1)
    Q, K, V = rng.normal(size=(3, 5, 8))
    output, weights = attn["scaled_dot_product_attention"](Q, K, V)
    assert weights.shape == (5, 5) and output.shape == (5, 8)
    assert np.allclose(weights.sum(axis=-1), 1.0) and (weights > 0).all()


def test_scaling_divides_scores_by_sqrt_dk(attn):
    Q = np.array([[1.0, 1.0, 1.0, 1.0]])
    K = np.array([[1.0, 1.0, 1.0, 1.0], [0.0, 0.0, 0.0, 0.0]])
    _, weights = attn["scaled_dot_product_attention"](Q, K, np.eye(2))
    # scores are [4 / sqrt(4), 0] = [2, 0]
    assert np.allclose(weights, [[math.exp(2) / (math.exp(2) + 1), 1 / (math.exp(2) + 1)]])


def test_causal_mask_hides_future_positions(attn):
    assert attn["causal_mask"](3).tolist() == [[True, False, False], [True, True, False], [True, True, True]]
    rng = np.random.default_rng(2)
    Q, K, V = rng.normal(size=(3, 4, 6))
    output, weights = attn["scaled_dot_product_attention"](Q, K, V, attn["causal_mask"](4))

    assert np.all(np.triu(weights, k=1) == 0.0)  # nothing above the diagonal
    assert np.allclose(weights.sum(axis=-1), 1.0)
    assert np.allclose(weights[0], [1, 0, 0, 0]) and np.allclose(output[0], V[0])  # the first token sees only itself


def test_positional_encoding_known_values(attn):
    pe = attn["positional_encoding"](10, 6)
    assert pe.shape == (10, 6)
    assert np.allclose(pe[0], [0, 1, 0, 1, 0, 1])  # sin(0) = 0, cos(0) = 1
    assert np.allclose(pe[1, :2], [math.sin(1), math.cos(1)])  # first pair: rate 1
    assert np.isclose(pe[1, 2], math.sin(1 / 10000 ** (2 / 6)))  # second pair: a slower wave
    assert np.abs(pe).max() <= 1.0
    assert len({tuple(row) for row in np.round(pe, 6)}) == 10  # every position gets its own pattern
    assert attn["positional_encoding"](3, 5).shape == (3, 5)  # odd sizes work too


def test_multi_head_splits_the_model_dimension(attn):
    rng = np.random.default_rng(3)
    X = rng.normal(size=(4, 6))
    eye = np.eye(6)
    combined = attn["multi_head_attention"](X, eye, eye, eye, eye, num_heads=2)

    # With identity projections, each head is plain attention over its own three columns
    sdpa = attn["scaled_dot_product_attention"]
    expected = np.hstack([sdpa(X[:, :3], X[:, :3], X[:, :3])[0], sdpa(X[:, 3:], X[:, 3:], X[:, 3:])[0]])
    assert np.allclose(combined, expected)
    # One head is ordinary attention followed by the output projection
    W = rng.normal(size=(4, 6, 6))
    one_head = attn["multi_head_attention"](X, *W, num_heads=1)
    assert np.allclose(one_head, sdpa(X @ W[0], X @ W[1], X @ W[2])[0] @ W[3])


def test_demo_prints_encoder_and_causal_weights(capsys, run_snippet):
    run_snippet("ch20_transformers/attention.py")
    printed = capsys.readouterr().out
    assert printed == (SNIPPETS / "ch20_transformers" / "attention_output.txt").read_text()  # the page shows this file
    out = printed.splitlines()
    assert out[0] == "encoder (sees every token)" and out[5] == "decoder (causal mask)"
    assert len(out) == 10

    def weights(line):
        return [float(x) for x in line.split("[")[1].rstrip("]").split()]

    encoder = [weights(line) for line in out[1:5]]
    decoder = [weights(line) for line in out[6:10]]
    assert decoder[0] == [1.0, 0.0, 0.0, 0.0]  # "the" sees only itself
    assert all(row[i + 1 :] == [0.0] * (3 - i) for i, row in enumerate(decoder))  # no peeking ahead
    assert decoder[3] == encoder[3]  # the last token sees every token either way
    assert all(abs(sum(row) - 1) < 0.02 for row in encoder + decoder)  # rounded to 2 decimals


def test_cosine_similarity_and_neighbours(run_snippet, capsys):
    emb = run_snippet("ch20_transformers/embeddings.py")
    cos = emb["cosine_similarity"]
    a = np.array([1.0, 2.0, 3.0])
    assert cos(a, a) == pytest.approx(1.0)
    assert cos(a, -2 * a) == pytest.approx(-1.0)
    assert cos(np.array([1.0, 0.0]), np.array([0.0, 5.0])) == pytest.approx(0.0)
    assert {w: emb["most_similar"](w) for w in emb["embeddings"]} == {
        "cat": "dog", "dog": "cat", "car": "truck", "truck": "car",
    }
    out = capsys.readouterr().out
    assert "cat vs dog: 0.99" in out and "cat vs car: 0.12" in out
