"""An online deployment's inference server, as the fake runs it: in the deployment's environment's venv.

``python score_host.py script <score.py>`` imports the scoring script and calls ``init()``;
``python score_host.py mlflow <model folder>`` loads an MLflow model with ``mlflow.pyfunc`` (the
scoring script Azure generates for a deployment without one; ``predict`` enforces the model's
signature). Either way it then answers one JSON line on stdin (``{"body": <the request's text>}``,
or for a batch deployment's script a mini-batch, the list of its files' paths) with one JSON line
on stdout: ``{"ok": true, "result": ...}`` or ``{"ok": false, "error": ...}``;
the first line it writes says whether the start worked. What the scoring code prints is sent back
in ``printed`` (the container's log). This file imports nothing from the tests: it runs with only
the environment's packages.
"""

import contextlib
import importlib.util
import io
import json
import os
import sys
import traceback


def scoring_script(path: str):
    sys.path.insert(0, os.path.dirname(path))
    spec = importlib.util.spec_from_file_location("score", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    module.init()
    return module.run


def mlflow_model(path: str):
    import mlflow.pyfunc

    loaded = mlflow.pyfunc.load_model(path)
    return lambda body: loaded.predict(mlflow_input(json.loads(body)))


def mlflow_input(body: dict):
    """The body's ``input_data``: a pandas frame in ``split`` orientation, or a list."""
    import numpy as np
    import pandas as pd

    data = body["input_data"]
    if isinstance(data, dict) and "columns" in data:
        return pd.DataFrame(data["data"], columns=data["columns"], index=data.get("index"))
    return np.asarray(data)


def answerable(result):
    """What ``run`` returned, as the server sends it: JSON (a frame as records, an array as a list)."""
    if hasattr(result, "to_dict") and hasattr(result, "columns"):  # a pandas DataFrame
        result = result.to_dict(orient="records")
    elif hasattr(result, "tolist"):  # a numpy array or a pandas Series
        result = result.tolist()
    json.dumps(result)  # a TypeError, as the server's, if it is not JSON
    return result


def call(function, *args) -> dict:
    """``function(*args)``, with what it prints and, if it fails, its error."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(printed):
            answer = {"ok": True, "result": function(*args)}
    except Exception as error:  # any error of the scoring code is the model's
        answer = {"ok": False, "error": f"{type(error).__name__}: {error}",
                  "traceback": "".join(traceback.format_exception(error))}
    return {**answer, "printed": printed.getvalue()}


def main() -> None:
    protocol = os.fdopen(os.dup(1), "w")
    os.dup2(2, 1)  # anything else written to stdout goes to the log, not into the answers

    def send(answer: dict) -> None:
        protocol.write(json.dumps(answer) + "\n")
        protocol.flush()

    mode, path = sys.argv[1:3]
    started = call(scoring_script if mode == "script" else mlflow_model, path)
    score = started.pop("result", None)
    send(started)
    if not started["ok"]:
        return
    for line in sys.stdin:
        send(call(lambda body: answerable(score(body)), json.loads(line)["body"]))


if __name__ == "__main__":
    main()
