"""The one place the fake meets the SDK: ``requests``' HTTP adapter, the last layer before the network.

Every HTTP request the SDKs make (azure-core's pipeline, azure-storage-blob, ``requests``
used directly) reaches ``HTTPAdapter.send``; the fake answers it from memory, so the real
operations classes, their validation, orchestration (code upload, ``name@latest`` and
label resolution, compute lookup) and the REST (de)serialisation all run as they do
against Azure.
"""

from __future__ import annotations

import io
import json
from urllib.parse import parse_qs, unquote, urlsplit

import jwt
import requests
import urllib3


class Request:
    """What a handler sees of one HTTP request."""

    def __init__(self, prepared: requests.PreparedRequest):
        parts = urlsplit(prepared.url)
        self.method = prepared.method
        self.url = prepared.url
        self.host = parts.hostname or ""
        self.path = unquote(parts.path)  # as Azure reads it: ids and blob names are not percent-encoded
        self.query = {key.lower(): values[-1] for key, values in parse_qs(parts.query).items()}
        self.headers = prepared.headers
        body = prepared.body
        self.body = body.read() if hasattr(body, "read") else body
        if isinstance(self.body, str):
            self.body = self.body.encode()

    def json(self):
        return json.loads(self.body) if self.body else {}


def response(prepared, status: int, body=None, headers: dict | None = None) -> requests.Response:
    """A ``requests.Response`` as the adapter would have built it from the wire."""
    if isinstance(body, (dict, list)):
        content, content_type = json.dumps(body).encode(), "application/json"
    else:
        content = body.encode() if isinstance(body, str) else (body or b"")
        content_type = "application/octet-stream"
    all_headers = {"Content-Type": content_type, "Content-Length": str(len(content)), **(headers or {})}
    answer = requests.Response()
    answer.status_code = status
    answer.reason = "OK" if status < 400 else "Error"
    answer.headers = requests.structures.CaseInsensitiveDict(all_headers)
    answer.raw = urllib3.HTTPResponse(
        body=io.BytesIO(content), status=status, headers=all_headers, preload_content=False, decode_content=False,
        request_method=prepared.method,  # a HEAD answer has a Content-Length and no body
    )
    answer.url = prepared.url
    answer.request = prepared
    answer.encoding = "utf-8"
    return answer


def error(prepared, status: int, code: str, message: str) -> requests.Response:
    """Azure's error envelope, which azure-core turns into ``HttpResponseError`` and its kin."""
    return response(prepared, status, {"error": {"code": code, "message": message}})


def audience_of(token: str) -> str:
    """The audience (``aud``, without a trailing slash) of a token shaped like those ``install.token_for`` issues; empty
    for anything that is not such a token."""
    try:
        return str(jwt.decode(token, options={"verify_signature": False}).get("aud", "")).rstrip("/")
    except jwt.PyJWTError:
        return ""


def bearer_audience(authorization: str) -> str:
    """The audience of an ``Authorization: Bearer`` header's token; empty for any other header."""
    return audience_of(authorization.removeprefix("Bearer ")) if authorization.startswith("Bearer ") else ""
