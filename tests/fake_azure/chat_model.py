"""A model deployment on 127.0.0.1 that speaks the Azure OpenAI data plane, deterministically.

The ``openai`` client (and what builds on it: ``azure-ai-evaluation``, Agent Framework, prompty)
talks ``httpx``, not ``requests``, so this fake is a real HTTP server the tests start, not a
handler behind the adapter. Routes, as a Foundry resource's ``https://<name>.openai.azure.com``
or ``https://<name>.services.ai.azure.com`` answers them:
- ``POST /openai/deployments/<deployment>/chat/completions?api-version=<date>``, as ``AzureOpenAI``
  calls it, and ``POST /openai/v1/chat/completions`` (the v1 API: the deployment is the body's
  ``model``, no ``api-version``), with ``stream`` (server-sent events) and ``max_tokens``;
- the same two shapes for ``/embeddings`` (``dimensions`` honoured, vectors of length 1, as floats or
  as ``encoding_format: base64``, little-endian float32, which the ``openai`` client asks for);
- ``GET /msi/token?resource=...`` with the ``X-IDENTITY-HEADER`` header: a managed identity's token
  endpoint, so that ``DefaultAzureCredential`` in a process of its own (an evaluation's venv) gets a
  token without leaving the machine (``IDENTITY_ENDPOINT``/``IDENTITY_HEADER``, see ``identity_env``).

Azure's rules kept: Microsoft Entra ID only (the resource has local authentication disabled, as
chapter 30's Bicep sets it: an ``api-key`` header is refused with 401) and the token's audience must
be ``https://cognitiveservices.azure.com`` or ``https://ai.azure.com``; the deployments are those
chapter 30's ``foundry.bicep`` creates (``created_by_chapter_30``), each of a model version Azure sells
and has not retired, and any other is 404 ``DeploymentNotFound``; a chat request to an embedding
deployment and the reverse are 400 ``OperationNotSupported``; the date-based routes need
``api-version`` (404 otherwise).

What the model says is a pure function of the request: the first of ``RESPONDERS`` that recognises
the prompt answers it (an evaluator's judging prompt, a simulator's, a request that offers tools),
and ``chat_answers.assistant`` answers any other. Usage is
counted with this fake's own tokenizer (``count_tokens``: words and punctuation marks, plus the
chat format's few tokens per message), not ``o200k_base``: the numbers are close to, not equal
to, Azure's.
"""

from __future__ import annotations

import base64
import functools
import hashlib
import json
import math
import re
import struct
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from tests.fake_azure import bicep, chat_answers, chat_fine_tuning, chat_judges, chat_simulator, chat_tools, loopback
from tests.fake_azure.catalog import facts
from tests.fake_azure.http import bearer_audience
from tests.fake_azure.install import token_for

AUDIENCES = {"https://cognitiveservices.azure.com", "https://ai.azure.com"}
FOUNDRY_BICEP = Path(__file__).resolve().parents[2] / "snippets/ch30_foundry_resources_and_projects/foundry.bicep"
IDENTITY_HEADER = "loopback-identity"  # what IDENTITY_HEADER holds for the processes the tests start
DATED_ROUTE = re.compile(r"^/openai/deployments/(?P<deployment>[^/]+)/(?P<operation>chat/completions|embeddings)$")
V1_ROUTE = re.compile(r"^/openai/v1/(?P<operation>chat/completions|embeddings)$")
API_VERSION = re.compile(r"^\d{4}-\d{2}-\d{2}(-preview)?$")
TOKEN = re.compile(r"\w+|[^\w\s]")
TOKENS_PER_MESSAGE, TOKENS_PRIMING_REPLY = 3, 3  # OpenAI's published overhead of the chat format
# Each takes (messages, request body) and returns the answer's text, or None when the prompt is not its kind;
# a responder may also return a whole assistant message (a dict), such as one with ``tool_calls``.
RESPONDERS: list[Callable[[list[dict], dict], str | dict | None]] = [
    chat_tools.respond, chat_simulator.respond, chat_judges.judge]


@dataclass(frozen=True)
class Deployment:
    """A model deployment of the resource: its model, and whether it chats or embeds."""

    model: str
    version: str
    embeds: bool = False
    dimensions: int = 0  # an embedding model's native vector length


def deployment_of(model: str, version: str, where: str) -> Deployment:
    """A deployment of ``model`` at ``version``, as Azure creates one: only of a version it sells
    and has not retired (``facts/openai_models.yml``). ``where`` names what asks for it."""
    known = facts("openai_models")["models"].get(model)
    if known is None or known["version"] != version:
        raise ValueError(f"{where}: DeploymentModelNotSupported: the model 'Format:OpenAI,Name:{model},"
                         f"Version:{version}' is not one the fake knows Azure to sell (facts/openai_models.yml)")
    if known["retires"] <= date.today():
        raise ValueError(f"{where}: {model} version {version} retired on {known['retires']}: Azure refuses "
                         "new deployments of it and its deployments answer only errors")
    return Deployment(model, version, embeds=known["kind"] == "embeddings", dimensions=known.get("dimensions", 0))


