"""Chapter 18 fixtures: a real model behind the scoring script, and an endpoint that answers."""

import json
import runpy
from pathlib import Path

import joblib
import pandas as pd
import pytest
from azure.ai.ml.entities import EndpointAuthKeys
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from tests.conftest import SNIPPETS
from tests.fake_workspace import FakeWorkspace

FOLDER = SNIPPETS / "ch18_online_endpoint"
COLUMNS = [
    "Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "TricepsThickness",
    "SerumInsulin", "BMI", "DiabetesPedigree", "Age",
]
FAKE_KEY = "not-a-real-key-0123"
LOG_TEXT = "Scoring request received\nPredictions returned"


@pytest.fixture(scope="module")
def model_dir(tmp_path_factory):
    """A trained classifier, laid out as Azure ML mounts a model registered from one file."""
    folder = tmp_path_factory.mktemp("azureml-models") / "diabetes-custom" / "1"
    folder.mkdir(parents=True)
    X, y = make_classification(n_samples=200, n_features=len(COLUMNS), random_state=0)
    model = LogisticRegression(max_iter=1000).fit(pd.DataFrame(X, columns=COLUMNS), y)
    joblib.dump(model, folder / "model.pkl")
    return folder


@pytest.fixture
def score(model_dir, monkeypatch):
    """snippets/.../src/score.py, loaded and initialised as the inference server does."""
    monkeypatch.setenv("AZUREML_MODEL_DIR", str(model_dir))
    script = runpy.run_path(str(FOLDER / "src" / "score.py"))
    script["init"]()
    return script["init"].__globals__  # the script's own globals, where init() put the model


@pytest.fixture
def endpoint(workspace, score, monkeypatch):
    """The fake workspace, plus what a live endpoint adds: it scores requests with the real
    score.py, hands out keys and logs, and we keep (traffic, mirror_traffic) at each update."""
    history = []
    install = FakeWorkspace.install

    def install_live_endpoint(self, client):
        install(self, client)
        endpoints, deployments = client.online_endpoints, client.online_deployments
        send, invoke = endpoints.begin_create_or_update.side_effect, endpoints.invoke.side_effect
        keys, logs = endpoints.get_keys.side_effect, deployments.get_logs.side_effect

        def snapshot_then_send(entity, **kwargs):
            history.append((dict(entity.traffic), dict(entity.mirror_traffic)))
            return send(entity, **kwargs)

        def score_request(*args, **kwargs):
            invoke(*args, **kwargs)
            return json.dumps(score["run"](Path(kwargs["request_file"]).read_text()))

        endpoints.begin_create_or_update.side_effect = snapshot_then_send
        endpoints.invoke.side_effect = score_request
        endpoints.get_keys.side_effect = lambda *a, **k: keys(*a, **k) or EndpointAuthKeys(
            primary_key=FAKE_KEY, secondary_key=FAKE_KEY[::-1])
        deployments.get_logs.side_effect = lambda *a, **k: logs(*a, **k) or LOG_TEXT

    monkeypatch.setattr(FakeWorkspace, "install", install_live_endpoint)
    workspace.traffic = history
    return workspace
