"""How a command job's processes are started: one, or one per rank of a PyTorch-distributed job.

With ``distribution: {type: pytorch}`` Azure ML starts ``process_count_per_instance`` processes
(default one) on each of the job's ``instance_count`` nodes, every one running the job's command,
and sets the variables ``torch.distributed``'s ``env://`` initialisation reads: on each node
``MASTER_ADDR``, ``MASTER_PORT``, ``WORLD_SIZE`` and ``NODE_RANK``, and for each process ``RANK``
and ``LOCAL_RANK`` (Learn, "Distributed GPU training guide (SDK v2)", PyTorch, process group
initialization: https://learn.microsoft.com/azure/machine-learning/how-to-train-distributed-gpu#pytorch).
The fake's nodes are this machine: the rank-0 host is 127.0.0.1 and the port is a free one, so
the processes really meet there and form their process group. Ranks are numbered node by node
(node n's local rank l is ``n * process_count_per_instance + l``), as ``torchrun`` numbers them.
When one process fails, the others are stopped and the job fails with that process's error, as a
distributed job fails when any of its processes does. Each process's output is also kept as a log
file of its own, ``user_logs/std_log_process_<rank>.txt``, as Azure ML keeps them (the SDK's
``jobs.stream`` follows process 0's: ``COMMON_RUNTIME_STREAM_LOG_PATTERN`` in
``azure/ai/ml/constants/_job/job.py``).

MPI and TensorFlow distributions (``mpirun``'s variables, ``TF_CONFIG``) are not launched: their
command runs once, as a job without distribution does.
"""

from __future__ import annotations

import socket
import subprocess
import time
from pathlib import Path
from tempfile import TemporaryDirectory

HOST = "127.0.0.1"
POLL = 0.1  # seconds between looks at the processes


def run(args: list[str], properties: dict, *, timeout: float, **options) -> subprocess.CompletedProcess:
    """Run ``args`` as the job's processes; ``options`` (``cwd``, ``env``) go to each. The result
    holds every process's output, rank by rank, a failed one's last (its last line is the error),
    and, for a distributed job, ``logs``: each process's log file, by name."""
    distribution = properties.get("distribution") or {}
    if distribution.get("distributionType") != "PyTorch":
        return subprocess.run(args, capture_output=True, text=True, timeout=timeout, check=False, **options)
    nodes = (properties.get("resources") or {}).get("instanceCount") or 1
    variables = process_variables(nodes, distribution.get("processCountPerInstance") or 1, free_port())
    with TemporaryDirectory(prefix="ranks-") as folder:
        logs = [(Path(folder) / f"process_{rank}.txt").open("w+") for rank in range(len(variables))]
        processes = [subprocess.Popen(args, stdout=log, stderr=subprocess.STDOUT, text=True,
                                      **{**options, "env": {**options.get("env", {}), **ranked}})
                     for log, ranked in zip(logs, variables, strict=True)]
        failed = _wait(processes, timeout)
        outputs = []
        for log in logs:
            log.seek(0)
            outputs.append(log.read())
            log.close()
    order = [rank for rank in range(len(processes)) if rank != failed] + ([] if failed is None else [failed])
    code = 0 if failed is None else processes[failed].returncode
    done = subprocess.CompletedProcess(args, code, "".join(outputs[rank] for rank in order), "")
    done.logs = {f"std_log_process_{rank}.txt": output for rank, output in enumerate(outputs)}
    return done


def process_variables(nodes: int, per_node: int, port: int) -> list[dict[str, str]]:
    """What each process of a PyTorch-distributed job finds in its environment, by global rank."""
    world = nodes * per_node
    return [{"MASTER_ADDR": HOST, "MASTER_PORT": str(port), "WORLD_SIZE": str(world), "NODE_RANK": str(node),
             "RANK": str(node * per_node + local), "LOCAL_RANK": str(local)}
            for node in range(nodes) for local in range(per_node)]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind((HOST, 0))
        return probe.getsockname()[1]


def _wait(processes: list[subprocess.Popen], timeout: float) -> int | None:
    """The rank of the first process that failed, if one did; then (or once time is up) the others
    are stopped."""
    deadline = time.monotonic() + timeout
    failed = None
    while any(process.poll() is None for process in processes):
        failed = next((rank for rank, process in enumerate(processes) if process.poll() not in (None, 0)), None)
        if failed is not None or time.monotonic() > deadline:
            for process in processes:
                if process.poll() is None:
                    process.kill()
            break
        time.sleep(POLL)
    for process in processes:
        process.wait()
    if failed is None:
        failed = next((rank for rank, process in enumerate(processes) if process.returncode != 0), None)
    return failed