@functools.cache  # every ChatModel starts from these; the Bicep file is read once a run
def created_by_chapter_30() -> dict[str, Deployment]:
    """The model deployments chapter 30's ``foundry.bicep`` creates on the Foundry resource, by name.
    Callers copy it (a test may add a deployment to its own ChatModel)."""
    template = bicep.read_template(FOUNDRY_BICEP)
    found = {}
    for resource in template.resources.values():
        if resource["type"] == bicep.MODEL_DEPLOYMENT:
            body = {key: value.strip("'") for key, value in resource["body"].items()}
            found[body["name"]] = deployment_of(body["properties.model.name"], body["properties.model.version"],
                                                f"{FOUNDRY_BICEP.name}:{resource['line']}")
    return found


def count_tokens(text: str) -> int:
    return len(TOKEN.findall(text))


def prompt_tokens(messages: list[dict]) -> int:
    return TOKENS_PRIMING_REPLY + sum(TOKENS_PER_MESSAGE + count_tokens(chat_answers.text_of(m)) for m in messages)


def embed(text: str, dimensions: int) -> list[float]:
    """A deterministic embedding: words and character trigrams hashed into ``dimensions`` buckets,
    normalised. Texts that share words point the same way; it knows no synonyms."""
    vector = [0.0] * dimensions
    words = re.findall(r"\w+", text.lower())
    grams = [word[i:i + 3] for word in words for i in range(max(1, len(word) - 2))]
    for feature, weight in [*((w, 1.0) for w in words), *((g, 0.5) for g in grams)]:
        digest = hashlib.blake2b(feature.encode(), digest_size=8).digest()
        vector[int.from_bytes(digest[:4], "little") % dimensions] += weight if digest[4] % 2 else -weight
    norm = math.sqrt(sum(x * x for x in vector)) or 1.0
    return [x / norm for x in vector]


@dataclass
class ChatModel:
    """The running server: ``endpoint`` is what a reader's ``AZURE_OPENAI_ENDPOINT`` would hold;
    ``requests`` keeps every request body answered, in order (what a test inspects)."""

    deployments: dict[str, Deployment] = field(default_factory=lambda: dict(created_by_chapter_30()))
    requests: list[dict] = field(default_factory=list)
    tuning: chat_fine_tuning.Service = field(default_factory=chat_fine_tuning.Service)  # files, fine-tuning jobs

    def __post_init__(self):
        model = self

        class Handler(_Handler):
            owner = model

        self._server = loopback.started(Handler)

    @property
    def endpoint(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def identity_env(self) -> dict[str, str]:
        """The environment variables of a managed identity whose token endpoint is this server."""
        return {"IDENTITY_ENDPOINT": f"{self.endpoint}/msi/token", "IDENTITY_HEADER": IDENTITY_HEADER}

    def close(self) -> None:
        loopback.stopped(self._server)


class _Handler(BaseHTTPRequestHandler):
    owner: ChatModel
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):  # quiet: the tests read ``requests``, not a log
        pass

    def do_GET(self):
        parts = urlsplit(self.path)
        if tuning := chat_fine_tuning.ROUTE.match(parts.path):
            return chat_fine_tuning.serve(self, tuning, self._signed_in())
        if parts.path != "/msi/token" or self.headers.get("X-IDENTITY-HEADER") != IDENTITY_HEADER:
            return self._error(404, "NotFound", f"no GET route {parts.path}")
        resource = parse_qs(parts.query).get("resource", [""])[0]
        token = token_for([resource])
        self._json(200, {"access_token": token.token, "expires_on": str(token.expires_on), "resource": resource,
                         "token_type": "Bearer"})

    def do_POST(self):
        parts = urlsplit(self.path)
        if tuning := chat_fine_tuning.ROUTE.match(parts.path):
            return chat_fine_tuning.serve(self, tuning, self._signed_in())
        body = json.loads(self.rfile.read(int(self.headers.get("Content-Length") or 0)) or b"{}")
        name, operation = _target(parts.path, body)
        refusal = self._refusal(parts, name, operation)
        if refusal:
            return self._error(*refusal)
        deployment = self.owner.deployments[name]
        self.owner.requests.append({"deployment": name, "operation": operation, **body})
        if operation == "embeddings":
            return self._json(200, _embeddings(deployment, body))
        completion = _completion(deployment, body)
        if body.get("stream"):
            return self._stream(completion, body)
        return self._json(200, completion)

    def _refusal(self, parts, name: str, operation: str | None) -> tuple[int, str, str] | None:
        if self.headers.get("api-key"):
            return 401, "AuthenticationTypeDisabled", "Key based authentication is disabled for this resource."
        if not self._signed_in():
            return 401, "PermissionDenied", f"a Microsoft Entra ID token for one of {sorted(AUDIENCES)} is required"
        if operation is None:
            return 404, "NotFound", f"Resource not found: {parts.path}"
        version = parse_qs(parts.query).get("api-version", [""])[0]
        if DATED_ROUTE.match(parts.path) and not API_VERSION.match(version):
            return 404, "NotFound", "Resource not found: the dated routes need api-version=YYYY-MM-DD[-preview]"
        deployment = self.owner.deployments.get(name)
        if deployment is None:
            return 404, "DeploymentNotFound", (f"The API deployment for this resource does not exist: '{name}'. "
                                               f"Chapter 30's {FOUNDRY_BICEP.name} creates "
                                               f"{', '.join(self.owner.deployments)} on the Foundry resource.")
        if deployment.embeds != (operation == "embeddings"):
            return 400, "OperationNotSupported", f"The {operation} operation does not work with '{name}'."
        return None

    def _signed_in(self) -> bool:
        """Whether the request carries a Microsoft Entra ID token for this resource's audiences."""
        return bearer_audience(self.headers.get("Authorization", "")) in AUDIENCES

    def _json(self, status: int, document: dict) -> None:
        content = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.send_header("apim-request-id", str(uuid.uuid4()))
        self.end_headers()
        self.wfile.write(content)

    def _error(self, status: int, code: str, message: str) -> None:
        self._json(status, {"error": {"code": code, "message": message}})

    def _stream(self, completion: dict, body: dict) -> None:
        """Server-sent events: one chunk per word of the answer, then ``[DONE]``."""
        self.send_response(200)
        self.send_header("Content-Type", "text/event-stream")
        self.send_header("Connection", "close")
        self.end_headers()
        content = completion["choices"][0]["message"]["content"]
        calls = completion["choices"][0]["message"].get("tool_calls")
        pieces = [] if calls else re.findall(r"\S+\s*", content) or [""]
        base = {key: completion[key] for key in ("id", "created", "model")} | {"object": "chat.completion.chunk"}
        if calls:  # one chunk with every call whole (a call's first delta carries its id and name)
            delta = {"role": "assistant", "tool_calls": [{"index": i, **call} for i, call in enumerate(calls)]}
            self._event({**base, "choices": [{"index": 0, "delta": delta, "finish_reason": "tool_calls"}]})
        for index, piece in enumerate(pieces):
            delta = {"role": "assistant", "content": piece} if index == 0 else {"content": piece}
            finish = completion["choices"][0]["finish_reason"] if index == len(pieces) - 1 else None
            choice = {"index": 0, "delta": delta, "finish_reason": finish}
            self._event({**base, "choices": [choice]})
        if (body.get("stream_options") or {}).get("include_usage"):
            self._event({**base, "choices": [], "usage": completion["usage"]})
        self.wfile.write(b"data: [DONE]\n\n")
        self.close_connection = True

    def _event(self, document: dict) -> None:
        self.wfile.write(f"data: {json.dumps(document)}\n\n".encode())
        self.wfile.flush()


