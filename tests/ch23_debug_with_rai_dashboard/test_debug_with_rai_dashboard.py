"""Chapter 23: debugging a model by hand (real scikit-learn), and registering its RAI inputs (fake Azure)."""

import contextlib
import io
import runpy
from pathlib import Path

import mlflow
import mltable
import numpy as np
import pandas as pd
import pytest
import yaml
from azure.ai.ml._artifacts._artifact_utilities import download_artifact_from_aml_uri

from tests.conftest import SNIPPETS

BMI_COHORTS = {"bmi < 25": (0, 25), "bmi 25-30": (25, 30), "bmi >= 30": (30, 100)}
DEBUG_SCRIPT = SNIPPETS / "ch23_debug_with_rai_dashboard" / "debug_model_locally.py"


def run_debug_script():
    """Run the script (it reads and writes no files); return its globals and what it printed."""
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        found = runpy.run_path(str(DEBUG_SCRIPT), run_name="__main__")
    return found, printed.getvalue()


@pytest.fixture(scope="module")
def debug_run():
    return run_debug_script()


def test_cohort_error_rates_match_an_independent_count(debug_run):
    found, out = debug_run
    model, X_test, y_test = found["model"], found["X_test"], found["y_test"]

    wrong = model.predict(X_test) != y_test.to_numpy()
    bmi = X_test["bmi"].to_numpy()
    cohorts = found["cohorts"]
    for label, (low, high) in BMI_COHORTS.items():
        members = (bmi >= low) & (bmi < high)  # with right=False, pd.cut bins are [low, high)
        assert cohorts.loc[label, "rows"] == members.sum()
        assert cohorts.loc[label, "error_rate"] == wrong[members].mean()
        assert cohorts.loc[label, "error_coverage"] == wrong[members].sum() / wrong.sum()
    assert cohorts["rows"].sum() == len(X_test) == 133
    assert round(model.score(X_test, y_test), 3) == 0.729  # "about 73 %" on the page
    assert np.isclose(cohorts["error_coverage"].sum(), 1.0)

    # the middle cohort, closest to the decision boundary, is where the model errs most
    assert found["worst_cohort"] == "bmi 25-30"
    assert cohorts["error_rate"].max() > wrong.mean()
    assert f"Overall error rate: {wrong.mean():.3f}" in out
    assert "Highest error rate: bmi 25-30" in out
    # the report shown on the page is exactly what the script prints
    shown = (DEBUG_SCRIPT.parent / "cohort_report.txt").read_text().splitlines()
    printed = [line.rstrip() for line in out.splitlines()]
    start = printed.index(shown[0])
    assert printed[start : start + len(shown)] == shown


def test_permutation_importance_is_deterministic_and_ranks_s5_first(debug_run):
    first, _ = debug_run
    second, _ = run_debug_script()  # a fresh run: same random_state, same numbers

    assert first["top_feature"] == "s5"
    assert list(first["ranking"].index[:2]) == ["s5", "bmi"]
    pd.testing.assert_series_equal(first["ranking"], second["ranking"])
    assert first["ranking"]["s5"] > 0.03
    assert set(first["ranking"].index) == set(first["X_test"].columns)


def test_what_if_raises_the_probability_and_finds_the_flip(debug_run):
    found, out = debug_run
    model, patient, flip_at = found["model"], found["patient"], found["flip_at"]

    assert found["before"] < 0.5 <= max(found["probability"])
    assert found["after"] > found["before"]  # more BMI, higher risk
    assert model.predict(patient)[0] == 0
    assert model.predict(patient.assign(bmi=patient["bmi"] + flip_at))[0] == 1
    assert model.predict(patient.assign(bmi=patient["bmi"] + flip_at - 0.5))[0] == 0
    assert flip_at == 1.5
    assert (round(found["before"], 3), round(found["after"], 3)) == (0.465, 0.497)  # quoted on the page
    assert "The prediction flips to 'high' when BMI rises by 1.5" in out
    assert f"P(high progression): {found['before']:.3f} -> {found['after']:.3f} with BMI +1" in out


# azure-ai-ml's download still calls azure-storage-blob APIs that warn they are deprecated
@pytest.mark.filterwarnings("ignore:The use of a 'BlobProperties' instance:DeprecationWarning")
@pytest.mark.filterwarnings("ignore:content_as_bytes is deprecated:DeprecationWarning")
def test_register_rai_inputs_sends_mltables_and_an_mlflow_model(workspace, run_snippet, tmp_path):
    found = run_snippet("ch23_debug_with_rai_dashboard/register_rai_inputs.py")

    sent = [(a.name, a.version, a.type) for a in workspace.created("data")]
    assert sent == [("diabetes-rai-train", "1", "mltable"), ("diabetes-rai-test", "1", "mltable")]
    # What Azure holds: each asset points at its uploaded folder in the workspace's default datastore,
    # and the folder read back from there is a real MLTable, label column included
    tables = {}
    for name, _, _ in sent:
        stored = workspace.get("data", name, version="1")
        assert stored.type == "mltable"
        assert stored.path.startswith("azureml://datastores/workspaceblobstore/paths/LocalUpload/")
        folder = download_artifact_from_aml_uri(stored.path, str(tmp_path / name), workspace.reader.datastores)
        mltable_file = yaml.safe_load((Path(folder) / "MLTable").read_text())
        assert mltable_file["paths"] == [{"file": f"{name.rsplit('-', 1)[1]}.parquet"}]  # relative to the folder
        tables[name] = mltable.load(folder).to_pandas_dataframe()
    train, test = tables["diabetes-rai-train"], tables["diabetes-rai-test"]
    assert list(train.columns) == list(test.columns) == list(found["train"].columns)
    assert "high_progression" in train.columns
    assert (len(train), len(test)) == (309, 133)

    (model_asset,) = workspace.created("models")
    assert (model_asset.name, model_asset.version, model_asset.type) == (
        "diabetes-progression-clf",
        "1",
        "mlflow_model",
    )
    # Azure reads the flavors from the uploaded MLmodel file; the dashboard needs the sklearn one
    stored_model = workspace.get("models", "diabetes-progression-clf", version="1")
    assert stored_model.type == "mlflow_model"
    assert stored_model.flavors["sklearn"]["serialization_format"] == "cloudpickle"
    assert stored_model.flavors["python_function"]["loader_module"] == "mlflow.sklearn"
    model_dir = tmp_path / "downloaded-model"
    workspace.reader.models.download("diabetes-progression-clf", "1", download_path=str(model_dir))
    loaded = mlflow.sklearn.load_model(str(model_dir / "diabetes-progression-clf" / "diabetes-model"))
    features = test.drop(columns="high_progression")
    assert (loaded.predict(features) == found["model"].predict(features)).all()
