"""Shared fixtures: the fake workspace, and running a snippet as the reader would."""

from __future__ import annotations

import os
import runpy
import shutil
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import mlflow
import pandas as pd
import pytest
from azure.ai.ml import MLClient
from azure.ai.ml.constants._endpoint import EndpointInvokeFields
from azure.identity import DefaultAzureCredential

from tests.fake_azure.chat_model import ChatModel
from tests.fake_azure.install import installed, token_for
from tests.fake_azure.mlflow_server import refusals as mlflow_refusals
from tests.fake_azure.mlflow_server import report as mlflow_report
from tests.fake_azure.mlflow_server import tracking_server
from tests.fake_azure.workspace import FakeWorkspace

ROOT = Path(__file__).resolve().parent.parent
SNIPPETS = ROOT / "snippets"

# Saving an MLflow model infers its pip requirements in a subprocess that re-imports the
# libraries (seconds per model); with no time for it, MLflow records its default list.
os.environ["MLFLOW_REQUIREMENTS_INFERENCE_TIMEOUT"] = "0"
# An error from the tests' MLflow server is a bug to see at once, not one to retry for minutes.
os.environ["MLFLOW_HTTP_REQUEST_MAX_RETRIES"] = "0"


# MLflow reads these, and writes some of them itself (set_tracking_uri, set_experiment, start_run).
MLFLOW_VARIABLES = ("MLFLOW_TRACKING_URI", "MLFLOW_EXPERIMENT_ID", "MLFLOW_EXPERIMENT_NAME", "MLFLOW_RUN_ID")


def fresh_tracking_uri(folder: Path) -> str:
    """A new, empty MLflow tracking store in ``folder``, served over HTTP as the workspace's
    tracking server is, behind Azure ML's limits (``tests/fake_azure/mlflow_server.py``)."""
    return tracking_server().new_store(folder)


@pytest.fixture(autouse=True)
def azure_ml_refused_no_mlflow_call():
    """A test fails when Azure ML's MLflow server would have refused a call it caused, even one
    MLflow swallowed (autolog only warns when it cannot log the model)."""
    yield
    if refused := mlflow_refusals():
        pytest.fail(mlflow_report(refused), pytrace=False)


@contextmanager
def mlflow_state_restored():
    """MLflow keeps the active run, experiment and tracking URI in globals and in the
    environment; put them back as they were."""
    before = {name: os.environ.get(name) for name in MLFLOW_VARIABLES}
    yield
    while mlflow.active_run():
        mlflow.end_run()
    mlflow.tracking.fluent._active_experiment_id = None
    mlflow.set_tracking_uri(None)
    for name, value in before.items():
        if value is None:
            os.environ.pop(name, None)
        else:
            os.environ[name] = value


@pytest.fixture(autouse=True, scope="module")
def module_forgets_mlflow_state():
    """No module inherits another's MLflow state (its own module fixtures run inside this)."""
    with mlflow_state_restored():
        yield


@pytest.fixture(autouse=True)
def test_forgets_mlflow_state():
    """No test inherits another's MLflow state (its module's store, set up before, stays)."""
    with mlflow_state_restored():
        yield


DIABETES_COLUMNS = ["PatientID", "Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness",
                    "SerumInsulin", "BMI", "DiabetesPedigree", "Age", "Diabetic"]
# Each feature's typical value, spread and decimals: whole numbers but for BMI and the pedigree
# function, as in the patients of the site's request files (ch03 sample_request.json).
FEATURE_UNITS = {"Pregnancies": (3, 3, 0), "PlasmaGlucose": (110, 30, 0), "DiastolicBloodPressure": (72, 12, 0),
                 "TricepsThickness": (28, 10, 0), "SerumInsulin": (80, 40, 0), "BMI": (32, 7, 2),
                 "DiabetesPedigree": (0.5, 0.3, 2), "Age": (35, 12, 0)}


def diabetes_csv(rows: int = 200) -> bytes:
    """A diabetes table with the columns the site's pages describe (one row per patient), made
    up with scikit-learn: what a reader uploads where chapter 7 says "upload your diabetes.csv"."""
    from sklearn.datasets import make_classification

    X, y = make_classification(n_samples=rows, n_features=len(FEATURE_UNITS), random_state=0)
    table = pd.DataFrame(X, columns=list(FEATURE_UNITS))
    for column, (typical, spread, decimals) in FEATURE_UNITS.items():
        values = (typical + spread * table[column]).clip(lower=0).round(decimals)
        table[column] = values if decimals else values.astype(int)
    table.insert(0, "PatientID", range(1000000, 1000000 + rows))
    table["Diabetic"] = y
    return table.to_csv(index=False).encode()


@pytest.fixture
def cluster_and_data(workspace, run_snippet, capsys) -> FakeWorkspace:
    """The workspace as chapters 7 and 8 leave it: the cluster, the reader's diabetes.csv and its data asset."""
    run_snippet("ch08_compute_targets/compute_cluster.py")
    workspace.upload("workspaceblobstore", "diabetes/diabetes.csv", diabetes_csv())  # chapter 7's studio step
    run_snippet("ch07_data/data_asset_uri_file.py")
    capsys.readouterr()
    return workspace


