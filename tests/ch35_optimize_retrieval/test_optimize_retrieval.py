"""Chapter 35: chunking, hybrid search with RRF, retrieval metrics and an A/B test, all run for real
on the chapter's corpus; embeddings from the loopback deployment (a hashed bag of words, not a
trained model); DocumentRetrievalEvaluator in chapter 33's declared environment."""

import importlib
import itertools
import json
import math
import re
import statistics
import sys
from fractions import Fraction

import numpy as np
import pytest
from sklearn.metrics import ndcg_score

from tests.conftest import SNIPPETS
from tests.fake_azure import chat_model as fake_model
from tests.fake_azure import job_envs

FOLDER = SNIPPETS / "ch35_optimize_retrieval"
MODULES = ("azureml_docs", "chunking", "hybrid_search", "retrieval_metrics")
# chapter 33's declared environment, reused
EVALUATION = job_envs.from_requirements_file(SNIPPETS / "ch33_evaluate_genai_apps/requirements.txt")


@pytest.fixture
def chapter(monkeypatch):
    """The chapter's modules, imported as its scripts import them: from the scripts' own folder."""
    monkeypatch.syspath_prepend(str(FOLDER))
    for name in MODULES:
        monkeypatch.delitem(sys.modules, name, raising=False)
    modules = {name: importlib.import_module(name) for name in MODULES}
    yield type("Chapter", (), modules)
    for name in MODULES:
        sys.modules.pop(name, None)


def shown(*names: str) -> str:
    """What the page shows a script printing: its output files, in order."""
    return "".join((FOLDER / "output" / f"{name}.txt").read_text() for name in names)


def table(out: str, columns: int) -> dict[str, list[str]]:
    """Rows of a printed table: the name (which may hold spaces) and its last ``columns`` cells."""
    rows = {}
    for line in out.splitlines():
        cells = line.split()
        if len(cells) > columns and re.fullmatch(r"[\d.%]+", cells[-1]):
            rows[" ".join(cells[:-columns])] = cells[-columns:]
    return rows


# --- chunking ---------------------------------------------------------------------------------


def test_fixed_size_windows_overlap_by_the_stated_number_of_words(chapter):
    text = " ".join(f"w{i}" for i in range(100))
    chunks = chapter.chunking.fixed_size("doc", text, 40, overlap=10)
    windows = [chunk.text.split() for chunk in chunks]
    assert [w[0] for w in windows] == ["w0", "w30", "w60"]  # each starts 40 - 10 words later
    assert all(len(set(a) & set(b)) == 10 for a, b in itertools.pairwise(windows))
    assert windows[-1][-1] == "w99"  # nothing is lost at the end
    assert len(chapter.chunking.fixed_size("doc", text, 50)) == 2
    with pytest.raises(ValueError):
        chapter.chunking.fixed_size("doc", text, 40, overlap=40)


def test_sentence_chunks_never_cut_a_sentence(chapter):
    for doc_id, text in chapter.azureml_docs.DOCUMENTS.items():
        chunks = chapter.chunking.by_sentence(doc_id, text, 40)
        for sentence in chapter.chunking.sentences(text):
            assert sum(sentence in chunk.text for chunk in chunks) >= 1
        assert all(len(c.text.split()) <= 40 or c.text in chapter.chunking.sentences(text) for c in chunks)


def test_heading_chunks_are_the_sections_and_name_their_topic(chapter):
    docs = chapter.azureml_docs.DOCUMENTS
    chunks = [c for doc_id, text in docs.items() for c in chapter.chunking.by_heading(doc_id, text)]
    sections = [(doc_id, m[1]) for doc_id, text in docs.items() for m in re.finditer(r"^## (.+)$", text, re.M)]
    assert len(chunks) == len(sections)
    for chunk, (doc_id, heading) in zip(chunks, sections, strict=True):
        title = re.search(r"^# (.+)$", docs[doc_id], re.M)[1]
        assert chunk.text.startswith(f"{title} > {heading}:")
    small = chapter.chunking.by_heading("compute", docs["compute"], max_words=25)
    one_sentence = [c for c in small if len(c.text.split()) > 25]  # a longer sentence stands alone
    assert len(small) > 3 and all(len(re.findall(r"[.!?](\s|$)", c.text)) == 1 for c in one_sentence)
    assert all(c.text.startswith("Compute targets > ") for c in small)


