"""Put the fake under the SDK for the length of a test: HTTP answered in memory, tokens issued offline."""

from __future__ import annotations

import time
from contextlib import contextmanager

import requests
from azure.core.credentials import AccessToken
from azure.identity import DefaultAzureCredential

from tests.fake_azure.service import FakeAzure


@contextmanager
def installed(patch, fake: FakeAzure):
    """``patch`` is pytest's monkeypatch; ``fake`` answers every request."""
    expires = int(time.time()) + 3600
    patch.setattr(requests.adapters.HTTPAdapter, "send", lambda adapter, prepared, *a, **k: fake.handle(prepared))
    patch.setattr(DefaultAzureCredential, "get_token", lambda self, *s, **k: AccessToken("fake-token", expires))
    yield fake
