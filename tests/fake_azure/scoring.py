"""An online deployment's inference server, run in the test process on the files Azure would give it.

Before the server starts, Azure's storage initializer downloads the model's files to
``azureml-models/<model>/<version>/`` (the folder ``AZUREML_MODEL_DIR`` names: a registered file
lands in it, a registered folder keeps its name inside it) and the code folder. The inference
server then loads the scoring script, calls ``init()`` once and ``run(raw_body)`` for each request,
and answers what ``run`` returns as JSON (Learn, "Deploy and score a machine learning model by using
an online endpoint"; "Troubleshooting online endpoints": ``storage-initializer`` and
``inference-server`` containers). An MLflow model deployed without a scoring script is served by
the script Azure generates: it loads the model with ``mlflow.pyfunc`` (which enforces the model's
signature) and reads the body's ``input_data``, a pandas frame in ``split`` orientation
(``columns``, ``index``, ``data``) or a list (Learn, "Deploy MLflow models to online endpoints").

The fake copies the files from its blob store, where the SDK uploaded them, into a temporary
folder when a deployment is first used, and keeps that server until the deployment changes.
"""

from __future__ import annotations

import contextlib
import importlib.util
import io
import json
import os
import shutil
import sys
import tempfile
import traceback
import weakref
from dataclasses import dataclass, field
from pathlib import Path

import mlflow.pyfunc
import numpy as np
import pandas as pd

from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.blob import BlobStore
from tests.fake_azure.locations import blob_key

LOG_LIMIT = 5000  # lines kept per container


class ModelError(Exception):
    """The deployment's server could not answer: the endpoint passes it on as a 424."""


@dataclass
class Server:
    """One started deployment: its files, its loaded scoring function, and its two containers' logs."""

    stamp: str  # the deployment's lastModifiedAt when it started
    folder: Path
    model_dir: Path | None = None
    code_dir: Path | None = None
    score: object = None
    failure: str | None = None  # why it did not start
    logs: dict[str, list[str]] = field(default_factory=lambda: {"StorageInitializer": [], "InferenceServer": []})

    def log(self, container: str, lines) -> None:
        self.logs[container] = (self.logs[container] + list(lines))[-LOG_LIMIT:]


@dataclass
class Servers:
    running: dict[str, Server] = field(default_factory=dict)  # by deployment id

    def started(self, deployment: dict, store: ResourceStore, blobs: BlobStore) -> Server:
        """The deployment's server, started now if it is new or the deployment changed since."""
        server = self.running.get(deployment["id"].lower())
        if server is None or server.stamp != deployment["systemData"]["lastModifiedAt"]:
            server = _start(deployment, store, blobs)
            self.running[deployment["id"].lower()] = server
        return server

    def answer(self, deployment: dict, store: ResourceStore, blobs: BlobStore, body: bytes) -> str:
        """The JSON text the deployment answers ``body`` with."""
        server = self.started(deployment, store, blobs)
        if server.score is None:
            raise ModelError(f"deployment '{deployment['name']}' is not running: its server failed to start: "
                             f"{server.failure}")
        try:
            with _inside(server, "InferenceServer"):
                result = server.score(body.decode() if isinstance(body, bytes) else body)
        except Exception as error:  # any error of the scoring code is the model's
            server.log("InferenceServer", "".join(traceback.format_exception(error)).splitlines())
            server.log("InferenceServer", ["POST /score 500"])
            raise ModelError(f"An unexpected error occurred in scoring script of deployment "
                             f"'{deployment['name']}': {type(error).__name__}: {error}") from error
        server.log("InferenceServer", ["POST /score 200"])
        return json.dumps(_jsonable(result))

    def logs(self, deployment: dict, store: ResourceStore, blobs: BlobStore, container: str, tail: int) -> str:
        lines = self.started(deployment, store, blobs).logs[container]
        return "\n".join(lines[-tail:] if tail else lines)


def _start(deployment: dict, store: ResourceStore, blobs: BlobStore) -> Server:
    """Download the deployment's model and code, then load its scoring code; a server that failed
    to start keeps why, as its logs do."""
    folder = Path(tempfile.mkdtemp(prefix=f"fake-azure-{deployment['name']}-"))
    server = Server(stamp=deployment["systemData"]["lastModifiedAt"], folder=folder)
    weakref.finalize(server, shutil.rmtree, folder, True)
    try:
        model = _downloaded(server, deployment, store, blobs)
        with _inside(server, "InferenceServer"):
            server.score = _scoring_function(server, deployment["properties"].get("codeConfiguration"), model)
    except Exception as error:  # the deployment's own failure: its files, or its init()
        server.log("InferenceServer", "".join(traceback.format_exception(error)).splitlines())
        server.failure = f"{type(error).__name__}: {error}"
        return server
    server.log("InferenceServer", ["init() completed: ready for requests on /score"])
    return server