def answer_cut_by_fixed_windows(text: str, answer: str, size: int) -> bool:
    """Independently of the chunker: the answer's words span a multiple of ``size`` words."""
    flat = " ".join(text.split())
    start = len(flat[:flat.index(answer)].split())  # the answer's first word, counted from 0
    return start // size != (start + len(answer.split()) - 1) // size


def test_the_chunking_table_counts_answers_cut_in_half(chapter, run_snippet, capsys):
    run_snippet("ch35_optimize_retrieval/chunking.py")
    out = capsys.readouterr().out
    assert out == shown("chunking")
    rows = table(out, 4)
    docs, queries = chapter.azureml_docs.DOCUMENTS, chapter.azureml_docs.QUERIES
    home = {q["answer"]: next(d for d in docs if q["answer"] in " ".join(docs[d].split())) for q in queries}
    cut = sum(answer_cut_by_fixed_windows(docs[home[q["answer"]]], q["answer"], 40) for q in queries)
    assert cut > 0
    assert rows["fixed 40 words"][3] == f"{(len(queries) - cut) / len(queries):.0%}"
    assert rows["fixed 40 words, 10 overlap"][3] == "100%"  # every answer is shorter than the overlap
    assert all(len(q["answer"].split()) <= 10 for q in queries)
    assert int(rows["fixed 40 words, 10 overlap"][0]) > int(rows["fixed 40 words"][0])  # overlap costs chunks
    assert int(rows["headings"][0]) == sum(len(re.findall(r"^## ", t, re.M)) for t in docs.values())


# --- embeddings, vector, keyword and hybrid search ---------------------------------------------


def test_rrf_orders_a_hand_computed_case(chapter):
    fused = chapter.hybrid_search.reciprocal_rank_fusion([["a", "b", "c"], ["c", "a", "d"]])
    by_hand = {"a": Fraction(1, 61) + Fraction(1, 62), "c": Fraction(1, 63) + Fraction(1, 61),
               "b": Fraction(1, 62), "d": Fraction(1, 63)}
    assert [item for item, _ in fused] == ["a", "c", "b", "d"]
    assert all(math.isclose(score, float(by_hand[item])) for item, score in fused)
    # Second in both lists beats first in one at k = 60 (2/62 > 1/61); k sets how much a first
    # place is worth against agreement: at k = 0 they weigh the same (1/1 = 1/2 + 1/2).
    assert [i for i, _ in chapter.hybrid_search.reciprocal_rank_fusion([["x", "y"], ["z", "y"]])][0] == "y"
    assert dict(chapter.hybrid_search.reciprocal_rank_fusion([["x", "y"], ["z", "y"]], k=0)) == \
        {"x": 1.0, "y": 1.0, "z": 1.0}


def test_embeddings_come_from_the_deployment_with_entra_id(chat_model, chapter):
    client = chapter.hybrid_search.embedding_client()
    texts = ["Compute cluster scales to zero nodes", "Serverless compute needs no cluster"]
    vectors = chapter.hybrid_search.embed(client, texts)
    short = chapter.hybrid_search.embed(client, texts, dimensions=256)
    assert vectors.shape == (2, 1536) and short.shape == (2, 256)
    assert np.allclose(vectors, np.array([fake_model.embed(t, 1536) for t in texts]), atol=1e-6)
    assert np.allclose(np.linalg.norm(short, axis=1), 1.0)
    sent = [r for r in chat_model.requests if r["operation"] == "embeddings"]
    assert [r["deployment"] for r in sent] == ["text-embedding-3-small"] * 2
    assert "dimensions" not in sent[0] and sent[1]["dimensions"] == 256


def test_the_demo_fuses_the_two_rankings_it_prints(chat_model, chapter, run_snippet, capsys):
    run_snippet("ch35_optimize_retrieval/hybrid_search.py")
    out = capsys.readouterr().out
    assert out == shown("hybrid_search")
    lines = {line.split()[0]: re.findall(r"(\S+) ([\d.]+)(?:,|$)", line) for line in out.splitlines()}
    assert lines["keyword"][0][0] == "security#managed-identity"  # "blobs": the Storage Blob Data Reader section
    fused = chapter.hybrid_search.reciprocal_rank_fusion([[s for s, _ in lines["vector"]],
                                                          [s for s, _ in lines["keyword"]]])
    assert [s for s, _ in lines["hybrid"]] == [s for s, _ in fused[:3]]
    cosines = [float(score) for _, score in lines["vector"]]
    assert cosines == sorted(cosines, reverse=True) and all(-1 <= c <= 1 for c in cosines)


