"""An online deployment's inference server, run on the files Azure would give it, in its environment.

Before the server starts, Azure's storage initializer downloads the model's files to
``azureml-models/<model>/<version>/`` (the folder ``AZUREML_MODEL_DIR`` names: a registered file
lands in it, a registered folder keeps its name inside it) and the code folder. The inference
server then loads the scoring script, calls ``init()`` once and ``run(raw_body)`` for each request,
and answers what ``run`` returns as JSON (Learn, "Deploy and score a machine learning model by using
an online endpoint"; "Troubleshooting online endpoints": ``storage-initializer`` and
``inference-server`` containers). It runs in the deployment's environment. An MLflow model deployed
without a scoring script is served by the script Azure generates, in the environment Azure builds
from the model's own conda dependencies plus what serving needs, mlflow-skinny among them (Learn,
"Guidelines for deploying MLflow models"): it loads the model with ``mlflow.pyfunc`` (which enforces
the model's signature) and reads the body's ``input_data``, a pandas frame in ``split`` orientation
(``columns``, ``index``, ``data``) or a list.

The fake copies the files from its blob store, where the SDK uploaded them, into a temporary
folder when a deployment is first used, and starts ``score_host.py`` with the environment's venv
python (``job_envs.py``); that process is the server until the deployment changes.
"""

from __future__ import annotations

import json
import os
import select
import shutil
import subprocess
import tempfile
import traceback
import weakref
from dataclasses import dataclass, field
from pathlib import Path

from tests.fake_azure import data_collection, job_envs
from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.blob import BlobStore
from tests.fake_azure.locations import blob_key

LOG_LIMIT = 5000  # lines kept per container
HOST = Path(__file__).with_name("score_host.py")
START_TIMEOUT = 120  # seconds for the server to load the model (init())
REQUEST_TIMEOUT = 120  # seconds for one answer; Azure's own request timeout is a deployment setting


class ModelError(Exception):
    """The deployment's server could not answer: the endpoint passes it on as a 424."""


@dataclass
class Server:
    """One started deployment: its files, its server process, and its two containers' logs."""

    stamp: str  # the deployment's lastModifiedAt when it started
    folder: Path
    model_dir: Path | None = None
    code_dir: Path | None = None
    process: subprocess.Popen | None = None  # score_host.py, once init() has completed
    failure: str | None = None  # why it did not start
    logs: dict[str, list[str]] = field(default_factory=lambda: {"StorageInitializer": [], "InferenceServer": []})

    def log(self, container: str, lines) -> None:
        self.logs[container] = (self.logs[container] + list(lines))[-LOG_LIMIT:]

    def ask(self, process: subprocess.Popen, message: dict | None, timeout: float) -> dict:
        """The server's next answer (to ``message``, if one is sent); what the scoring code printed is logged."""
        try:
            if message is not None:
                process.stdin.write(json.dumps(message) + "\n")
                process.stdin.flush()
            line = process.stdout.readline() if select.select([process.stdout], [], [], timeout)[0] else ""
        except OSError:
            line = ""
        if not line:
            process.kill()
            stderr = (self.folder / "server.log").read_text().strip().splitlines()
            self.log("InferenceServer", stderr)
            raise ModelError(f"the inference server stopped: {stderr[-1] if stderr else 'no answer'}")
        answer = json.loads(line)
        self.log("InferenceServer", answer["printed"].splitlines())
        return answer


@dataclass
class Servers:
    running: dict[str, Server] = field(default_factory=dict)  # by deployment id
    registries: dict[str, ResourceStore] = field(default_factory=dict)  # where a registry model's version is

    def started(self, deployment: dict, store: ResourceStore, blobs: BlobStore) -> Server:
        """The deployment's server, started now if it is new or the deployment changed since."""
        server = self.running.get(deployment["id"].lower())
        if server is None or server.stamp != deployment["systemData"]["lastModifiedAt"]:
            if server is not None and server.process is not None:
                _stop(server.process)
            server = _start(deployment, store, blobs, self.registries)
            self.running[deployment["id"].lower()] = server
        return server

    def answer(self, deployment: dict, store: ResourceStore, blobs: BlobStore, body: bytes) -> str:
        """The JSON text the deployment answers ``body`` with."""
        server = self.started(deployment, store, blobs)
        if server.process is None:
            raise ModelError(f"deployment '{deployment['name']}' is not running: its server failed to start: "
                             f"{server.failure}")
        text = body.decode() if isinstance(body, bytes) else body
        answer = server.ask(server.process, {"body": text}, REQUEST_TIMEOUT)
        if not answer["ok"]:
            server.log("InferenceServer", answer["traceback"].splitlines())
            server.log("InferenceServer", ["POST /score 500"])
            raise ModelError(f"An unexpected error occurred in scoring script of deployment "
                             f"'{deployment['name']}': {answer['error']}")
        server.log("InferenceServer", ["POST /score 200"])
        return json.dumps(answer["result"])

    def logs(self, deployment: dict, store: ResourceStore, blobs: BlobStore, container: str, tail: int) -> str:
        lines = self.started(deployment, store, blobs).logs[container]
        return "\n".join(lines[-tail:] if tail else lines)


