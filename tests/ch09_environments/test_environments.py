from pathlib import Path

import yaml
from azure.ai.ml import load_environment

from tests.fake_azure.catalog import curated_environments
from tests.fake_azure.job_envs import from_conda, from_dockerfile, name_of

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "ch09_environments"
BASE_IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"


def pip_packages(conda: dict) -> list[str]:
    return next(item["pip"] for item in conda["dependencies"] if isinstance(item, dict))


def tracks_to_the_workspace(packages) -> bool:
    """MLflow logs to the workspace with MLflow's API (mlflow or mlflow-skinny) and the azureml-mlflow plugin."""
    names = {name_of(package) for package in packages}
    return "azureml-mlflow" in names and bool(names & {"mlflow", "mlflow-skinny"})


def pinned(packages) -> bool:
    return all("==" in package for package in packages)


def test_list_prints_every_environment_name(workspace, run_snippet, capsys):
    run_snippet("ch09_environments/environment_from_conda.py")
    capsys.readouterr()

    run_snippet("ch09_environments/list_environments.py")

    curated = [env["workspace_name"] for env in curated_environments()]  # every workspace lists them
    assert capsys.readouterr().out.splitlines() == [*curated, "sklearn-mlflow"]
    assert len(workspace.sent("environments", "list")) == 1


def test_get_by_version_and_by_label(workspace, run_snippet, capsys):
    run_snippet("ch09_environments/environment_from_conda.py")  # version 1
    run_snippet("ch09_environments/environment_from_conda.py")  # run again: Azure adds version 2
    capsys.readouterr()

    run_snippet("ch09_environments/get_environment.py")

    first, second = workspace.sent("environments", "get")
    assert first.kwargs == {"name": "sklearn-mlflow", "version": "1"}
    assert second.kwargs == {"name": "sklearn-mlflow", "label": "latest"}
    newest = max(int(env.version) for env in workspace.all("environments", name="sklearn-mlflow"))
    assert capsys.readouterr().out.splitlines() == [
        f"sklearn-mlflow 1 {BASE_IMAGE}",
        f"sklearn-mlflow {newest} {BASE_IMAGE}",
    ]


def test_environment_from_image_only(workspace, run_snippet):
    run_snippet("ch09_environments/environment_from_image.py")

    (env,) = workspace.created("environments")
    assert (env.name, env.image) == ("ubuntu-openmpi", BASE_IMAGE)
    assert env.conda_file is None and env.build is None


def test_environment_from_image_and_conda_file(workspace, run_snippet, capsys):
    run_snippet("ch09_environments/environment_from_conda.py")

    (env,) = workspace.created("environments")
    assert (env.name, env.image) == ("sklearn-mlflow", BASE_IMAGE)
    assert env.conda_file == yaml.safe_load((SNIPPETS / "conda.yml").read_text())
    assert capsys.readouterr().out.strip() == "sklearn-mlflow 1"


def test_conda_file_pins_a_current_python_and_mlflow_packages():
    conda = yaml.safe_load((SNIPPETS / "conda.yml").read_text())

    assert "python=3.11" in conda["dependencies"]
    requirements = from_conda((SNIPPETS / "conda.yml").read_text())
    assert tracks_to_the_workspace(requirements.pip) and pinned(requirements.pip)


def test_environment_from_build_context(workspace, run_snippet):
    run_snippet("ch09_environments/environment_from_build_context.py")

    (env,) = workspace.created("environments")
    assert env.name == "sklearn-docker"
    assert env.image is None
    # the SDK uploads the folder; Azure keeps the build context in the workspace's storage
    stored = workspace.get("environments", "sklearn-docker", version="1")
    dockerfile = f"{stored.build.path.split('.net/', 1)[1]}Dockerfile"
    assert workspace.azure.blobs.blobs[dockerfile] == (SNIPPETS / "docker-context" / "Dockerfile").read_bytes()


def test_dockerfile_starts_from_the_base_image_and_installs_mlflow():
    text = (SNIPPETS / "docker-context" / "Dockerfile").read_text()

    assert text.splitlines()[0] == f"FROM {BASE_IMAGE}"
    requirements = from_dockerfile(text)
    # its own Python: the base image's conda has 3.8, older than these packages support
    assert requirements.python == "3.11"
    assert tracks_to_the_workspace(requirements.pip) and pinned(requirements.pip)
    assert "scikit-learn" in {name_of(package) for package in requirements.pip}


def test_job_refers_to_the_environment_by_label(workspace, run_snippet):
    run_snippet("ch08_compute_targets/compute_cluster.py")  # the cluster chapter 8 creates
    run_snippet("ch09_environments/environment_from_conda.py")

    run_snippet("ch09_environments/job_with_environment.py")

    (stored,) = workspace.all("jobs")
    # the SDK resolved the label to the newest version before sending the job
    assert stored.environment.endswith("/environments/sklearn-mlflow/versions/1")
    assert stored.compute.endswith("/computes/cpu-cluster") or stored.compute == "cpu-cluster"


def test_environment_yaml_loads_with_the_sdk():
    env = load_environment(SNIPPETS / "environment.yml")

    assert (env.name, env.image) == ("sklearn-mlflow", BASE_IMAGE)
    assert "python=3.11" in env.conda_file["dependencies"]
    assert tracks_to_the_workspace(pip_packages(env.conda_file))