def test_a_threshold_keeps_only_chunks_scoring_at_least_it(chat_model, chapter):
    index = chapter.hybrid_search.Index(chapter.hybrid_search.embedding_client(),
                                        chapter.chunking.chunk_corpus("headings"))
    question = "Which role lets the workspace identity read blobs?"
    every = index.vector(question)
    kept = index.vector(question, threshold=0.2)
    assert kept == [(chunk, score) for chunk, score in every if score >= 0.2] and 0 < len(kept) < len(every)
    assert all(score > 0 for _, score in index.keyword("Bandit termination"))
    hybrid = index.hybrid(question, threshold=0.2)  # the threshold filters the vector list before fusion
    assert {c.id for c, _ in hybrid} == {c.id for c, _ in kept} | {c.id for c, _ in index.keyword(question)}


# --- retrieval metrics --------------------------------------------------------------------------


def test_metrics_on_hand_computed_cases(chapter):
    m = chapter.retrieval_metrics
    labels = {"a": 2, "b": 1}
    ranked = ["c", "b", "a", "d"]
    assert m.recall_at_k(ranked, labels, 2) == 0.5 and m.recall_at_k(ranked, labels, 3) == 1.0
    assert m.reciprocal_rank(ranked, labels) == 0.5 and m.reciprocal_rank(ranked, labels, min_grade=2) == 1 / 3
    assert m.reciprocal_rank(["c", "d"], labels) == 0.0 and m.recall_at_k(ranked, {}, 3) == 0.0
    # DCG = 1/log2(3) + 3/log2(4); ideal = 3/1 + 1/log2(3)
    assert math.isclose(m.ndcg_at_k(ranked, labels, 3), (1 / math.log2(3) + 3 / 2) / (3 + 1 / math.log2(3)))
    assert m.ndcg_at_k(["a", "b"], labels, 2) == 1.0 and m.ndcg_at_k(ranked, {"x": 0}, 3) == 0.0


@pytest.mark.parametrize("k", [1, 3, 5])
def test_ndcg_matches_scikit_learn_with_exponential_gain(chapter, k):
    rng = np.random.default_rng(k)
    items = [f"s{i}" for i in range(12)]
    for _ in range(20):
        grades = dict(zip(items, rng.integers(0, 3, len(items)).tolist(), strict=True))
        ranked = [items[i] for i in rng.permutation(len(items))]
        scores = [[len(items) - ranked.index(item) for item in items]]
        expected = ndcg_score([[2 ** grades[item] - 1 for item in items]], scores, k=k)
        assert math.isclose(chapter.retrieval_metrics.ndcg_at_k(ranked, grades, k), expected, abs_tol=1e-12) \
            or not any(grades.values())


# --- tuning and the A/B test --------------------------------------------------------------------


def test_tuning_prefers_heading_chunks_and_shows_the_costs(chat_model, chapter, run_snippet, capsys):
    run_snippet("ch35_optimize_retrieval/tune_retrieval.py")
    out = capsys.readouterr().out
    assert out == shown("tune_chunks", "tune_dimensions", "tune_threshold")
    strategies = {name: float(cells[1]) for name, cells in table(out, 2).items()
                  if name in chapter.chunking.STRATEGIES}
    assert set(strategies) == set(chapter.chunking.STRATEGIES)
    assert max(strategies, key=strategies.get) == "headings"
    assert strategies["fixed 40 words, 10 overlap"] > strategies["fixed 40 words"]  # overlap rescues cut answers
    dims = re.findall(r"(\d+) dimensions: ndcg@5 ([\d.]+), (\d+) KiB", out)
    sections = len(chapter.chunking.chunk_corpus("headings"))
    assert [int(kib) for _, _, kib in dims] == [round(sections * int(d) * 4 / 1024) for d, _, _ in dims]
    ndcg = [float(n) for _, n, _ in dims]
    assert ndcg == sorted(ndcg, reverse=True) and ndcg[0] > ndcg[-1]  # fewer buckets, more collisions
    sweep = [(float(t), int(a), int(e)) for t, a, e in re.findall(r"^\s+([\d.]+)\s+(\d+)%\s+(\d+)%$", out, re.M)]
    assert [t for t, _, _ in sweep] == [0.0, 0.1, 0.2, 0.3, 0.4]
    assert sweep[0][1:] == (100, 0)  # no threshold: every question answered, every off-topic one too
    assert [a for _, a, _ in sweep] == sorted((a for _, a, _ in sweep), reverse=True)
    assert [e for _, _, e in sweep] == sorted(e for _, _, e in sweep)


