"""Three ways to cut documents into chunks, compared on the corpus of azureml_docs.py.

Sizes are counted in words here; embedding models count tokens (about four characters of
English each).
"""

import re
from dataclasses import dataclass

from azureml_docs import DOCUMENTS, QUERIES

HEADING = re.compile(r"^(#{1,6})\s+(.+)$", re.MULTILINE)
SENTENCE_END = re.compile(r"(?<=[.!?])\s+")


@dataclass(frozen=True)
class Chunk:
    id: str  # unique in the index
    source: str  # what a relevance label names: the document, or the document#section
    text: str


# --8<-- [start:fixed]
def fixed_size(doc_id: str, text: str, size: int, overlap: int = 0) -> list[Chunk]:
    """Windows of ``size`` words; each starts ``size - overlap`` words after the previous one."""
    if not 0 <= overlap < size:
        raise ValueError("overlap must be at least 0 and smaller than size")
    words = text.split()
    starts = range(0, max(len(words) - overlap, 1), size - overlap)
    return [Chunk(f"{doc_id}:{n}", doc_id, " ".join(words[start:start + size]))
            for n, start in enumerate(starts)]
# --8<-- [end:fixed]


# --8<-- [start:sentences]
def sentences(text: str) -> list[str]:
    """Paragraphs and headings split into sentences; a heading line is a sentence of its own."""
    paragraphs = [" ".join(p.split()) for p in re.split(r"\n\s*\n|\n(?=#)", text) if p.strip()]
    return [s for p in paragraphs for s in SENTENCE_END.split(p)]


def by_sentence(doc_id: str, text: str, max_words: int) -> list[Chunk]:
    """Whole sentences packed into chunks of at most ``max_words`` words (a longer sentence
    stands alone)."""
    packed: list[list[str]] = [[]]
    for sentence in sentences(text):
        if packed[-1] and len(" ".join(packed[-1] + [sentence]).split()) > max_words:
            packed.append([])
        packed[-1].append(sentence)
    return [Chunk(f"{doc_id}:{n}", doc_id, " ".join(group)) for n, group in enumerate(packed)]
# --8<-- [end:sentences]


# --8<-- [start:headings]
def slug(heading: str) -> str:
    return re.sub(r"[^a-z0-9]+", "-", heading.lower()).strip("-")


def by_heading(doc_id: str, markdown: str, max_words: int = 120) -> list[Chunk]:
    """One chunk per section, prefixed with the page title and the section's heading, so that a
    chunk names its topic; a section longer than ``max_words`` is cut at sentence boundaries."""
    title = HEADING.search(markdown)[2]
    marks = [m for m in HEADING.finditer(markdown) if len(m[1]) > 1]
    chunks = []
    for mark, following in zip(marks, [*marks[1:], None], strict=True):
        body = markdown[mark.end():following.start() if following else len(markdown)]
        section = f"{doc_id}#{slug(mark[2])}"
        prefix = f"{title} > {mark[2]}:"
        for n, part in enumerate(by_sentence(section, body, max_words - len(prefix.split()))):
            chunks.append(Chunk(f"{section}:{n}", section, f"{prefix} {part.text}"))
    return chunks
# --8<-- [end:headings]


# --8<-- [start:compare]
STRATEGIES = {
    "fixed 40 words": lambda doc_id, text: fixed_size(doc_id, text, 40),
    "fixed 40 words, 10 overlap": lambda doc_id, text: fixed_size(doc_id, text, 40, overlap=10),
    "fixed 120 words": lambda doc_id, text: fixed_size(doc_id, text, 120),
    "sentences, <= 40 words": lambda doc_id, text: by_sentence(doc_id, text, 40),
    "headings": by_heading,
}


def chunk_corpus(strategy: str) -> list[Chunk]:
    cut = STRATEGIES[strategy]
    return [chunk for doc_id, text in DOCUMENTS.items() for chunk in cut(doc_id, text)]


def answers_kept_whole(chunks: list[Chunk]) -> float:
    """Share of the questions whose answer phrase sits whole inside at least one chunk."""
    texts = [" ".join(chunk.text.split()) for chunk in chunks]
    return sum(any(q["answer"] in text for text in texts) for q in QUERIES) / len(QUERIES)


if __name__ == "__main__":
    print(f"{'strategy':28} {'chunks':>6} {'mean words':>10} {'max words':>9}"
          f" {'answers whole':>13}")
    for name in STRATEGIES:
        chunks = chunk_corpus(name)
        lengths = [len(chunk.text.split()) for chunk in chunks]
        print(f"{name:28} {len(chunks):6} {sum(lengths) / len(lengths):10.1f} {max(lengths):9}"
              f" {answers_kept_whole(chunks):13.0%}")
# --8<-- [end:compare]
