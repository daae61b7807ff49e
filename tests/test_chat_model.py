"""The loopback model deployment answers as an Azure OpenAI deployment does, and refuses as it does."""

from __future__ import annotations

import json

import jwt
import openai
import pytest
import requests
from azure.identity import DefaultAzureCredential, get_bearer_token_provider
from openai import AzureOpenAI, OpenAI

from tests.fake_azure import chat_model as chat_model_module
from tests.fake_azure.chat_answers import GUESS, NO_ANSWER
from tests.fake_azure.chat_model import deployment_of

SCOPE = "https://cognitiveservices.azure.com/.default"
CONTEXT = ("Context:\nA compute instance is a managed workstation for one user. "
           "A compute cluster scales out to many nodes for training jobs.\n")


def client(endpoint: str) -> AzureOpenAI:
    provider = get_bearer_token_provider(DefaultAzureCredential(), SCOPE)
    return AzureOpenAI(azure_endpoint=endpoint, azure_ad_token_provider=provider, api_version="2024-10-21")


def ask(chat, system: str, user: str, **options) -> str:
    messages = [{"role": "system", "content": system}, {"role": "user", "content": user}]
    return chat.chat.completions.create(model="gpt-4.1-mini", messages=messages, **options).choices[0].message.content


def test_the_answer_comes_from_the_context_and_brevity_is_asked_for(chat_model):
    chat = client(chat_model.endpoint)
    question = "What scales out to many nodes?"
    concise = ask(chat, "Answer in one sentence.", CONTEXT + question)
    chatty = ask(chat, "You are a helpful assistant.", CONTEXT + question)
    assert concise == "A compute cluster scales out to many nodes for training jobs."
    assert concise in chatty and len(chatty) > len(concise)
    assert ask(chat, "Be brief.", CONTEXT + "Which GPU does a serverless endpoint use?") == NO_ANSWER
    assert ask(chat, "Be brief.", question) == GUESS
    assert ask(chat, "Be brief.", CONTEXT + question) == ask(chat, "Be brief.", CONTEXT + question, temperature=1.5)


def test_usage_is_counted_and_max_tokens_cuts_the_answer(chat_model):
    chat = client(chat_model.endpoint)
    messages = [{"role": "user", "content": CONTEXT + "What is a compute instance?"}]
    full = chat.chat.completions.create(model="gpt-4.1-mini", messages=messages)
    cut = chat.chat.completions.create(model="gpt-4.1-mini", messages=messages, max_tokens=3)
    assert full.model.startswith("gpt-4.1-mini") and full.choices[0].finish_reason == "stop"
    assert full.usage.total_tokens == full.usage.prompt_tokens + full.usage.completion_tokens
    assert cut.choices[0].finish_reason == "length" and cut.usage.completion_tokens <= 3
    assert cut.usage.prompt_tokens == full.usage.prompt_tokens


def test_streaming_sends_the_same_answer_in_pieces_then_usage(chat_model):
    chat = client(chat_model.endpoint)
    messages = [{"role": "user", "content": CONTEXT + "What is a compute instance?"}]
    whole = chat.chat.completions.create(model="gpt-4.1-mini", messages=messages)
    chunks = list(chat.chat.completions.create(model="gpt-4.1-mini", messages=messages, stream=True,
                                               stream_options={"include_usage": True}))
    assert "".join(c.choices[0].delta.content or "" for c in chunks if c.choices) == whole.choices[0].message.content
    assert len(chunks) > 2 and chunks[-1].usage.total_tokens == whole.usage.total_tokens


def test_the_v1_route_and_embeddings(chat_model):
    token = DefaultAzureCredential().get_token(SCOPE).token
    v1 = OpenAI(base_url=f"{chat_model.endpoint}/openai/v1/", api_key=token)
    assert ask(v1, "Be concise.", CONTEXT + "What is a compute instance?").startswith("A compute instance")
    texts = ["compute cluster", "compute clusters", "pizza"]
    first, *others = v1.embeddings.create(model="text-embedding-3-small", input=texts).data
    near, far = (sum(a * b for a, b in zip(first.embedding, other.embedding, strict=True)) for other in others)
    assert len(first.embedding) == 1536 and near > 0.5 > far
    short = v1.embeddings.create(model="text-embedding-3-small", input="x", dimensions=256, encoding_format="float")
    assert len(short.data[0].embedding) == 256