def sign_flip_p(differences: list[float]) -> float:
    """An exact paired permutation test, one-sided: the share of the 2**n sign patterns of the
    non-zero differences whose mean is at least the observed mean."""
    nonzero = [d for d in differences if d]
    observed = sum(nonzero)
    patterns = itertools.product((1, -1), repeat=len(nonzero))
    return statistics.mean(sum(s * d for s, d in zip(signs, nonzero, strict=True)) >= observed - 1e-12
                           for signs in patterns)


def test_the_ab_test_adopts_hybrid_for_the_stated_reasons(chat_model, chapter, run_snippet, capsys):
    globals_ = run_snippet("ch35_optimize_retrieval/ab_test.py")
    out = capsys.readouterr().out
    assert out == shown("ab_test")
    queries = chapter.azureml_docs.QUERIES
    a, b = (globals_["results"][name] for name in globals_["CONFIGURATIONS"])
    for scores in (a, b):  # the per-question numbers are the metrics of the ranked lists
        for query, ranked, ndcg in zip(queries, scores["ranked"], scores["ndcg@5"], strict=True):
            assert math.isclose(ndcg, chapter.retrieval_metrics.ndcg_at_k(ranked, query["relevant"], 5))
    differences = [y - x for x, y in zip(a["ndcg@5"], b["ndcg@5"], strict=True)]
    better, worse = sum(d > 0 for d in differences), sum(d < 0 for d in differences)
    assert f"B better on {better} questions, worse on {worse}" in out
    p = float(re.search(r"Wilcoxon p = ([\d.]+)", out)[1])
    assert p < 0.05 and sign_flip_p(differences) < 0.05  # an independent paired test agrees
    assert "decision: adopt B" in out
    # The reason: hybrid gains exactly where BM25 alone ranks the labelled sections better than the
    # vector search (its rare words count; the hashed embedding weighs "how", "do", "the" as much as
    # "blobs"), and it loses only where BM25 alone is worse: RRF lets each ranking vote.
    index, ndcg = globals_["index"], chapter.retrieval_metrics.ndcg_at_k
    for query, d in zip(queries, differences, strict=True):
        vector, keyword = (ndcg(chapter.hybrid_search.sources(search(query["question"])), query["relevant"], 5)
                           for search in (index.vector, index.keyword))
        assert (d > 0) <= (keyword > vector) and (d < 0) <= (keyword < vector), query["question"]


def test_document_retrieval_evaluator_agrees_with_our_ndcg(chat_model, chapter, run_snippet, capsys, tmp_path):
    run_snippet("ch35_optimize_retrieval/ab_test.py")
    folder = tmp_path / FOLDER.name  # where run_snippet ran: retrieved.jsonl is there
    result = job_envs.run_script(EVALUATION, [str(FOLDER / "evaluate_retrieval.py")], cwd=folder, timeout=600)
    assert result.returncode == 0, result.stderr
    rows = [json.loads(line) for line in (folder / "retrieved.jsonl").read_text().splitlines()]
    scored = [json.loads(line) for line in (folder / "document_retrieval.jsonl").read_text().splitlines()]
    assert len(rows) == len(scored) == len(chapter.azureml_docs.QUERIES)
    for row, metrics in zip(rows, scored, strict=True):
        labels = {t["document_id"]: t["query_relevance_label"] for t in row["retrieval_ground_truth"]}
        ranked = [d["document_id"] for d in row["retrieved_documents"]]
        assert len(ranked) == 5 and metrics["holes"] == 0  # every section is labelled
        assert math.isclose(metrics["ndcg@3"], chapter.retrieval_metrics.ndcg_at_k(ranked, labels, 3))
        assert metrics["top1_relevance"] == labels[ranked[0]]
    mean = statistics.mean(m["ndcg@3"] for m in scored)
    assert f"ndcg@3          {mean:.3f}" in result.stdout and result.stdout == shown("evaluate_retrieval")