def _target(path: str, body: dict) -> tuple[str, str | None]:
    """The deployment and the operation a request names: in the path (dated routes) or, on the v1
    routes, in the body's ``model``; no operation when the path is neither."""
    if dated := DATED_ROUTE.match(path):
        return dated["deployment"], dated["operation"]
    v1 = V1_ROUTE.match(path)
    return body.get("model", ""), v1["operation"] if v1 else None


def _completion(deployment: Deployment, body: dict) -> dict:
    messages = body.get("messages") or []
    said = (responder(messages, body) for responder in RESPONDERS)
    answer = next((reply for reply in said if reply is not None), None) or chat_answers.assistant(messages, body)
    calls = answer.get("tool_calls") if isinstance(answer, dict) else None
    content = answer if isinstance(answer, str) else answer.get("content") or ""
    limit = body.get("max_completion_tokens") or body.get("max_tokens")
    finish = "tool_calls" if calls else "stop"
    if limit and count_tokens(content) > limit:
        content, finish = content[:list(TOKEN.finditer(content))[limit - 1].end()], "length"
    used = prompt_tokens(messages)
    produced = count_tokens(content) + sum(count_tokens(json.dumps(call["function"])) for call in calls or [])
    message = {"role": "assistant", "content": None, "tool_calls": calls} if calls else {
        "role": "assistant", "content": content}
    return {
        "id": f"chatcmpl-{uuid.uuid4().hex[:24]}", "object": "chat.completion", "created": int(time.time()),
        "model": f"{deployment.model}-{deployment.version}",
        "choices": [{"index": 0, "finish_reason": finish, "message": message}],
        "usage": {"prompt_tokens": used, "completion_tokens": produced, "total_tokens": used + produced},
    }


def _embeddings(deployment: Deployment, body: dict) -> dict:
    inputs = body.get("input")
    texts = [inputs] if isinstance(inputs, str) else list(inputs or [])
    dimensions = body.get("dimensions") or deployment.dimensions
    vectors = [embed(text, dimensions) for text in texts]
    if body.get("encoding_format") == "base64":
        vectors = [base64.b64encode(struct.pack(f"<{len(v)}f", *v)).decode() for v in vectors]
    data = [{"object": "embedding", "index": i, "embedding": vector} for i, vector in enumerate(vectors)]
    used = sum(count_tokens(text) for text in texts)
    return {"object": "list", "model": deployment.model, "data": data,
            "usage": {"prompt_tokens": used, "total_tokens": used}}