def test_keys_unknown_deployments_wrong_operations_and_missing_versions_are_refused(chat_model):
    keyed = AzureOpenAI(azure_endpoint=chat_model.endpoint, api_key="not-a-real-key", api_version="2024-10-21")
    with pytest.raises(openai.AuthenticationError, match="Key based authentication is disabled"):
        ask(keyed, "", "hello")
    chat = client(chat_model.endpoint)
    with pytest.raises(openai.NotFoundError, match="'gpt-9'. Chapter 30's foundry.bicep creates gpt-4.1-mini, "):
        chat.chat.completions.create(model="gpt-9", messages=[{"role": "user", "content": "hi"}])
    with pytest.raises(openai.BadRequestError, match="does not work with"):
        chat.embeddings.create(model="gpt-4.1-mini", input="hi")
    undated = AzureOpenAI(azure_endpoint=chat_model.endpoint, api_version="latest",
                          azure_ad_token_provider=get_bearer_token_provider(DefaultAzureCredential(), SCOPE))
    with pytest.raises(openai.NotFoundError):
        ask(undated, "", "hi")
    wrong_audience = AzureOpenAI(azure_endpoint=chat_model.endpoint, api_version="2024-10-21", azure_ad_token_provider=
                                 get_bearer_token_provider(DefaultAzureCredential(), "https://management.azure.com/.default"))
    with pytest.raises(openai.AuthenticationError):
        ask(wrong_audience, "", "hi")


def test_the_managed_identity_endpoint_issues_tokens_for_the_resource_asked(chat_model):
    """As App Service's identity endpoint answers (api-version 2019-08-01): the token's audience is the
    resource asked for, and a request without the identity header is refused."""
    environment = chat_model.identity_env()
    asked = {"api-version": "2019-08-01", "resource": "https://cognitiveservices.azure.com"}
    answer = requests.get(environment["IDENTITY_ENDPOINT"], params=asked,
                          headers={"X-IDENTITY-HEADER": environment["IDENTITY_HEADER"]}, timeout=10)
    claims = jwt.decode(answer.json()["access_token"], options={"verify_signature": False})
    assert answer.status_code == 200 and claims["aud"] == asked["resource"]
    assert requests.get(environment["IDENTITY_ENDPOINT"], params=asked, timeout=10).status_code == 404
    assert chat_model.requests == []  # token requests are not model requests


def test_a_request_that_offers_tools_gets_a_call_then_an_answer_from_its_result(chat_model):
    """The Chat Completions tool-calling round trip (``chat_tools.py``): the best-matching function is
    called with arguments from its schema, and the answer comes from what the caller sends back."""
    chat = client(chat_model.endpoint)
    tools = [{"type": "function", "function": {"name": name, "description": description, "parameters": {
        "type": "object", "properties": {"text": {"type": "string"}, "nodes": {"type": "integer"},
                                         "tier": {"type": "string", "enum": ["low", "dedicated"]}},
        "required": ["text", "nodes", "tier"]}}}
        for name, description in [("get_weather", "The weather in a city."),
                                  ("price_cluster", "The hourly price of a compute cluster.")]]
    messages = [{"role": "system", "content": "Be brief."},
                {"role": "user", "content": "What does a dedicated compute cluster of 4 nodes cost?"}]
    first = chat.chat.completions.create(model="gpt-4.1-mini", messages=messages, tools=tools)
    (call,) = first.choices[0].message.tool_calls
    assert first.choices[0].finish_reason == "tool_calls" and first.choices[0].message.content is None
    assert call.function.name == "price_cluster"
    assert json.loads(call.function.arguments) == {"text": messages[1]["content"], "nodes": 4, "tier": "dedicated"}
    streamed = list(chat.chat.completions.create(model="gpt-4.1-mini", messages=messages, tools=tools, stream=True))
    assert streamed[0].choices[0].delta.tool_calls[0].id == call.id  # the same conversation, the same call
    result = "A dedicated cluster of 4 nodes costs 12 dollars an hour."
    messages += [first.choices[0].message.model_dump(exclude_none=True),
                 {"role": "tool", "tool_call_id": call.id, "content": result}]
    second = chat.chat.completions.create(model="gpt-4.1-mini", messages=messages, tools=tools)
    assert second.choices[0].message.content == result and second.choices[0].finish_reason == "stop"
    unrelated = chat.chat.completions.create(model="gpt-4.1-mini", messages=[{"role": "user", "content": "Hello"}],
                                             tools=tools)
    assert unrelated.choices[0].message.tool_calls is None  # no function shares a word with it: no call


def test_a_deployment_is_only_of_a_model_version_azure_sells_and_has_not_retired(monkeypatch):
    assert deployment_of("text-embedding-3-small", "1", "here").embeds
    with pytest.raises(ValueError, match="here: DeploymentModelNotSupported: .*Name:gpt-4.1-mini,Version:2023-01-01"):
        deployment_of("gpt-4.1-mini", "2023-01-01", "here")

    class AfterRetirement(chat_model_module.date):
        @classmethod
        def today(cls):
            return cls(2030, 1, 1)

    monkeypatch.setattr(chat_model_module, "date", AfterRetirement)
    with pytest.raises(ValueError, match="here: gpt-4.1-mini version 2025-04-14 retired on 2027-10-14"):
        deployment_of("gpt-4.1-mini", "2025-04-14", "here")
