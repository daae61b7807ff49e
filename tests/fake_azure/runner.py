"""A command job runs for real, here, as Azure would run it on its compute.

The code snapshot the SDK uploaded, the job's inputs (data assets and datastore paths,
from the fake's storage) and empty output folders are laid out in a scratch folder;
``${{inputs.x}}`` and ``${{outputs.y}}`` in the command become their paths; the command
runs with what Azure sets in a job's environment (``AZUREML_RUN_ID``; for MLflow, a run
whose id is the job's name in the job's experiment, as Azure ML creates it, when the
workspace tracks to the tests' MLflow server, ``mlflow_server.py``; the script's requests
to it are the job's). Afterwards the outputs, the run's artifacts and the log are written
back to storage, and the job is ``Completed`` or ``Failed`` with the script's own error.
The command runs with the job's environment's Python first on PATH (``job_envs.py``: a
venv built from the environment's packages), not the site's; a PyTorch-distributed job's command
runs once per process, with the variables Azure sets for its rank (``distribution.py``).
"""

from __future__ import annotations

import os
import re
import time
from pathlib import Path
from tempfile import TemporaryDirectory, mkdtemp
from types import SimpleNamespace
from unittest import mock

import mlflow.artifacts
from mlflow.entities import RunStatus

from tests.fake_azure import distribution, job_envs
from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.blob import BlobStore
from tests.fake_azure.mlflow_server import store_at, tracking_server
from tests.fake_azure.outputs import DEFAULT_PATH

BINDING = re.compile(r"\$\{\{\s*(inputs|outputs)\.([\w-]+)\s*\}\}")
DATASTORE_URI = re.compile(r"^azureml://(?:subscriptions/.+/workspaces/[^/]+/)?datastores/(?P<datastore>[^/]+)"
                           r"/paths/(?P<path>.*)$", re.IGNORECASE)
# Where a job's artifacts and logs are kept: its default output (workspaceartifactstore's "azureml" container).
ARTIFACTS = "azureml/ExperimentRun/dcid.{job}"
TIMEOUT = 300  # seconds; a snippet's training script takes a few


class JobFailed(Exception):
    """What Azure would show as the job's error."""