def _downloaded(server: Server, deployment: dict, store: ResourceStore, blobs: BlobStore) -> dict:
    """The storage initializer's work: the model's files and the code, in the server's folder; the model."""
    properties = deployment["properties"]
    model = store.get(properties["model"])
    if model is None:
        raise ModelError(f"the fake serves models of the workspace only, not {properties['model']}")
    name, version = model["id"].split("/")[-3], model["name"]
    server.model_dir = server.folder / "azureml-models" / name / version
    server.log("StorageInitializer", [f"Downloading model azureml:{name}:{version} to {server.model_dir}"])
    copied = _copy(model["properties"].get("modelUri", ""), server.model_dir, store, deployment, blobs)
    server.log("StorageInitializer", [f"Downloaded {copied} file(s) of the model"])
    code = properties.get("codeConfiguration")
    if code:
        server.code_dir = server.folder / "code"
        uri = store.get(code["codeId"])["properties"].get("codeUri", "")
        copied = _copy(uri, server.code_dir, store, deployment, blobs, keep_name=False)
        server.log("StorageInitializer", [f"Downloaded {copied} file(s) of the code to {server.code_dir}"])
    return model


def _scoring_function(server: Server, code: dict | None, model: dict):
    if code:
        script = server.code_dir / code["scoringScript"]
        spec = importlib.util.spec_from_file_location(f"score_{id(server)}", script)
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        module.init()
        return module.run
    if model["properties"].get("modelType") != "mlflow_model":
        raise ModelError("a deployment without a scoring script needs an MLflow model")
    loaded = mlflow.pyfunc.load_model(str(_mlflow_folder(server.model_dir)))
    return lambda body: loaded.predict(_mlflow_input(json.loads(body)))


def _mlflow_folder(model_dir: Path) -> Path:
    found = sorted(model_dir.rglob("MLmodel"))
    if not found:
        raise ModelError("the model's files hold no MLmodel file (the fake has only the files that were uploaded "
                         "to it: a model registered from a job's output has none)")
    return found[0].parent


def _mlflow_input(body: dict):
    data = body["input_data"]
    if isinstance(data, dict) and "columns" in data:
        return pd.DataFrame(data["data"], columns=data["columns"], index=data.get("index"))
    return np.asarray(data)


def _jsonable(result):
    if isinstance(result, pd.DataFrame):
        return result.to_dict(orient="records")
    if isinstance(result, np.ndarray | pd.Series):
        return result.tolist()
    return result


def _copy(uri: str, destination: Path, store: ResourceStore, deployment: dict, blobs: BlobStore,
          keep_name: bool = True) -> int:
    """Copy the blobs ``uri`` names into ``destination``: a file into it, a folder as a subfolder
    (``keep_name``) or as its contents. The number of files copied."""
    key = blob_key(uri, deployment["id"].split("/onlineEndpoints/", 1)[0], store)
    destination.mkdir(parents=True, exist_ok=True)
    if key in blobs.blobs:
        (destination / key.rsplit("/", 1)[-1]).write_bytes(blobs.blobs[key])
        return 1
    prefix = key.rstrip("/") + "/"
    root = destination / key.rstrip("/").rsplit("/", 1)[-1] if keep_name else destination
    files = {name: content for name, content in blobs.blobs.items() if name.startswith(prefix)}
    for name, content in files.items():
        target = root / name[len(prefix):]
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(content)
    return len(files)


@contextlib.contextmanager
def _inside(server: Server, container: str):
    """As the server runs the scoring code: ``AZUREML_MODEL_DIR`` set, the code folder importable,
    and what the code prints going to the container's logs."""
    saved = os.environ.get("AZUREML_MODEL_DIR")
    os.environ["AZUREML_MODEL_DIR"] = str(server.model_dir)
    if server.code_dir:
        sys.path.insert(0, str(server.code_dir))
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            yield
    finally:
        if server.code_dir:
            sys.path.remove(str(server.code_dir))
        if saved is None:
            os.environ.pop("AZUREML_MODEL_DIR")
        else:
            os.environ["AZUREML_MODEL_DIR"] = saved
        server.log(container, printed.getvalue().splitlines())
