"""Put the fake under the SDK for the length of a test: HTTP answered in memory, tokens issued offline."""

from __future__ import annotations

import time
from contextlib import contextmanager
from urllib.parse import urlsplit

import jwt
import requests
from azure.core.credentials import AccessToken
from azure.identity import DefaultAzureCredential

from tests.fake_azure.mlflow_server import HOST
from tests.fake_azure.service import FakeAzure

TENANT = "72f988bf-0000-4000-8000-000000000000"  # made up: the reader's tenant


@contextmanager
def installed(patch, fake: FakeAzure):
    """``patch`` is pytest's monkeypatch; ``fake`` answers every request but those to the tests'
    MLflow tracking server (``mlflow_server.py``), which is a real one on this machine."""
    real_send = requests.adapters.HTTPAdapter.send

    def send(adapter, prepared, *args, **kwargs):
        if urlsplit(prepared.url).hostname == HOST:
            return real_send(adapter, prepared, *args, **kwargs)
        return fake.handle(prepared)

    patch.setattr(requests.adapters.HTTPAdapter, "send", send)
    patch.setattr(DefaultAzureCredential, "get_token", lambda self, *scopes, **k: token_for(scopes))
    yield fake


def token_for(scopes) -> AccessToken:
    """An unsigned token shaped like Microsoft Entra ID's: the SDK reads its audience (``aud``, the
    resource of the scope asked for: ``https://ml.azure.com//.default`` -> ``https://ml.azure.com/``)
    and tenant (``tid``) before submitting pipeline jobs and building studio links."""
    expires = int(time.time()) + 3600
    audience = scopes[0].removesuffix("/.default") if scopes else ""
    claims = {"aud": audience, "tid": TENANT, "upn": "reader@contoso.com", "exp": expires}
    return AccessToken(jwt.encode(claims, key=None, algorithm="none"), expires)
