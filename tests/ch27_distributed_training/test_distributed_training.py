"""Chapter 27: PyTorch-distributed command jobs, run for real (gloo, on the CPU) by the fake, and
comparing the jobs' MLflow runs as Azure ML's tracking server allows."""

from __future__ import annotations

import json
import re
import threading
from pathlib import Path

import pytest
from azure.ai.ml import PyTorchDistribution, command, load_job
from azure.ai.ml.entities import Environment
from mlflow.tracking import MlflowClient

from tests.conftest import SNIPPETS, fresh_tracking_uri
from tests.fake_azure import cli_replay, distribution, job_envs
from tests.fake_azure.az_scripts import az_calls
from tests.fake_azure.catalog import facts
from tests.fake_azure.job_envs import name_of

FOLDER = SNIPPETS / "ch27_distributed_training"
BASE_IMAGES = facts("curated_environments")["base_images"]
# Learn, "Distributed GPU training guide (SDK v2)": what Azure ML sets for every PyTorch process
VARIABLES = {"MASTER_ADDR", "MASTER_PORT", "WORLD_SIZE", "NODE_RANK", "RANK", "LOCAL_RANK"}
RANK_LINE = re.compile(r"^rank (?P<rank>\d+) of (?P<world>\d+): node (?P<node>\d+), local rank (?P<local>\d+)", re.M)


def gpus_of(size: str) -> int:
    """GPUs per node of a VM size (facts/vm_sizes.yml, from the VM pages)."""
    for series in facts("vm_sizes")["series"]:
        for name, count in (series.get("gpus") or {}).items():
            if name.lower() == size.lower():
                return count
    raise AssertionError(f"{size} is not a GPU size the facts know")


def environment_of(workspace, job):
    """The environment version a job runs in: the SDK registered the inline one and sent its ARM id
    (from Python) or ``name:version`` (from YAML, for Azure to resolve)."""
    reference = job.environment
    name, version = reference.split("/")[-3::2] if "/versions/" in reference else reference.split(":")[-2:]
    return workspace.get("environments", name, version=version)


def process_logs(workspace, job_name: str) -> dict[int, str]:
    """A distributed job's logs, one file per process as Azure keeps them
    (``user_logs/std_log_process_<N>.txt``), by the number in the file's name."""
    found = {}
    for key, data in workspace.azure.blobs.blobs.items():
        if match := re.fullmatch(rf"azureml/ExperimentRun/dcid\.{job_name}/user_logs/std_log_process_(\d+)\.txt", key):
            found[int(match[1])] = data.decode()
    return found


# --- the cluster ----------------------------------------------------------------------------


def test_gpu_cluster_has_one_gpu_per_process_and_enough_nodes(workspace, run_snippet):
    run_snippet("ch27_distributed_training/gpu_cluster.py")

    (created,) = workspace.created("compute")
    cluster = workspace.get("compute", created.name)  # what Azure holds
    assert gpus_of(cluster.size) >= 1  # a GPU size Azure ML accepts (the fake's compute_size rule)
    assert cluster.min_instances == 0  # no idle cost
    job = load_job(FOLDER / "distributed_job.yml")
    # one process per GPU, and no more nodes than the cluster can scale to (else the job waits in the queue)
    assert job.distribution.process_count_per_instance == gpus_of(cluster.size)
    assert job.resources.instance_count <= cluster.max_instances


# --- the jobs: submitted, run as 2 processes each, compared ---------------------------------


@pytest.fixture
def trained(workspace, run_snippet, tmp_path, capsys):
    """The GPU cluster, the Python tab's job, and the page's second job: the CLI's last `az ml job create`,
    with its `--set` overrides, replayed as the extension sends it. Each really runs as two gloo processes."""
    workspace.set_tracking_uri(fresh_tracking_uri(tmp_path))
    run_snippet("ch27_distributed_training/gpu_cluster.py")
    first = run_snippet("ch27_distributed_training/submit_distributed.py")["returned_job"].name
    *_, again = [call for call in az_calls(FOLDER / "submit_distributed.sh") if call.command == "create"]
    assert "--set" in again.options
    second = cli_replay.create(workspace.reader, again).name  # from the folder the Python snippet ran in
    capsys.readouterr()
    return [first, second]


def check_jobs_are_pytorch_distributed_on_the_gpu_cluster(workspace, trained):
    for name in trained:
        job = workspace.get("jobs", name)  # what Azure holds, read back
        assert isinstance(job.distribution, PyTorchDistribution)
        nodes, per_node = job.resources.instance_count, job.distribution.process_count_per_instance
        assert nodes * per_node > 1  # distributed: more than one process
        (cluster,) = workspace.created("compute")
        assert job.compute.rsplit("/", 1)[-1].removeprefix("azureml:") == cluster.name  # YAML: the short form
        assert job.status == "Completed"  # every rank finished
        environment = environment_of(workspace, job)
        assert environment.image.rsplit(":", 1)[0] in BASE_IMAGES  # a Microsoft base image, with CUDA
        pins = {name_of(package): package for package in environment.conda_file["dependencies"][-1]["pip"]}
        assert {"torch", "azureml-mlflow"} <= set(pins) and all("==" in pin for pin in pins.values())


