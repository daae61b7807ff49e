"""Azure ML's MLflow surface, in front of a real MLflow server: WSGI middleware that refuses what
Azure Machine Learning's tracking server does not support (``facts/mlflow_support.yml``, each rule
with its source) and records every refusal, with where the request came from.

MLflow swallows some of these errors (autolog logs a warning when the logged-models API answers
404 and carries on), so a refusal is not only an answer: the tests fail on any refusal a snippet
caused (``tests/conftest.py``), naming the snippet and the limitation.
"""

from __future__ import annotations

import io
import json
import re
from dataclasses import dataclass
from urllib.parse import parse_qs

from tests.fake_azure.catalog import facts

API = "/api/2.0/mlflow/"
# Set by the tests' in-process MLflow clients (``mlflow_server.SnippetLineHeader``): the snippet line
# that sent the request. Requests from other processes (a job's script) come without it.
ORIGIN_HEADER = "X-Fake-Snippet-Line"


@dataclass(frozen=True)
class Rule:
    id: str
    request: re.Pattern
    field: str | None
    matches: re.Pattern | None
    answer: int
    limitation: str
    source: str
    fallback: bool  # MLflow recovers from this refusal by itself: recorded, not a failure

    def refuses(self, fields: dict) -> bool:
        """Whether a request this rule's ``request`` names, with these fields, is refused."""
        if self.field is None:
            return True
        values = fields.get(self.field) or []
        return any(self.matches.search(str(value)) for value in ([values] if isinstance(values, str) else values))


def rules() -> list[Rule]:
    table = facts("mlflow_support")
    return [Rule(rule["id"], re.compile(rule["request"]), rule.get("field"),
                 re.compile(rule["matches"]) if "matches" in rule else None, rule["answer"],
                 " ".join(rule["limitation"].split()), table["sources"][rule["source"]], rule.get("fallback", False))
            for rule in table["rules"]]


@dataclass(frozen=True)
class Refusal:
    origin: str
    request: str
    rule: Rule

    def __str__(self) -> str:
        return f"{self.origin}: {self.request}: refused by Azure ML ({self.rule.id}): {self.rule.limitation} " \
               f"[{self.rule.source}]"


class Gate:
    """``Gate(app)`` serves ``app`` but for the requests Azure ML's server would refuse."""

    def __init__(self, app):
        self.app = app
        self.rules = rules()
        self.refusals: list[Refusal] = []

    def __call__(self, environ, start_response):
        path = environ.get("PATH_INFO", "")
        if not path.startswith(API):
            return self.app(environ, start_response)
        method, endpoint = environ["REQUEST_METHOD"], path[len(API):]
        candidates = [rule for rule in self.rules if rule.request.fullmatch(f"{method} {endpoint}")]
        fields = _fields(environ) if any(rule.field for rule in candidates) else {}
        refused = next((rule for rule in candidates if rule.refuses(fields)), None)
        if refused is None:
            return self.app(environ, start_response)
        origin = environ.get("HTTP_" + ORIGIN_HEADER.upper().replace("-", "_")) or environ.get("fake.origin") \
            or "a caller outside any snippet (the test itself, or a thread MLflow started)"
        self.refusals.append(Refusal(origin, f"{method} {path}", refused))
        if refused.answer == 404:  # what Azure ML answers for an API it does not have
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        body = json.dumps({"error_code": "INVALID_PARAMETER_VALUE", "message": refused.limitation}).encode()
        start_response(f"{refused.answer} Bad Request",
                       [("Content-Type", "application/json"), ("Content-Length", str(len(body)))])
        return [body]

    def take_refusals(self) -> list[Refusal]:
        """The refusals recorded since the last call that MLflow does not recover from by itself."""
        taken, self.refusals = self.refusals, []
        return [refusal for refusal in taken if not refusal.rule.fallback]


def _fields(environ) -> dict:
    """The request's fields (its JSON body, or its query string), leaving the body for the app to read."""
    if environ["REQUEST_METHOD"] == "GET":
        return parse_qs(environ.get("QUERY_STRING", ""))
    body = environ["wsgi.input"].read(int(environ.get("CONTENT_LENGTH") or 0))
    environ["wsgi.input"] = io.BytesIO(body)
    return json.loads(body or b"{}")  # MLflow's clients send JSON
