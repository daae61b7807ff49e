"""The venvs scripts Azure runs get: each built from its environment's packages, as Azure builds an image."""

import textwrap

import pytest
import sklearn
from azure.ai.ml import MLClient, command
from azure.ai.ml.entities import Environment
from azure.identity import DefaultAzureCredential
from packaging.specifiers import SpecifierSet

from tests.fake_azure import catalog, job_envs
from tests.fake_azure.workspace import GROUP, NAME, SUBSCRIPTION

CURATED = "azureml:AzureML-sklearn-1.5@latest"
IMAGE = "mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest"


@pytest.fixture
def ml_client(workspace):
    return MLClient(DefaultAzureCredential(), SUBSCRIPTION, GROUP, NAME)


def sklearn_15() -> dict:
    return next(env for env in catalog.curated_environments() if env["name"] == "sklearn-1.5")


def test_a_conda_file_gives_its_python_and_its_packages_as_pip_requirements():
    conda = textwrap.dedent("""\
        dependencies:
          - python=3.11.7
          - pip
          - scikit-learn=1.5
          - numpy==2.1.3
          - pip:
              - mlflow-skinny==3.15.0
        """)
    requirements = job_envs.from_conda(conda)

    assert requirements.python == "3.11"
    # conda's name=1.5 is 1.5.*; pip itself is the installer, not a package of the venv
    assert requirements.pip == ("scikit-learn==1.5.*", "numpy==2.1.3", "mlflow-skinny==3.15.0")


def test_a_dockerfile_gives_the_packages_of_its_pip_install_and_the_python_it_creates():
    dockerfile = textwrap.dedent("""\
        FROM mcr.microsoft.com/azureml/openmpi4.1.0-ubuntu22.04:latest
        RUN conda create -y -p /azureml-envs/x python=3.11 pip
        # a comment
        RUN pip install --no-cache-dir \\
            "scikit-learn==1.5.2" \\
            pandas==2.2.3
        """)
    requirements = job_envs.from_dockerfile(dockerfile)

    assert (requirements.python, requirements.pip) == ("3.11", ("scikit-learn==1.5.2", "pandas==2.2.3"))
    with pytest.raises(job_envs.BuildFailed, match="creates no Python"):
        job_envs.from_dockerfile("FROM ubuntu:22.04\nRUN pip install pandas\n")


def test_a_curated_environment_is_found_by_its_workspace_name_and_its_registry_id():
    by_name = job_envs.requirements_of("AzureML-sklearn-1.5")

    assert job_envs.requirements_of("azureml://registries/azureml/environments/sklearn-1.5/versions/1") == by_name
    assert by_name == job_envs.Requirements(sklearn_15()["venv"]["python"], tuple(sklearn_15()["venv"]["pip"]))


def test_the_curated_venv_keeps_the_images_versions_except_where_the_facts_say_why_not():
    environment = sklearn_15()
    image = {**environment["conda"], **environment["pip"]}
    venv = dict(package.split("==") for package in environment["venv"]["pip"])
    reasons = {**environment["venv"]["differs"], **environment["venv"]["left_out"]}

    for package, spec in image.items():
        if package == "pip" or package in reasons:
            continue
        assert package in venv, f"{package} is in the image: the venv has it or the facts say why not"
        if spec[0] in "=~<>!":
            assert venv[package] in SpecifierSet(spec), f"{package} {venv[package]} is not {spec}"
    assert set(venv) - set(image) <= set(reasons)  # a package the image does not list is explained


def test_the_hash_changes_with_a_pin_or_the_python_and_not_with_the_order():
    base = job_envs.Requirements("3.11", ("scikit-learn==1.5.2", "pandas==2.2.3"))

    assert job_envs.Requirements("3.11", ("pandas==2.2.3", "scikit-learn==1.5.2")).digest == base.digest
    assert job_envs.Requirements("3.11", ("scikit-learn==1.5.1", "pandas==2.2.3")).digest != base.digest
    assert job_envs.Requirements("3.12", base.pip).digest != base.digest


def test_a_script_run_in_the_curated_environment_sees_its_scikit_learn_not_the_sites():
    done = job_envs.run_script("AzureML-sklearn-1.5", ["-c", "import sklearn, pandas; print(sklearn.__version__, "
                                                       "pandas.__version__)"])

    versions = dict(package.split("==") for package in sklearn_15()["venv"]["pip"])
    assert done.returncode == 0, done.stderr
    assert done.stdout.split() == [versions["scikit-learn"], versions["pandas"]]
    assert versions["scikit-learn"] in SpecifierSet(sklearn_15()["pip"]["scikit-learn"])  # ~=1.5.0
    assert sklearn.__version__ != versions["scikit-learn"]  # the site's own is another


def test_a_job_whose_environment_lacks_a_package_its_script_imports_fails(ml_client, workspace, tmp_path):
    conda = tmp_path / "conda.yml"
    conda.write_text("dependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - numpy==2.1.3\n")
    job = command(command="python -c 'import numpy, pandas'",
                  environment=Environment(image=IMAGE, conda_file=str(conda)), display_name="no-pandas")

    submitted = ml_client.jobs.create_or_update(job)

    assert ml_client.jobs.get(submitted.name).status == "Failed"
    assert workspace.azure.job_errors[submitted.name] == "ModuleNotFoundError: No module named 'pandas'"


def test_a_job_in_the_curated_environment_runs_with_its_python(ml_client, workspace):
    job = command(command="python -c 'import sklearn; print(sklearn.__version__)'", environment=CURATED)

    submitted = ml_client.jobs.create_or_update(job)

    assert ml_client.jobs.get(submitted.name).status == "Completed"
    log = workspace.azure.blobs.blobs[f"azureml/ExperimentRun/dcid.{submitted.name}/user_logs/std_log.txt"]
    assert log.decode().strip() == dict(p.split("==") for p in sklearn_15()["venv"]["pip"])["scikit-learn"]


def test_an_environment_that_cannot_be_built_fails_the_job(ml_client, workspace, tmp_path):
    conda = tmp_path / "conda.yml"
    conda.write_text("dependencies:\n  - python=3.11\n  - pip\n  - pip:\n      - scikit-learn==0.0.0\n")
    job = command(command="python -c 'print(1)'", environment=Environment(image=IMAGE, conda_file=str(conda)))

    submitted = ml_client.jobs.create_or_update(job)

    assert ml_client.jobs.get(submitted.name).status == "Failed"
    assert "scikit-learn==0.0.0" in workspace.azure.job_errors[submitted.name]
