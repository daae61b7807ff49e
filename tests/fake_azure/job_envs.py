"""The Python a script Azure runs gets: a venv built from the script's own environment.

Azure builds an environment's image and runs the job, trial, component or scoring script in it,
not in the reader's Python. The fake does the same with venvs: an environment's pip requirements
(a curated environment's packages from ``facts/curated_environments.yml``, a conda file's
dependencies, or the ``pip install`` of a Docker build context) and its Python are hashed, and
``.venv-envs/<hash>/`` at the repository's root is built once with ``uv`` (wheels only), under a
file lock so that parallel test workers build it once. Every venv is made with a Python this
machine has (3.11): an environment asking for another one fails to build, as an image whose
packages cannot be installed does on Azure.

PyTorch: PyPI's Linux wheel of torch is a CUDA build (several GB with its NVIDIA packages). This
kind of machine keeps a CPU build on disk, in the folder pip's own configuration names with
``find-links`` (``PIP_FIND_LINKS`` or a pip.conf); an environment that pins ``torch==X`` is built
with that folder as a flat index, where uv prefers the CPU build (``X+cpu``). When no CPU wheel of
the pinned release is on disk, or torch is not pinned, the build fails with a message saying so,
rather than download the CUDA build.
"""

from __future__ import annotations

import fcntl
import hashlib
import itertools
import os
import re
import shlex
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import coverage
import yaml
from uv import find_uv_bin

from tests.fake_azure import catalog

ROOT = Path(__file__).resolve().parents[2]
VENVS = ROOT / ".venv-envs"
DEFAULT_PYTHON = "3.11"  # a conda file that names no Python gets conda's newest; the fake's is 3.11
REGISTRY_ID = re.compile(r"azureml://registries/azureml/environments/(?P<name>[^/]+)", re.IGNORECASE)
CONDA_PIN = re.compile(r"^(?P<name>[A-Za-z0-9_.\-]+)\s*(?P<op>==|=|>=|<=|>|<|!=|~=)?\s*(?P<version>\S*)$")
DOCKER_PYTHON = re.compile(r"\bpython=(?P<version>\d+\.\d+)")
RECIPE = "uv venv --seed; uv pip install --only-binary :all:"  # part of the hash: a new recipe, new venvs
MLFLOW_SERVING = "mlflow-skinny==3.15.0"  # the MLflow of the curated environments (facts/curated_environments.yml)
BUILD_TIMEOUT = 600  # seconds; a cold build downloads a few hundred MB


class BuildFailed(Exception):
    """What Azure would report as the environment's image build failure."""


@dataclass(frozen=True)
class Requirements:
    """What a venv is built from: its Python (major.minor) and its pip requirements."""

    python: str
    pip: tuple[str, ...]

    @property
    def digest(self) -> str:
        text = "\n".join([RECIPE, f"python=={self.python}", *sorted(self.pip)])
        return hashlib.sha256(text.encode()).hexdigest()[:16]


def requirements_at(reference: str, store, blobs) -> Requirements:
    """The requirements of the environment a job or a deployment names (``environmentId``): a version
    the workspace holds (in ``store``), or a curated one of the azureml registry."""
    reference = reference.removeprefix("azureml:")
    return requirements_of(store.get(reference) or reference, blobs)


def requirements_of(environment: dict | str, blobs=None) -> Requirements:
    """The requirements of an environment: an ARM environment-version document (its conda file, or
    its Docker build context, whose files are in ``blobs``), or a curated environment's name
    (``AzureML-sklearn-1.5``) or registry id (``azureml://registries/azureml/environments/...``)."""
    name = curated_name(environment if isinstance(environment, str) else environment["id"])
    if name or isinstance(environment, str):
        return curated(name or environment)
    properties = environment["properties"]
    if properties.get("condaFile"):
        return from_conda(properties["condaFile"])
    if properties.get("build"):
        build = properties["build"]
        prefix = build["contextUri"].split(".blob.core.windows.net/", 1)[1].rstrip("/")
        return from_dockerfile(blobs.blobs[f"{prefix}/{build.get('dockerfilePath') or 'Dockerfile'}"].decode())
    raise BuildFailed(f"the fake knows no packages of image {properties.get('image')}: it runs scripts in "
                      "curated environments, conda files and Docker build contexts")


