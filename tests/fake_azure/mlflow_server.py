"""The workspace's MLflow tracking server, for the tests: MLflow's own server app over HTTP on
127.0.0.1, behind Azure ML's gate (``mlflow_gate.py``), in a daemon thread of the test process.

One server per test process holds many stores, each a fresh, empty one a test asked for
(``new_store``): an SQLite database (a copy of one migrated once per process) and a folder its
artifacts go to, proxied by the server as ``mlflow server --serve-artifacts`` does (the runs'
artifact URIs are ``mlflow-artifacts:/...``). A store's URL is the server's with the store's name as
its path (``http://127.0.0.1:PORT/s3``); MLflow's clients, REST and artifacts alike, keep that path
in front of every request, so the server knows which store each request is for. MLflow's handlers
read their stores from module globals: each request sets them to its store's, one at a time.

Who sent a refused request: the in-process MLflow clients add the snippet line that sent it (a
request header provider, MLflow's extension point for headers); a store can name who else is
talking to it for a while (``speaking_for``: a job's script, a notebook's kernel).
"""

from __future__ import annotations

import functools
import itertools
import os
import shutil
import tempfile
import threading
import warnings
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from mlflow.tracking.request_header.abstract_request_header_provider import RequestHeaderProvider
from mlflow.tracking.request_header.registry import _request_header_provider_registry
from werkzeug.serving import WSGIRequestHandler, make_server

from tests.fake_azure.mlflow_gate import ORIGIN_HEADER, Gate, Refusal
from tests.fake_azure.origin import snippet_line

HOST = "127.0.0.1"


@dataclass
class Store:
    tracking: object  # MLflow's SqlAlchemyStore (tracking)
    registry: object  # and its model registry store, on the same database
    artifacts: object  # the proxied artifacts' repository (the folder's artifacts/)
    origin: str | None = None  # who sends the requests that name no snippet line, for now


class SnippetLineHeader(RequestHeaderProvider):
    """Each request an in-process MLflow client sends names the snippet line that sent it."""

    def in_context(self) -> bool:
        return True

    def request_headers(self) -> dict:
        line = snippet_line()
        return {ORIGIN_HEADER: line} if line else {}


class Quiet(WSGIRequestHandler):
    def log_request(self, *args, **kwargs) -> None:
        """No line per request on the test's output."""


class TrackingServer:
    """MLflow's server app and stores are imported here, not with the module: that takes seconds, and
    only the tests that track MLflow need them."""

    def __init__(self):
        from mlflow.server import SERVE_ARTIFACTS_ENV_VAR

        os.environ[SERVE_ARTIFACTS_ENV_VAR] = "true"  # what `mlflow server --serve-artifacts` sets
        from mlflow.server import app, handlers

        with warnings.catch_warnings():  # MLflow's search handlers import it (through its auth app), deprecated
            warnings.simplefilter("ignore", DeprecationWarning)
            import starlette.middleware.wsgi  # noqa: F401

        self._handlers = handlers
        self.gate = Gate(app)
        self.stores: dict[str, Store] = {}
        self._names = (f"s{n}" for n in itertools.count(1))
        self._one_at_a_time = threading.Lock()
        self._http = make_server(HOST, 0, self._dispatch, threaded=True, request_handler=Quiet)
        threading.Thread(target=self._http.serve_forever, daemon=True, name="mlflow-server").start()
        self.url = f"http://{HOST}:{self._http.server_port}"
        _request_header_provider_registry.register(SnippetLineHeader)

    def new_store(self, folder: Path) -> str:
        """A new, empty store in ``folder``; its tracking URI."""
        from mlflow.store.artifact.local_artifact_repo import LocalArtifactRepository
        from mlflow.store.model_registry.sqlalchemy_store import SqlAlchemyStore as RegistryStore
        from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

        database = folder / "mlflow.db"
        shutil.copy(_migrated_database(), database)
        name = next(self._names)
        self.stores[name] = Store(SqlAlchemyStore(f"sqlite:///{database}", "mlflow-artifacts:/"),
                                  RegistryStore(f"sqlite:///{database}"),
                                  LocalArtifactRepository(str(folder / "artifacts")))
        return f"{self.url}/{name}"

    def store_at(self, uri: str) -> Store | None:
        """The store a tracking URI names, if it is one of this server's."""
        prefix = f"{self.url}/"
        return self.stores.get(uri.removeprefix(prefix).strip("/")) if uri.startswith(prefix) else None

    @contextmanager
    def speaking_for(self, uri: str, origin: str):
        """Requests to the store at ``uri`` that name no snippet line come from ``origin`` meanwhile."""
        store = self.store_at(uri)
        store.origin = origin
        try:
            yield
        finally:
            store.origin = None

    def _dispatch(self, environ, start_response):
        name, _, rest = environ.get("PATH_INFO", "").lstrip("/").partition("/")
        store = self.stores.get(name)
        if store is None:
            start_response("404 Not Found", [("Content-Length", "0")])
            return [b""]
        environ = {**environ, "PATH_INFO": f"/{rest}", "SCRIPT_NAME": f"/{name}", "fake.origin": store.origin}
        with self._one_at_a_time:
            self._handlers._tracking_store = store.tracking
            self._handlers._model_registry_store = store.registry
            self._handlers._artifact_repo = store.artifacts
            return self.gate(environ, start_response)


@functools.cache
def _migrated_database() -> Path:
    """An empty SQLite store with MLflow's tables created (its migrations take a second or two)."""
    from mlflow.store.tracking.sqlalchemy_store import SqlAlchemyStore

    database = Path(tempfile.mkdtemp(prefix="mlflow-template-")) / "mlflow.db"
    SqlAlchemyStore(f"sqlite:///{database}", "mlflow-artifacts:/")
    return database


@functools.cache
def tracking_server() -> TrackingServer:
    """This process's server, started the first time a test asks for a store."""
    return TrackingServer()


def store_at(uri: str) -> Store | None:
    """The server's store at ``uri``, if the server runs and ``uri`` is one of its stores."""
    return tracking_server().store_at(uri) if tracking_server.cache_info().currsize else None


def refusals() -> list[Refusal]:
    """What the gate refused since the last call (none if no test of this process tracked MLflow)."""
    return tracking_server().gate.take_refusals() if tracking_server.cache_info().currsize else []


def report(refused: list[Refusal]) -> str:
    """The failure message for refusals: one line each, naming who sent the request and why Azure ML refuses it."""
    return "Azure ML's MLflow server refuses what this test sent:\n" + "\n".join(map(str, refused))