def check_each_process_saw_its_rank_and_only_rank_0_logged(workspace, trained):
    client = MlflowClient(workspace.reader.workspaces.get(workspace.reader.workspace_name).mlflow_tracking_uri)
    for name in trained:
        job = workspace.get("jobs", name)
        nodes, per_node = job.resources.instance_count, job.distribution.process_count_per_instance
        logs = process_logs(workspace, name)
        # every process joined one process group of nodes x processes, numbered node by node
        assert sorted(logs) == list(range(nodes * per_node))
        for number, log in logs.items():
            (rank,) = [match.groupdict() for match in RANK_LINE.finditer(log)]  # its own log: its own line
            assert int(rank["rank"]) == number and int(rank["world"]) == nodes * per_node
            assert int(rank["rank"]) == int(rank["node"]) * per_node + int(rank["local"])
        assert "test accuracy" in logs[0] and not any("test accuracy" in logs[n] for n in logs if n)
        run = client.get_run(name)  # the job's own MLflow run: its id is the job's name
        assert run.info.status == "FINISHED"
        assert run.data.params["world_size"] == str(nodes * per_node)
        # one loss per epoch: logged once (by rank 0), not once per process
        history = client.get_metric_history(name, "train_loss")
        assert [point.step for point in history] == list(range(int(run.data.params["epochs"])))
        assert 0.5 < run.data.metrics["accuracy"] <= 1.0
        # rank 0 wrote the model to the job's output, and Azure keeps it in the default datastore
        written = [key for key in workspace.azure.blobs.blobs if key.endswith(f"/azureml/{name}/model/model.pt")]
        assert len(written) == 1 and workspace.azure.blobs.blobs[written[0]]


def sent(job) -> dict:
    """What the SDK sends Azure for a job: the REST body's properties that define the run."""
    job = job._to_job() if hasattr(job, "_to_job") else job  # the command() builder makes a node
    properties = job._to_rest_object().as_dict()["properties"]
    return {key: properties[key] for key in ("command", "distribution", "resources", "inputs", "outputs")}


def check_yaml_job_is_the_python_job(workspace):
    """The YAML, loaded by the SDK as `az ml job create --file` loads it, sends what the Python job sent."""
    yaml_job = load_job(FOLDER / "distributed_job.yml")
    python_job = next(job for job in workspace.created("jobs") if job.display_name == yaml_job.display_name)

    assert sent(yaml_job) == sent(python_job)
    assert sent(yaml_job)["distribution"]["distributionType"] == "PyTorch"  # YAML's `type: pytorch`
    assert yaml_job.environment.image == environment_of(workspace, python_job).image
    assert yaml_job.environment.conda_file == environment_of(workspace, python_job).conda_file
    assert yaml_job.experiment_name == python_job.experiment_name
    assert python_job.compute.endswith(yaml_job.compute.removeprefix("azureml:"))


def check_compare_jobs_ranks_client_side_and_registers_the_best(workspace, trained, run_snippet, capsys):
    client = MlflowClient(workspace.reader.workspaces.get(workspace.reader.workspace_name).mlflow_tracking_uri)
    accuracy = {name: client.get_run(name).data.metrics["accuracy"] for name in trained}

    script = run_snippet("ch27_distributed_training/compare_jobs.py", *trained)

    # Azure ML would have refused order_by on a metric: the gate (an autouse fixture) fails the test if sent
    assert script["ranked"]["run_id"].tolist() == sorted(accuracy, key=accuracy.get, reverse=True)
    assert sorted(script["table"].index) == sorted(trained)
    assert script["best_job"] == max(accuracy, key=accuracy.get)
    out = capsys.readouterr().out
    assert all(f"{name} train_loss by epoch:" in out for name in trained)
    model = workspace.get("models", "ddp-classifier", version=script["registered"].version)
    assert model.type == "custom_model" and model.tags["training_job"] == script["best_job"]
    assert script["best_job"] in model.path  # the best job's own output folder


def test_distributed_jobs_run_then_compare(workspace, trained, run_snippet, capsys):
    """One workspace for all of it: each job really runs as two processes (some seconds each)."""
    check_jobs_are_pytorch_distributed_on_the_gpu_cluster(workspace, trained)
    check_each_process_saw_its_rank_and_only_rank_0_logged(workspace, trained)
    check_yaml_job_is_the_python_job(workspace)
    check_compare_jobs_ranks_client_side_and_registers_the_best(workspace, trained, run_snippet, capsys)