def for_mlflow_model(folder: Path) -> Requirements:
    """The environment Azure builds to serve an MLflow model without a scoring script: the model's own
    conda dependencies, plus what serving needs (mlflow-skinny, when they hold no MLflow)."""
    requirements = from_conda((folder / "conda.yaml").read_text())
    if any(name_of(package) in ("mlflow", "mlflow-skinny") for package in requirements.pip):
        return requirements
    return Requirements(requirements.python, (*requirements.pip, MLFLOW_SERVING))


def name_of(requirement: str) -> str:
    """The package a pip requirement names (``scikit-learn`` of ``scikit-learn==1.5.2``)."""
    return re.split(r"[\s\[<>=!~;]", requirement, maxsplit=1)[0].lower()


def curated_name(reference: str) -> str | None:
    """The azureml registry's name of a curated environment ``reference`` names, if it names one."""
    if match := REGISTRY_ID.search(reference):
        return match["name"]
    name = reference.removeprefix("azureml:").split("/environments/", 1)[-1].split("/", 1)[0]
    name = name.split("@", 1)[0].split(":", 1)[0]  # AzureML-sklearn-1.5@latest, AzureML-sklearn-1.5:1
    names = {env["workspace_name"].lower(): env["name"] for env in catalog.curated_environments()}
    return names.get(name.lower())


def curated(name: str) -> Requirements:
    found = next((env for env in catalog.curated_environments() if env["name"] == name), None)
    if found is None or "venv" not in found:
        raise BuildFailed(f"the fake has no packages for curated environment {name}")
    return Requirements(found["venv"]["python"], tuple(found["venv"]["pip"]))


def from_conda(text: str) -> Requirements:
    """A conda file's dependencies as pip requirements: conda's ``name=1.5`` means 1.5.*; ``pip:``
    entries are pip's already."""
    python, pip = DEFAULT_PYTHON, []
    for dependency in (yaml.safe_load(text) or {}).get("dependencies") or []:
        if isinstance(dependency, dict):
            pip.extend(dependency.get("pip") or [])
            continue
        match = CONDA_PIN.match(str(dependency).strip())
        if match is None:
            raise BuildFailed(f"conda dependency '{dependency}' is not one the fake reads")
        name, op, version = match["name"], match["op"], match["version"]
        if name == "python":
            python = ".".join(version.split(".")[:2]) or DEFAULT_PYTHON
        elif name != "pip":
            pip.append(f"{name}=={version}.*" if op == "=" else f"{name}{op or ''}{version}")
    return Requirements(python, tuple(pip))


def from_requirements_file(path: Path) -> Requirements:
    """The environment a snippet folder declares in a pip requirements file (one pin a line), on
    the fake's Python: what a reader installs with ``pip install -r`` (or a workflow does)."""
    lines = (line.split("#", 1)[0].strip() for line in path.read_text(encoding="utf-8").splitlines())
    return Requirements(DEFAULT_PYTHON, tuple(line for line in lines if line))


def from_dockerfile(text: str) -> Requirements:
    """The packages of a Dockerfile's ``pip install`` lines, and the Python it creates with conda."""
    joined = re.sub(r"\\\n", " ", text)
    pip = []
    for line in joined.splitlines():
        words = shlex.split(line, comments=True)
        if words[:1] == ["RUN"] and "pip" in words and "install" in words:
            pip.extend(word for word in words[words.index("install") + 1:] if not word.startswith("-"))
    python = DOCKER_PYTHON.search(joined)
    if python is None:
        raise BuildFailed("the Dockerfile creates no Python of its own (conda create ... python=X.Y); the fake "
                          "cannot run the base image's Python")
    return Requirements(python["version"], tuple(pip))


def python_for(requirements: Requirements) -> Path:
    """The python of the venv built from ``requirements``, built now unless it exists."""
    venv = VENVS / requirements.digest
    ready = venv / "requirements.txt"  # written last: the venv is complete
    if not ready.exists():
        VENVS.mkdir(exist_ok=True)
        with open(VENVS / f"{requirements.digest}.lock", "w") as lock:
            fcntl.flock(lock, fcntl.LOCK_EX)
            if not ready.exists():
                _build(venv, requirements)
                ready.write_text("\n".join([f"# python {requirements.python}", *requirements.pip, ""]))
    return venv / "bin" / "python"