def run(job: dict, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> str | None:
    """Run a command job; its error (the script's last line of output), if it failed."""
    properties = job["properties"]
    if properties.get("jobType") != "Command":
        return None
    error = None
    try:
        log = _run_command(job, workspace_path, store, blobs)
        properties["status"] = "Completed"
    except JobFailed as failure:
        log = str(failure)
        properties["status"] = "Failed"
        error = log.strip().splitlines()[-1]
    blobs.blobs[f"{ARTIFACTS.format(job=job['name'])}/user_logs/std_log.txt"] = log.encode()
    return error


def _run_command(job: dict, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> str:
    properties = job["properties"]
    with TemporaryDirectory(prefix=f"job-{job['name']}-") as scratch:
        folder = Path(scratch)
        code = _code(properties.get("codeId"), folder / "code", store, blobs)
        paths = {("inputs", name): _input(name, spec, folder / "inputs" / name, workspace_path, store, blobs)
                 for name, spec in (properties.get("inputs") or {}).items()}
        outputs = {name: folder / "outputs" / name for name in (properties.get("outputs") or {})}
        paths.update({("outputs", name): str(path) for name, path in outputs.items()})
        for path in outputs.values():
            path.mkdir(parents=True)
        command = BINDING.sub(lambda m: paths[(m[1], m[2])], properties["command"])
        python = _environment_python(properties["environmentId"], store, blobs)
        tracking = _mlflow_run(job, workspace_path, store)
        env = job_envs.first_on_path(python, {**_clean_environment(), **(properties.get("environmentVariables") or {}),
                                              **tracking, "AZUREML_RUN_ID": job["name"]})
        # The script's requests to the tracking server are the job's.
        with tracking_server().speaking_for(tracking["MLFLOW_TRACKING_URI"],
                                            f"job {job['name']} (command: {properties['command'].strip()})"):
            done = distribution.run(["bash", "-c", command], properties, cwd=code, env=env, timeout=TIMEOUT)
        log = done.stdout + done.stderr
        for name, text in getattr(done, "logs", {}).items():  # a distributed job's: one per process
            blobs.blobs[f"{ARTIFACTS.format(job=job['name'])}/user_logs/{name}"] = text.encode()
        _finish_mlflow_run(job, tracking, done.returncode == 0, blobs)
        if done.returncode != 0:
            raise JobFailed(log or f"the command exited with {done.returncode}")
        for name, path in outputs.items():
            uri = properties["outputs"][name].get("uri") or DEFAULT_PATH.format(job=job["name"], output=name)
            _upload(path, uri, workspace_path, store, blobs)
        return log


def _environment_python(environment_id: str, store: ResourceStore, blobs: BlobStore) -> Path:
    """The python of the job's environment (a version the workspace holds, or a curated one from the
    azureml registry); a failed build fails the job, as an image build failure does."""
    try:
        return job_envs.python_for(job_envs.requirements_at(environment_id, store, blobs))
    except job_envs.BuildFailed as failure:
        raise JobFailed(str(failure)) from failure


def _code(code_id: str | None, target: Path, store: ResourceStore, blobs: BlobStore) -> Path:
    target.mkdir(parents=True)
    if not code_id:
        return target
    version = store.get(code_id.removeprefix("azureml:"))
    prefix = version["properties"]["codeUri"].split(".blob.core.windows.net/", 1)[1].rstrip("/") + "/"
    for name, content in blobs.blobs.items():
        if name.startswith(prefix):
            (target / name[len(prefix):]).parent.mkdir(parents=True, exist_ok=True)
            (target / name[len(prefix):]).write_bytes(content)
    return target


def _input(name: str, spec: dict, target: Path, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> str:
    if spec.get("jobInputType") == "literal":
        return str(spec["value"])
    uri = spec["uri"]
    if uri.startswith(("azureml:/subscriptions/", "/subscriptions/")):
        uri = store.get(uri.removeprefix("azureml:"))["properties"]["dataUri"]
    prefix = _blob_prefix(uri, workspace_path, store)
    if prefix is None:
        raise JobFailed(f"input '{name}': {uri} is not in the workspace's storage the fake can read")
    folder = prefix.rstrip("/") + "/"
    found = {key: data for key, data in blobs.blobs.items() if key == prefix or key.startswith(folder)}
    if not found:
        raise JobFailed(f"input '{name}': no file at {uri} (upload it to the datastore first)")
    if spec.get("jobInputType") == "uri_file":
        target.mkdir(parents=True)
        file = target / Path(prefix).name
        file.write_bytes(found[prefix])
        return str(file)
    for key, data in found.items():
        (target / key[len(prefix.rstrip("/")) + 1:]).parent.mkdir(parents=True, exist_ok=True)
        (target / key[len(prefix.rstrip("/")) + 1:]).write_bytes(data)
    return str(target)


def _blob_prefix(uri: str, workspace_path: str, store: ResourceStore) -> str | None:
    match = DATASTORE_URI.match(uri)
    datastore = store.get(f"{workspace_path}/datastores/{match['datastore']}") if match else None
    if datastore is None:
        return None
    return f"{datastore['properties']['containerName']}/{match['path']}".rstrip("/")


def _upload(folder: Path, uri: str, workspace_path: str, store: ResourceStore, blobs: BlobStore) -> None:
    prefix = _blob_prefix(uri, workspace_path, store)
    for file in folder.rglob("*"):
        if file.is_file() and prefix is not None:
            blobs.blobs[f"{prefix}/{file.relative_to(folder)}"] = file.read_bytes()


def _clean_environment() -> dict:
    return {key: value for key, value in os.environ.items() if not key.startswith(("MLFLOW_", "AZUREML_"))}


def _mlflow_run(job: dict, workspace_path: str, store: ResourceStore) -> dict:
    """Azure ML starts the job's MLflow run before the script: its id is the job's name. Created
    in the tests' MLflow server's own store (its id is not the client's to choose): the workspace's,
    or, when the test gave the workspace none, one of the job's own."""
    uri = store.get(workspace_path)["properties"]["mlFlowTrackingUri"]
    backing = store_at(uri)
    if backing is None:
        uri = tracking_server().new_store(Path(mkdtemp(prefix=f"mlflow-{job['name']}-")))
        backing = store_at(uri)
    name = job["properties"].get("experimentName") or "Default"
    experiment = backing.tracking.get_experiment_by_name(name)
    experiment_id = experiment.experiment_id if experiment else backing.tracking.create_experiment(name)
    with mock.patch("mlflow.store.tracking.sqlalchemy_store.uuid.uuid4", return_value=SimpleNamespace(hex=job["name"])):
        backing.tracking.create_run(experiment_id, user_id="", start_time=int(time.time() * 1000), tags=[],
                                    run_name=job["properties"].get("displayName") or job["name"])
    return {"MLFLOW_TRACKING_URI": uri, "MLFLOW_RUN_ID": job["name"], "MLFLOW_EXPERIMENT_NAME": name}


def _finish_mlflow_run(job: dict, tracking: dict, succeeded: bool, blobs: BlobStore) -> None:
    """End the run, and keep its artifacts where Azure keeps a job's (``azureml://jobs/<job>/outputs/artifacts``)."""
    backing = store_at(tracking["MLFLOW_TRACKING_URI"])
    status = RunStatus.FINISHED if succeeded else RunStatus.FAILED
    backing.tracking.update_run_info(job["name"], status, int(time.time() * 1000), None)
    with TemporaryDirectory() as folder:
        artifacts = Path(mlflow.artifacts.download_artifacts(run_id=job["name"], dst_path=folder,
                                                             tracking_uri=tracking["MLFLOW_TRACKING_URI"]))
        for file in artifacts.rglob("*"):
            if file.is_file():
                blobs.blobs[f"{ARTIFACTS.format(job=job['name'])}/{file.relative_to(artifacts)}"] = file.read_bytes()
