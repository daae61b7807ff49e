"""Chapter 10: the AutoML job (Python and YAML), its MLTable, and finding the best model."""

import re
import shutil
from pathlib import Path

import mlflow
import mltable
import pytest
from azure.ai.ml import load_job
from azure.ai.ml.automl import BlockedTransformers, ClassificationModels, ClassificationPrimaryMetrics
from azure.ai.ml.constants import AssetTypes

from tests.conftest import fresh_tracking_uri

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "ch10_automl"

DIABETES_CSV = """PatientID,Pregnancies,PlasmaGlucose,DiastolicBloodPressure,BMI,Age,Diabetic
1354778,0,171,80,43.51,21,0
1147438,8,92,93,21.24,43,1
1640031,7,115,47,41.51,23,0
"""


def short_name(reference: str) -> str:
    """``cpu-cluster`` or ``input-data-automl:1``, whether written by hand (``azureml:...``) or sent
    by the SDK as the workspace resource's id (``.../computes/cpu-cluster``, ``.../data/<n>/versions/<v>``)."""
    if match := re.search(r"/workspaces/[^/]+/computes/(?P<name>[^/]+)$", reference):
        return match["name"]
    if match := re.search(r"/workspaces/[^/]+/data/(?P<name>[^/]+)/versions/(?P<version>[^/]+)$", reference):
        return f"{match['name']}:{match['version']}"
    return reference.removeprefix("azureml:")


def key_settings(job) -> dict:
    """The settings the page talks about, read from an AutoML classification job."""
    featurization = job.featurization
    imputer = featurization.transformer_params["Imputer"][0]  # the SDK capitalises the key
    return {
        "type": job.type,
        "task": str(job.task_type.value).lower(),
        "compute": short_name(job.compute),
        "experiment": job.experiment_name,
        "data_type": job.training_data.type,
        "data_path": short_name(job.training_data.path),
        "target": job.target_column_name,
        "metric": job.primary_metric,
        "folds": job.n_cross_validations,
        "explain": job.training.enable_model_explainability,
        "blocked": sorted(ClassificationModels(m) for m in job.training.blocked_training_algorithms),
        "allowed": job.training.allowed_training_algorithms,
        "limits": (
            job.limits.timeout_minutes,
            job.limits.trial_timeout_minutes,
            job.limits.max_trials,
            job.limits.enable_early_termination,
            job.limits.max_concurrent_trials,
        ),
        "featurization": featurization.mode,
        "imputer": (imputer.fields, imputer.parameters),
        "blocked_transformers": [BlockedTransformers(t) for t in featurization.blocked_transformers],
    }


EXPECTED = {
    "type": "automl",
    "task": "classification",
    "compute": "cpu-cluster",
    "experiment": "auto-ml-class-dev",
    "data_type": AssetTypes.MLTABLE,
    "data_path": "input-data-automl:1",
    "target": "Diabetic",
    "metric": ClassificationPrimaryMetrics.ACCURACY,
    "folds": 5,
    "explain": True,
    "blocked": sorted([ClassificationModels.KNN, ClassificationModels.LINEAR_SVM]),
    "allowed": None,
    "limits": (60, 20, 5, True, 2),
    "featurization": "custom",
    "imputer": (["BMI"], {"strategy": "median"}),
    "blocked_transformers": [BlockedTransformers.LABEL_ENCODER],
}


@pytest.fixture
def chapter_workspace(workspace, run_snippet, capsys):
    """What the AutoML job needs, made as the site makes it: the cluster (chapter 8) and the MLTable asset."""
    run_snippet("ch08_compute_targets/compute_cluster.py")
    run_snippet("ch10_automl/register_training_data.py")
    capsys.readouterr()
    return workspace


def test_python_job_sends_every_setting(chapter_workspace, run_snippet, capsys):
    workspace = chapter_workspace
    run_snippet("ch10_automl/automl_classification.py")

    (job,) = workspace.created("jobs")
    assert key_settings(job) == EXPECTED
    # What the SDK's own schema kept after a dump-and-load round trip.
    (stored,) = workspace.all("jobs")
    assert key_settings(stored) == EXPECTED
    # The job came back with a name, and that name is what was streamed.
    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (stored.name,)
    assert "Monitor your job at" in capsys.readouterr().out


