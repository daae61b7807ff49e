"""Datastores as Azure keeps them: their secrets are stored, and never read back.

A datastore ``PUT`` may carry a secret in ``properties.credentials.secrets`` (an account key, a SAS
token, a service principal's client secret; REST ``DatastoreSecrets``, told apart by ``secretsType``).
Azure keeps it in the workspace's key vault and answers every read (``GET``, list, the ``PUT``
itself) with the credentials' type and other fields only; ``POST .../datastores/{name}/listSecrets``
returns the secret. The SDK asks for it only for credentials other than ``None``
(``DatastoreOperations._fetch_and_populate_secret`` in ``azure/ai/ml/operations/_datastore_operations.py``).
``GET .../datastores?isDefault=true`` lists the default datastore alone (what ``get_default`` reads).
"""

from __future__ import annotations

from tests.fake_azure.arm import key_of, kind_of


def as_read(document: dict) -> dict:
    """``document`` as a read returns it: a datastore's credentials without their secrets."""
    credentials = (document.get("properties") or {}).get("credentials")
    if kind_of(key_of(document["id"])) != "datastores" or not credentials or "secrets" not in credentials:
        return document
    public = {key: value for key, value in credentials.items() if key != "secrets"}
    return {**document, "properties": {**document["properties"], "credentials": public}}


def secrets(document: dict) -> dict | None:
    """What ``listSecrets`` answers for the datastore: the secret its credentials were created with."""
    return (document["properties"].get("credentials") or {}).get("secrets")


def listed(documents: list[dict], query: dict) -> list[dict]:
    """A datastore list, narrowed to the default datastore when ``isDefault=true`` is asked."""
    if query.get("isdefault", "").lower() == "true":
        return [doc for doc in documents if doc["properties"].get("isDefault")]
    return documents