def _build(venv: Path, requirements: Requirements) -> None:
    uv = find_uv_bin()
    env = {**os.environ, "UV_PYTHON_DOWNLOADS": "never", "VIRTUAL_ENV": str(venv)}
    # --seed: pip in the venv too, as conda puts it in every environment Azure builds
    steps = [[uv, "venv", "--quiet", "--clear", "--seed", "--python", requirements.python, str(venv)]]
    if requirements.pip:
        steps.append([uv, "pip", "install", "--quiet", "--only-binary", ":all:", "--python",
                      str(venv / "bin" / "python"), *cpu_torch_links(requirements), *requirements.pip])
    for step in steps:
        done = subprocess.run(step, env=env, capture_output=True, text=True, timeout=BUILD_TIMEOUT, check=False)
        if done.returncode != 0:
            why = " ".join((done.stderr or done.stdout).split())  # one line: the job's error is its log's last
            raise BuildFailed(f"building the environment failed: {why}")


def cpu_torch_links(requirements: Requirements) -> list[str]:
    """``--find-links`` to the machine's folder that holds a CPU wheel of the torch release the
    requirements pin (none when they ask for no torch)."""
    pins = [package for package in requirements.pip if name_of(package) == "torch"]
    if not pins:
        return []
    version = re.fullmatch(r"torch\s*==\s*(\d+(?:\.\d+)*)", pins[0].strip(), re.IGNORECASE)
    if version is None:
        raise BuildFailed(f"'{pins[0]}': pin torch to one release (torch==X.Y.Z) whose CPU wheel lies on this "
                          "machine; the fake does not download PyPI's CUDA build of torch")
    wheel = f"torch-{version[1]}+cpu-cp{requirements.python.replace('.', '')}-*.whl"
    folders = [folder for folder in machine_wheel_folders() if any(folder.glob(wheel))]
    if not folders:
        raise BuildFailed(f"no CPU wheel of torch {version[1]} for Python {requirements.python} ({wheel}) in the "
                          f"folders pip's configuration names with find-links ({machine_wheel_folders() or 'none'}); "
                          "the fake does not download PyPI's CUDA build of torch")
    return [option for folder in folders for option in ("--find-links", str(folder))]


def machine_wheel_folders() -> list[Path]:
    """The local folders pip is told to look in (``find-links``): ``PIP_FIND_LINKS`` and pip's configuration."""
    listed = subprocess.run([sys.executable, "-m", "pip", "config", "list"], capture_output=True, text=True,
                            check=False).stdout
    values = [os.environ.get("PIP_FIND_LINKS", ""), *re.findall(r"find-links='([^']*)'", listed)]
    folders = dict.fromkeys(Path(word) for value in values for word in value.split())
    return [folder for folder in folders if folder.is_dir()]


def run_script(environment: dict | str | Requirements, args: list[str], blobs=None,
               **options) -> subprocess.CompletedProcess:
    """Run ``python *args`` with the environment's python first on PATH, as Azure runs a script in
    its environment's image; ``options`` go to ``subprocess.run`` (``env`` is added to)."""
    requirements = environment if isinstance(environment, Requirements) else requirements_of(environment, blobs)
    python = python_for(requirements)
    env = first_on_path(python, {**os.environ, **options.pop("env", {})})
    return subprocess.run(measured(python, args, env), env=env, capture_output=True, text=True, check=False,
                          **options)


def first_on_path(python: Path, env: dict) -> dict:
    """``env`` with the venv's python first on ``PATH``, as an environment's image has its own."""
    return {**env, "PATH": f"{python.parent}{os.pathsep}{env.get('PATH', os.environ['PATH'])}"}


def measured(python: Path, args: list[str], env: dict) -> list[str]:
    """The command for ``python *args``. Under the tests' coverage, a script runs as ``coverage run``
    (the site's coverage package, alone on ``PYTHONPATH``, set in ``env``): its parallel data file
    lands beside the tests' own, which pytest-cov combines, so the snippet's lines count."""
    flags = list(itertools.takewhile(lambda arg: arg.startswith("-") and arg != "-c", args))
    script = args[len(flags):]
    current = coverage.Coverage.current()
    if current is None or not script or script[0] == "-c":
        return [str(python), *args]
    alone = VENVS / "coverage-package"
    if not alone.exists():
        VENVS.mkdir(exist_ok=True)
        alone.mkdir(exist_ok=True)
        (alone / "coverage").symlink_to(Path(coverage.__file__).parent)
    env["PYTHONPATH"] = str(alone)
    return [str(python), *flags, "-m", "coverage", "run", "--parallel-mode",
            f"--data-file={ROOT / current.config.data_file}", f"--source={ROOT / 'snippets'}", *script]


if __name__ == "__main__":  # make test: build the declared environments before the tests run
    for declared in sys.argv[1:]:
        print(f"{declared}: {python_for(from_requirements_file(Path(declared))).parent.parent}")