def test_yaml_job_matches_python_job(chapter_workspace, run_snippet):
    workspace = chapter_workspace
    run_snippet("ch10_automl/automl_classification.py")
    (python_job,) = workspace.created("jobs")

    text = (SNIPPETS / "automl_classification_job.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/autoMLClassificationJob.schema.json")
    yaml_job = load_job(SNIPPETS / "automl_classification_job.yml")

    assert key_settings(yaml_job) == key_settings(python_job) == EXPECTED


def test_submit_script_names_the_yaml():
    script = SNIPPETS / "submit_automl_job.sh"
    text = script.read_text()
    assert "az ml job create" in text
    assert "--file automl_classification_job.yml" in text
    assert (SNIPPETS / "automl_classification_job.yml").is_file()


def test_primary_metrics_are_listed(run_snippet, capsys):
    run_snippet("ch10_automl/list_primary_metrics.py")

    printed = capsys.readouterr().out.split()
    assert "ACCURACY" in printed
    assert "AUC_WEIGHTED" in printed
    assert len(printed) == len(ClassificationPrimaryMetrics) == 5


def test_classification_models_are_listed(run_snippet, capsys):
    run_snippet("ch10_automl/list_classification_models.py")

    printed = capsys.readouterr().out.split()
    # The page lists these thirteen names in its prose.
    assert printed == [
        "LogisticRegression", "SGD", "MultinomialNaiveBayes", "BernoulliNaiveBayes", "SVM", "LinearSVM",
        "KNN", "DecisionTree", "RandomForest", "ExtremeRandomTrees", "LightGBM", "GradientBoosting",
        "XGBoostClassifier",
    ]  # fmt: skip


def test_mltable_reads_the_csv_and_drops_the_id(tmp_path):
    folder = tmp_path / "diabetes-data"
    shutil.copytree(SNIPPETS / "diabetes-data", folder)
    (folder / "diabetes.csv").write_text(DIABETES_CSV)

    df = mltable.load(str(folder)).to_pandas_dataframe()

    assert "PatientID" not in df.columns
    assert list(df.columns) == ["Pregnancies", "PlasmaGlucose", "DiastolicBloodPressure", "BMI", "Age", "Diabetic"]
    assert len(df) == 3
    assert df["PlasmaGlucose"].tolist() == [171, 92, 115]
    assert df["Diabetic"].astype(int).tolist() == [0, 1, 0]


def test_register_training_data_creates_mltable_asset(workspace, run_snippet):
    run_snippet("ch10_automl/register_training_data.py")

    (asset,) = workspace.created("data")
    assert (asset.name, asset.type) == ("input-data-automl", AssetTypes.MLTABLE)
    # Azure numbers the first version 1, and the SDK uploaded the folder with its MLTable file
    stored = workspace.get("data", "input-data-automl", version="1")
    assert stored.path.startswith("azureml://datastores/workspaceblobstore/paths/LocalUpload/")
    folder = stored.path.split("/paths/", 1)[1]
    uploaded = {path for path in workspace.azure.blobs.blobs if folder in path}
    assert any(path.endswith("diabetes-data/MLTable") for path in uploaded)


@pytest.fixture
def automl_runs(tmp_path, workspace, monkeypatch):
    """A local MLflow store holding an AutoML-like parent run and two child runs."""
    monkeypatch.chdir(tmp_path)  # anything MLflow writes stays out of the repository
    uri = fresh_tracking_uri(tmp_path)
    workspace.set_tracking_uri(uri)
    mlflow.set_tracking_uri(uri)
    mlflow.set_experiment("auto-ml-class-dev")
    with mlflow.start_run() as parent:
        ids = {}
        for name, accuracy in [("weaker", 0.71), ("best", 0.93)]:
            with mlflow.start_run(nested=True) as child:
                mlflow.log_metric("accuracy", accuracy)
                ids[name] = child.info.run_id
        mlflow.set_tag("automl_best_child_run_id", ids["best"])
    yield parent.info.run_id, ids["best"]
    mlflow.set_tracking_uri(None)


def test_find_best_model_reads_the_best_child_run(automl_runs, run_snippet, capsys):
    parent_id, best_id = automl_runs

    result = run_snippet("ch10_automl/find_best_model.py", parent_id)

    assert result["best_run_id"] == best_id
    out = capsys.readouterr().out
    assert "Accuracy: 0.93" in out
    assert f"runs:/{best_id}/outputs/mlflow-model" in out