# --- the training script itself, under coverage: two real gloo processes ---------------------


def test_train_ddp_two_processes(tmp_path):
    """Two copies of src/train_ddp.py, each with the variables Azure sets, form one gloo process
    group here; rank 0 alone logs and saves."""
    uri = fresh_tracking_uri(tmp_path)
    requirements = job_envs.from_conda((FOLDER / "conda.yml").read_text())
    variables = distribution.process_variables(nodes=1, per_node=2, port=distribution.free_port())
    assert all(set(ranked) == VARIABLES for ranked in variables)
    results = {}

    def rank(ranked: dict) -> None:
        env = {**ranked, "MLFLOW_TRACKING_URI": uri, "MLFLOW_EXPERIMENT_NAME": "ddp-local"}
        args = [str(FOLDER / "src" / "train_ddp.py"), "--epochs", "2", "--model_dir", str(tmp_path / "model")]
        results[ranked["RANK"]] = job_envs.run_script(requirements, args, env=env, cwd=tmp_path, timeout=300)

    threads = [threading.Thread(target=rank, args=(ranked,)) for ranked in variables]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert all(done.returncode == 0 for done in results.values()), {k: v.stdout + v.stderr for k, v in results.items()}
    assert "test accuracy" in results["0"].stdout and "test accuracy" not in results["1"].stdout
    assert (tmp_path / "model" / "model.pt").stat().st_size > 0
    client = MlflowClient(uri)
    (run,) = client.search_runs([client.get_experiment_by_name("ddp-local").experiment_id])  # one run: rank 0's
    assert run.data.params["world_size"] == str(len(variables)) and run.data.params["epochs"] == "2"
    assert len(client.get_metric_history(run.info.run_id, "train_loss")) == 2  # once per epoch, not per process


# --- the fake: Azure's launch of a PyTorch-distributed job -------------------------------------


IMAGE = "mcr.microsoft.com/azureml/openmpi5.0-ubuntu24.04:latest"
SHOW = "python -c 'import os; print(*(k + \"=\" + os.environ[k] for k in " + json.dumps(sorted(VARIABLES)) + "))'"


def bare_python(tmp_path: Path) -> Environment:
    conda = tmp_path / "conda.yml"
    conda.write_text("dependencies:\n  - python=3.11\n")
    return Environment(image=IMAGE, conda_file=str(conda))


def test_fake_starts_nodes_times_processes_with_azures_variables(workspace, tmp_path):
    job = command(command=SHOW, environment=bare_python(tmp_path), instance_count=2,
                  distribution=PyTorchDistribution(process_count_per_instance=2))

    name = workspace.reader.jobs.create_or_update(job).name

    assert workspace.get("jobs", name).status == "Completed"
    logs = process_logs(workspace, name)
    seen = [dict(pair.split("=") for pair in logs[number].split()) for number in sorted(logs)]
    assert [int(process["RANK"]) for process in seen] == [0, 1, 2, 3]  # one log per process, named by rank
    assert {(process["NODE_RANK"], process["LOCAL_RANK"]) for process in seen} == {
        ("0", "0"), ("0", "1"), ("1", "0"), ("1", "1")}
    assert {process["WORLD_SIZE"] for process in seen} == {"4"}
    assert len({(process["MASTER_ADDR"], process["MASTER_PORT"]) for process in seen}) == 1  # one rendezvous


def test_fake_fails_the_job_when_one_process_fails(workspace, tmp_path):
    failing = "python -c 'import os, sys, time; sys.exit(\"rank 1 ran out of memory\") " \
              "if os.environ[\"RANK\"] == \"1\" else time.sleep(120)'"
    job = command(command=failing, environment=bare_python(tmp_path),
                  distribution={"type": "pytorch", "process_count_per_instance": 2})

    name = workspace.reader.jobs.create_or_update(job).name  # rank 0 would wait 2 minutes: it is stopped

    assert workspace.get("jobs", name).status == "Failed"
    assert workspace.azure.job_errors[name] == "rank 1 ran out of memory"


def test_an_environment_with_unpinned_torch_fails_to_build_rather_than_download_cuda():
    with pytest.raises(job_envs.BuildFailed, match="pin torch"):
        job_envs.cpu_torch_links(job_envs.Requirements("3.11", ("torch>=2.0",)))
    with pytest.raises(job_envs.BuildFailed, match="no CPU wheel of torch 0.0.1"):
        job_envs.cpu_torch_links(job_envs.Requirements("3.11", ("torch==0.0.1",)))
    links = job_envs.cpu_torch_links(job_envs.from_conda((FOLDER / "conda.yml").read_text()))
    assert links[0] == "--find-links" and any(Path(links[1]).glob("torch-2.13.0+cpu-*.whl"))