def _start(deployment: dict, store: ResourceStore, blobs: BlobStore, registries: dict[str, ResourceStore]) -> Server:
    """Download the deployment's model and code, then start its server in its environment; a server
    that failed to start keeps why, as its logs do."""
    folder = Path(tempfile.mkdtemp(prefix=f"fake-azure-{deployment['name']}-"))
    server = Server(stamp=deployment["systemData"]["lastModifiedAt"], folder=folder)
    weakref.finalize(server, shutil.rmtree, folder, True)
    try:
        model = _downloaded(server, deployment, store, blobs, registries)
        command, requirements = _served(server, deployment, model, store, blobs)
        python = job_envs.python_for(requirements)
        variables = deployment["properties"].get("environmentVariables") or {}
        collector = data_collection.start(server, deployment, store, blobs)  # its data collector, if it has one
        env = job_envs.first_on_path(python, {**os.environ, **variables, **collector,
                                              "AZUREML_MODEL_DIR": str(server.model_dir)})
        # -P: the host's own folder (tests/fake_azure, whose http.py would shadow the standard library's)
        # is not on sys.path
        server_command = job_envs.measured(python, ["-P", str(HOST), *command], env)
        with open(folder / "server.log", "w") as stderr:
            process = subprocess.Popen(server_command, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=stderr,
                                       text=True, env=env, cwd=server.code_dir or folder)
        weakref.finalize(server, _stop, process)
        started = server.ask(process, None, START_TIMEOUT)
    except Exception as error:  # the deployment's own failure: its files, or its environment
        server.log("InferenceServer", "".join(traceback.format_exception(error)).splitlines())
        server.failure = f"{type(error).__name__}: {error}"
        return server
    if not started["ok"]:  # its init(), or loading its MLflow model
        server.log("InferenceServer", started["traceback"].splitlines())
        server.failure = started["error"]
        return server
    server.process = process
    server.log("InferenceServer", ["init() completed: ready for requests on /score"])
    return server


def _stop(process: subprocess.Popen) -> None:
    process.kill()
    process.wait()
    process.stdin.close()
    process.stdout.close()


def _downloaded(server: Server, deployment: dict, store: ResourceStore, blobs: BlobStore,
                registries: dict[str, ResourceStore]) -> dict:
    """The storage initializer's work: the model's files and the code, in the server's folder; the model
    (a version the workspace holds, or a registry's, named by its ``azureml://registries/...`` id)."""
    properties = deployment["properties"]
    model = store.get(properties["model"]) or next(
        (doc for registry in registries.values() for doc in registry.resources.values()
         if doc["id"] == properties["model"]), None)
    if model is None:
        raise ModelError(f"the fake serves models of the workspace or a registry only, not {properties['model']}")
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


def _served(server: Server, deployment: dict, model: dict, store: ResourceStore,
            blobs: BlobStore) -> tuple[list[str], job_envs.Requirements]:
    """What the server runs (``score_host.py``'s arguments) and in which environment."""
    code = deployment["properties"].get("codeConfiguration")
    if code:
        environment = deployment["properties"].get("environmentId")
        if not environment:
            raise ModelError("a deployment with a scoring script needs an environment")
        return ["script", str(server.code_dir / code["scoringScript"])], job_envs.requirements_at(environment, store,
                                                                                                blobs)
    if model["properties"].get("modelType") != "mlflow_model":
        raise ModelError("a deployment without a scoring script needs an MLflow model")
    folder = _mlflow_folder(server.model_dir)
    return ["mlflow", str(folder)], job_envs.for_mlflow_model(folder)


def _mlflow_folder(model_dir: Path) -> Path:
    found = sorted(model_dir.rglob("MLmodel"))
    if not found:
        raise ModelError("the model's files hold no MLmodel file (the fake has only the files that were uploaded "
                         "to it: a model registered from a job's output has none)")
    return found[0].parent


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
