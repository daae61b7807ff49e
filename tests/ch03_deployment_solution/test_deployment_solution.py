"""Chapter 3: calling a real-time endpoint with a JSON request file."""

import json
from pathlib import Path

import mlflow
import pandas as pd
import pytest

from tests.conftest import SNIPPETS
from tests.fake_azure.job_envs import for_mlflow_model, run_script

REQUEST = SNIPPETS / "ch03_deployment_solution" / "sample_request.json"
# What the model predicts for the request's patients, loaded in its own environment: python -c PREDICT <model> <request>
PREDICT = """
import json, sys
import mlflow.pyfunc, pandas as pd
patients = pd.DataFrame(**json.load(open(sys.argv[2]))["input_data"])
print(json.dumps(mlflow.pyfunc.load_model(sys.argv[1]).predict(patients).tolist()))
"""


@pytest.fixture
def mlflow_endpoint(workspace, mlflow_classifier, run_snippet, capsys, tmp_path):
    """The endpoint chapter 18 deploys chapter 16's MLflow model to; the model's files, as the training job
    logged them (the job's run: its id is the job's name)."""
    run_snippet("ch18_online_endpoint/deploy_mlflow_model.py")
    capsys.readouterr()
    workspace.calls.clear()  # what this chapter's snippet sends is all the test looks at
    tracking_uri = workspace.get("workspaces", "mlw-dp100-labs").mlflow_tracking_uri
    return Path(mlflow.artifacts.download_artifacts(f"runs:/{mlflow_classifier}/model", dst_path=str(tmp_path),
                                                    tracking_uri=tracking_uri))


def predicted(model_folder: Path) -> list:
    """The model's own predictions for the request, in the environment it was saved with."""
    done = run_script(for_mlflow_model(model_folder), ["-c", PREDICT, str(model_folder), str(REQUEST)])
    assert done.returncode == 0, done.stderr
    return json.loads(done.stdout)


def test_invoke_sends_the_request_file_to_the_endpoint(workspace, mlflow_endpoint, run_snippet, capsys):
    names = run_snippet("ch03_deployment_solution/invoke_endpoint.py")

    (call,) = workspace.sent("online_endpoints", "invoke")
    assert call.args == ()
    assert call.kwargs == {"endpoint_name": "diabetes-mlflow-endpoint", "request_file": "sample_request.json"}
    assert workspace.sent("online_endpoints") == [call]  # nothing else, e.g. no deployment created
    # the endpoint's MLflow deployment answers what the job's model predicts, one label per patient
    predictions = json.loads(names["response"])
    patients = pd.DataFrame(**json.loads(REQUEST.read_text())["input_data"])
    assert predictions == predicted(mlflow_endpoint)
    assert len(predictions) == len(patients) and set(predictions) <= {0, 1}
    assert capsys.readouterr().out == f"Predictions: {names['response']}\n"


def test_request_file_has_the_shape_mlflow_models_accept():
    body = json.loads(REQUEST.read_text())

    assert list(body) == ["input_data"]
    table = body["input_data"]
    assert set(table) == {"columns", "index", "data"}
    assert len(table["columns"]) == 8 and "PlasmaGlucose" in table["columns"]
    assert len(table["index"]) == len(table["data"]) == 2
    assert all(len(row) == len(table["columns"]) for row in table["data"])
    assert all(isinstance(value, int | float) for row in table["data"] for value in row)
    # the "split" layout turns straight into the DataFrame the model receives
    frame = pd.DataFrame(**table)
    assert frame.shape == (2, 8)
    assert frame.loc[0, "PlasmaGlucose"] == 171
