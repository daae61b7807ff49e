"""Chapter 3: calling a real-time endpoint with a JSON request file."""

import json

import pandas as pd

from tests.conftest import SNIPPETS

REQUEST = SNIPPETS / "ch03_deployment_solution" / "sample_request.json"


def test_invoke_sends_the_request_file_to_the_endpoint(workspace, run_snippet, capsys):
    run_snippet("ch03_deployment_solution/invoke_endpoint.py")

    (call,) = workspace.sent("online_endpoints", "invoke")
    assert call.args == ()
    assert call.kwargs == {"endpoint_name": "diabetes-endpoint", "request_file": "sample_request.json"}
    assert workspace.sent("online_endpoints") == [call]  # nothing else, e.g. no deployment created
    assert capsys.readouterr().out.startswith("Predictions:")


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
