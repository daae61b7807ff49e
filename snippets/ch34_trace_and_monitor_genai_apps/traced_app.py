"""A small question-answering app, traced with OpenTelemetry.

    python traced_app.py "How do I stop paying for an idle compute instance?"

Each question becomes one trace: a parent span for the request, with child spans for the
retrieval and for the model call (named and described by the OpenTelemetry gen_ai semantic
conventions). The spans are written to spans.jsonl, one JSON object a line.
"""

import os
import re
import sys
from urllib.parse import urlsplit

from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import AzureOpenAI, OpenAIError
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import ConsoleSpanExporter, SimpleSpanProcessor
from opentelemetry.trace import SpanKind, Tracer

DOCUMENTS = [
    "A compute instance bills while it runs; stop it, or set an idle shutdown, to stop paying.",
    "A compute cluster scales down to its minimum node count, which can be zero.",
    "Serverless compute needs no cluster: Azure Machine Learning creates and removes it.",
    "Managed online endpoints bill for their instances every hour they are deployed.",
]


# --8<-- [start:client]
def model_client() -> AzureOpenAI:
    """The Foundry resource's Azure OpenAI endpoint, with a Microsoft Entra ID token (no key)."""
    token = get_bearer_token_provider(
        DefaultAzureCredential(), "https://cognitiveservices.azure.com/.default"
    )
    return AzureOpenAI(azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
                       azure_ad_token_provider=token, api_version="2024-10-21")
# --8<-- [end:client]


class StudyHelper:
    """Answers a question from DOCUMENTS with a chat model, one trace per question."""

    def __init__(self, client: AzureOpenAI, tracer: Tracer, deployment: str = "gpt-4.1-mini"):
        self.client, self.tracer, self.deployment = client, tracer, deployment
        endpoint = urlsplit(str(client.base_url))
        self.server = {"server.address": endpoint.hostname, "server.port": endpoint.port or 443}

    # --8<-- [start:request]
    def answer(self, question: str) -> str:
        """One user request: the parent span of everything done to answer it."""
        with self.tracer.start_as_current_span("answer_question") as span:
            context = self.retrieve(question)
            span.set_attribute("app.retrieval.hits", len(context))
            messages = [
                {"role": "system", "content": "Answer in one sentence from the context only."},
                {"role": "user", "content": "Context:\n" + "\n".join(context)
                 + f"\n\nQuestion: {question}"},
            ]
            return self.chat(messages)
    # --8<-- [end:request]

    # --8<-- [start:retrieve]
    def retrieve(self, question: str, top: int = 2) -> list[str]:
        """The documents sharing the most words with the question: a child span of its own."""
        with self.tracer.start_as_current_span("retrieve documents") as span:
            asked = set(re.findall(r"\w+", question.lower()))
            shared = {doc: len(asked & set(re.findall(r"\w+", doc.lower()))) for doc in DOCUMENTS}
            hits = sorted((d for d in DOCUMENTS if shared[d]), key=shared.get, reverse=True)
            span.set_attribute("app.retrieval.documents", len(DOCUMENTS))
            return hits[:top]
    # --8<-- [end:retrieve]

    # --8<-- [start:chat]
    def chat(self, messages: list[dict], max_tokens: int = 200) -> str:
        """The model call: a CLIENT span named and described by the gen_ai conventions."""
        name = f"chat {self.deployment}"  # {gen_ai.operation.name} {gen_ai.request.model}
        with self.tracer.start_as_current_span(name, kind=SpanKind.CLIENT) as span:
            span.set_attributes({
                "gen_ai.operation.name": "chat",
                "gen_ai.provider.name": "azure.ai.openai",
                "gen_ai.system": "azure.ai.openai",  # its old name, which Azure Monitor still reads
                "gen_ai.request.model": self.deployment,
                "gen_ai.request.max_tokens": max_tokens,
                **self.server,
            })
            try:
                stream = self.client.chat.completions.create(
                    model=self.deployment, messages=messages, max_tokens=max_tokens,
                    stream=True, stream_options={"include_usage": True},
                )
                pieces, finish_reasons = [], []
                for chunk in stream:
                    for choice in chunk.choices:
                        if choice.delta.content and not any(pieces):
                            span.add_event("first_token")  # time to first token, from the span
                        pieces.append(choice.delta.content or "")
                        if choice.finish_reason:
                            finish_reasons.append(choice.finish_reason)
                    if chunk.usage:  # the last chunk: what the service counted, and bills
                        span.set_attributes({
                            "gen_ai.response.id": chunk.id,
                            "gen_ai.response.model": chunk.model,
                            "gen_ai.usage.input_tokens": chunk.usage.prompt_tokens,
                            "gen_ai.usage.output_tokens": chunk.usage.completion_tokens,
                        })
            except OpenAIError as error:
                span.set_attribute("error.type", type(error).__qualname__)
                raise  # the span records the exception and ends with status ERROR
            span.set_attribute("gen_ai.response.finish_reasons", finish_reasons)
            return "".join(pieces)
    # --8<-- [end:chat]


# --8<-- [start:main]
def tracer_provider(spans_file) -> TracerProvider:
    """Spans of the service 'study-helper', each written as one line of JSON when it ends."""
    provider = TracerProvider(resource=Resource.create({"service.name": "study-helper"}))
    exporter = ConsoleSpanExporter(out=spans_file,
                                   formatter=lambda span: span.to_json(indent=None) + "\n")
    provider.add_span_processor(SimpleSpanProcessor(exporter))
    return provider


if __name__ == "__main__":
    with open("spans.jsonl", "a", encoding="utf-8") as spans_file:
        provider = tracer_provider(spans_file)
        helper = StudyHelper(model_client(), provider.get_tracer("study-helper"))
        for question in sys.argv[1:]:
            print(f"{question}\n  {helper.answer(question)}")
        provider.shutdown()  # flushes every span before the file closes
# --8<-- [end:main]