@pytest.fixture
def mlflow_classifier(cluster_and_data, run_snippet, tmp_path, capsys) -> str:
    """``diabetes-classifier:1``, the MLflow model chapter 16 registers from chapter 12's training
    job (on chapter 8's cluster, reading chapter 7's data asset over the reader's diabetes.csv),
    which chapter 18 deploys and chapter 3 calls. The job runs for real: its MLflow run, and the
    model it logs, go to the tests' MLflow tracking server. Returns the job's name."""
    cluster_and_data.set_tracking_uri(fresh_tracking_uri(tmp_path))
    job_name = run_snippet("ch12_command_job/submit_job.py")["returned_job"].name
    run_snippet("ch16_register_mlflow_model/register_from_job.py", job_name)
    capsys.readouterr()
    return job_name


def pytest_addoption(parser):
    parser.addoption("--real-azure", action="store_true",
                     help="run only the real_azure tests, against the workspace the AZURE_* variables name, fake off")


def pytest_collection_modifyitems(config, items):
    """``--real-azure`` runs the real_azure tests and nothing else; without it they are left out
    (deselected, not skipped: they need a subscription)."""
    real = config.getoption("real_azure")
    chosen = [item for item in items if (item.get_closest_marker("real_azure") is not None) == real]
    left_out = [item for item in items if item not in chosen]
    if left_out:
        config.hook.pytest_deselected(items=left_out)
        items[:] = chosen


@pytest.fixture
def workspace(monkeypatch) -> FakeWorkspace:
    """Every ``MLClient`` built while the test runs talks to one fake Azure holding the
    config.json workspace; what the snippets call on it is recorded."""
    fake = FakeWorkspace()
    real_init = MLClient.__init__

    def init_then_record(client, *args, **kwargs):
        real_init(client, *args, **kwargs)
        fake.record(client)

    # The SDK's invoke methods write their headers (azureml-model-deployment among them) into this
    # class-level dict, so a test would otherwise send the deployment an earlier test named.
    monkeypatch.setattr(EndpointInvokeFields, "DEFAULT_HEADER", dict(EndpointInvokeFields.DEFAULT_HEADER))
    with installed(monkeypatch, fake.azure):
        _ = fake.reader  # built before recording starts: the tests' own view of the workspace
        monkeypatch.setattr(MLClient, "__init__", init_then_record)
        yield fake


def _should_skip_warning():
    """The SDK's rule (no experimental notice while reading a REST object), without the
    ``inspect.stack()`` it uses, which reads the source of every frame: ~0.3 s a call in pytest."""
    frame = sys._getframe(1)
    while frame is not None and frame.f_code.co_name != "_from_rest_object":
        frame = frame.f_back
    return frame is not None


@pytest.fixture(autouse=True, scope="session")
def quick_experimental_check():
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("azure.ai.ml._utils._experimental._should_skip_warning", _should_skip_warning)
        yield


@pytest.fixture
def chat_model(monkeypatch):
    """A model deployment on 127.0.0.1 (``tests/fake_azure/chat_model.py``), named to the snippets by
    ``AZURE_OPENAI_ENDPOINT`` as a reader's resource would be; ``DefaultAzureCredential`` gets its
    tokens offline in this process, and from the server's managed-identity endpoint in the processes
    a test starts with ``chat_model.identity_env()``."""
    model = ChatModel()
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", model.endpoint)
    monkeypatch.setattr(DefaultAzureCredential, "get_token", lambda self, *scopes, **k: token_for(scopes))
    yield model
    model.close()


@pytest.fixture
def run_snippet(tmp_path, monkeypatch):
    """Run ``snippets/<path>`` as a script, from a scratch copy of its folder.

    The file itself is executed (so coverage and tracebacks name it), while the
    working directory is a copy of its folder with ``config.json`` beside it:
    relative paths resolve as they would for a reader, and nothing is written
    into the repository.
    """

    def run(path: str, *argv: str) -> dict:
        script = SNIPPETS / path
        workdir = tmp_path / script.parent.name
        if not workdir.exists():
            shutil.copytree(script.parent, workdir)
            shutil.copy(SNIPPETS / "config.json", workdir / "config.json")
        monkeypatch.chdir(workdir)
        monkeypatch.setattr(sys, "argv", [str(script), *argv])
        return runpy.run_path(str(script), run_name="__main__")

    return run


@pytest.fixture(scope="session")
def built_site(tmp_path_factory) -> Path:
    """The site, built with ``mkdocs build --strict`` (no warning allowed) once per test
    process, or the one ``make test`` has just built that way (BUILT_SITE)."""
    if os.environ.get("BUILT_SITE"):
        return Path(os.environ["BUILT_SITE"]).resolve()
    out = tmp_path_factory.mktemp("site")
    build = subprocess.run(
        [str(Path(sys.executable).parent / "mkdocs"), "build", "--strict", "-d", str(out)],
        cwd=ROOT, capture_output=True, text=True, check=False, env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    assert build.returncode == 0, build.stderr
    assert "WARNING" not in build.stderr, build.stderr
    return out
