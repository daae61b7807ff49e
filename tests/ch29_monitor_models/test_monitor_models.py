"""Chapter 29: drift statistics and the drift report for real (SciPy, on shifted synthetic data); the
deployment's data collection for real (the scoring script and azureml-ai-monitoring run in the
deployment's environment, the fake's collector writes what they send to the blob store); the monitor
schedule, its rules and its CLI form through the fake; the retraining trigger both ways."""

import json
import time
from pathlib import Path

import joblib
import numpy as np
import pandas as pd
import pytest
from azure.ai.ml import MLClient
from azure.ai.ml.entities import (
    DataDriftSignal,
    DataQualitySignal,
    FeatureAttributionDriftMetricThreshold,
    FeatureAttributionDriftSignal,
    MonitorSchedule,
    PipelineJob,
    PredictionDriftSignal,
)
from azure.ai.ml.entities._load_functions import load_schedule
from azure.ai.ml.exceptions import MlException, ScheduleException
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError
from azure.identity import DefaultAzureCredential
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from tests.conftest import SNIPPETS
from tests.fake_azure import score_host
from tests.fake_azure.az_scripts import az_calls
from tests.fake_azure.catalog import facts
from tests.fake_azure.job_envs import from_conda, run_script
from tests.fake_azure.rules import SERVERLESS_SPARK_SIZES
from tests.site.stories import patients_csv

FOLDER = SNIPPETS / "ch29_monitor_models"
ENDPOINT, DEPLOYMENT = "diabetes-endpoint", "blue"
REQUEST = json.loads((FOLDER / "patients-request.json").read_text())["data"]


@pytest.fixture
def drift(monkeypatch):
    """drift.py, imported as drift_report.py imports it: from the script's own folder."""
    monkeypatch.syspath_prepend(str(FOLDER))
    import drift

    return drift


# --- the statistics, for real ---------------------------------------------------------------


def patients(seed: int, rows: int, glucose_shift: float = 0.0, clinics=(0.5, 0.3, 0.2)) -> pd.DataFrame:
    """Made-up patients: three numerical features and the clinic that referred them (categorical)."""
    rng = np.random.default_rng(seed)
    return pd.DataFrame({
        "PlasmaGlucose": rng.normal(110 + glucose_shift, 30, rows).round(),
        "BMI": rng.normal(32, 7, rows).round(2),
        "Age": rng.normal(35, 12, rows).clip(18).round(),
        "Clinic": rng.choice(["north", "south", "east"], rows, p=list(clinics)),
    })


REFERENCE = patients(seed=0, rows=2000)
SAME_POPULATION = patients(seed=1, rows=1000)
SHIFTED = patients(seed=2, rows=1000, glucose_shift=30, clinics=(0.2, 0.3, 0.5))  # glucose +1 sd, clinics swap


def test_identical_samples_show_no_drift(drift):
    glucose = REFERENCE["PlasmaGlucose"]
    assert drift.jensen_shannon_distance(glucose, glucose) == 0
    assert drift.normalized_wasserstein_distance(glucose, glucose) == 0
    assert drift.population_stability_index(glucose, glucose) == pytest.approx(0)
    assert drift.pearsons_chi_squared_p_value(REFERENCE["Clinic"], REFERENCE["Clinic"]) == pytest.approx(1)


def test_jensen_shannon_distance_is_symmetric_and_at_most_one(drift):
    low, high = pd.Series([1.0, 2.0, 3.0] * 50), pd.Series([101.0, 102.0, 103.0] * 50)
    assert drift.jensen_shannon_distance(low, high) == pytest.approx(1)  # no overlap: base-2 maximum
    a, b = REFERENCE["BMI"], SHIFTED["PlasmaGlucose"] / 4
    assert drift.jensen_shannon_distance(a, b) == pytest.approx(drift.jensen_shannon_distance(b, a))
    assert 0 < drift.jensen_shannon_distance(a, b) < 1


@pytest.mark.parametrize("standard_deviations", [0.25, 1.0, 2.5])
def test_normalized_wasserstein_of_a_translation_is_its_size_in_standard_deviations(drift, standard_deviations):
    glucose = REFERENCE["PlasmaGlucose"]
    moved = glucose + standard_deviations * glucose.std()  # every value moved by the same amount
    assert drift.normalized_wasserstein_distance(glucose, moved) == pytest.approx(standard_deviations)


def test_psi_follows_the_rule_of_thumb(drift):
    """PSI below 0.1: no real change; above 0.25: a significant shift (the usual rule of thumb)."""
    glucose = REFERENCE["PlasmaGlucose"]
    assert drift.population_stability_index(glucose, SAME_POPULATION["PlasmaGlucose"]) < 0.1
    assert drift.population_stability_index(glucose, SHIFTED["PlasmaGlucose"]) > 0.25
    # the bins: Sturges' rule over the smaller sample, shared by both
    ref_counts, prod_counts = drift.shared_histograms(glucose, SHIFTED["PlasmaGlucose"])
    assert len(ref_counts) == len(prod_counts) == int(np.ceil(np.log2(1000) + 1))
    assert (ref_counts.sum(), prod_counts.sum()) == (2000, 1000)


def test_chi_squared_p_value_falls_when_the_mix_of_categories_moves(drift):
    assert drift.pearsons_chi_squared_p_value(REFERENCE["Clinic"], SAME_POPULATION["Clinic"]) > 0.05
    assert drift.pearsons_chi_squared_p_value(REFERENCE["Clinic"], SHIFTED["Clinic"]) < 1e-6
    with_a_new_clinic = pd.concat([SAME_POPULATION["Clinic"], pd.Series(["west"])])
    assert drift.pearsons_chi_squared_p_value(REFERENCE["Clinic"], with_a_new_clinic) == 0


def run_report(run_snippet, tmp_path: Path, production: pd.DataFrame, drift_module) -> dict:
    REFERENCE.to_csv(tmp_path / "reference.csv", index=False)
    production.to_csv(tmp_path / "production.csv", index=False)
    run_snippet("ch29_monitor_models/drift_report.py", str(tmp_path / "reference.csv"),
                str(tmp_path / "production.csv"))
    return json.loads(Path("drift_report.json").read_text())  # written in the script's folder


def test_report_of_the_same_population_crosses_no_threshold(drift, run_snippet, tmp_path, capsys):
    report = run_report(run_snippet, tmp_path, SAME_POPULATION, drift)

    assert report["drifted"] == []
    assert set(report["features"]) == {"PlasmaGlucose", "BMI", "Age", "Clinic"}
    assert set(report["features"]["Clinic"]) == {"pearsons_chi_squared_test"}  # categorical: the test only
    assert not any(m["crossed"] for metrics in report["features"].values() for m in metrics.values())
    assert capsys.readouterr().out.splitlines()[-1] == "Drifted features: none"


def test_report_of_shifted_data_names_what_changed(drift, run_snippet, tmp_path, capsys):
    report = run_report(run_snippet, tmp_path, SHIFTED, drift)

    assert report["drifted"] == ["PlasmaGlucose", "Clinic"]  # BMI and Age were left alone
    glucose = report["features"]["PlasmaGlucose"]
    assert all(metric["crossed"] for metric in glucose.values())
    # a 30-point rise is about one reference standard deviation of movement
    assert glucose["normalized_wasserstein_distance"]["value"] == pytest.approx(1, abs=0.15)
    assert 0 < glucose["jensen_shannon_distance"]["value"] <= 1
    printed = capsys.readouterr().out
    assert printed.count("DRIFT") == 4 and printed.splitlines()[-1] == "Drifted features: PlasmaGlucose, Clinic"


# --- data collection from the deployment -------------------------------------------------------


def test_scoring_script_answers_even_when_nothing_collects_its_data(tmp_path):
    """score.py in the environment collector-env.yml builds, outside a deployment that collects: the
    Collectors report through on_error (a warning in the log) and every request is still answered."""
    X, y = make_classification(n_samples=200, n_features=len(REQUEST[0]), random_state=0)
    joblib.dump(LogisticRegression(max_iter=1000).fit(pd.DataFrame(X, columns=list(REQUEST[0])), y),
                tmp_path / "model.pkl")
    environment = from_conda((FOLDER / "collector-env.yml").read_text())
    request = json.dumps({"body": json.dumps({"data": REQUEST})})
    done = run_script(environment, ["-P", str(score_host.__file__), "script", str(FOLDER / "src" / "score.py")],
                      input=request + "\n", env={"AZUREML_MODEL_DIR": str(tmp_path)}, timeout=300)

    started, answered = (json.loads(line) for line in done.stdout.splitlines())
    assert started["ok"] and answered["ok"], done.stderr
    assert len(answered["result"]["predictions"]) == len(REQUEST)
    assert "collect: custom logging is not enabled" in started["printed"]  # init() logged it, then went on


@pytest.fixture
def training_csv(tmp_path) -> str:
    return patients_csv(tmp_path)


@pytest.fixture
def endpoint(workspace, run_snippet, training_csv, capsys):
    """Chapter 18's endpoint and its custom model, registered from the reader's patients."""
    run_snippet("ch18_online_endpoint/register_custom_model.py", training_csv)
    run_snippet("ch18_online_endpoint/create_endpoint.py")
    capsys.readouterr()
    return workspace


@pytest.fixture
def collecting(endpoint, run_snippet, capsys) -> str:
    """blue, deployed with its data collector; what the script printed."""
    run_snippet("ch29_monitor_models/deploy_with_collector.py")
    return capsys.readouterr().out


def collected(workspace, collection: str, timeout: float = 60) -> list[dict]:
    """The JSON lines the collector has written for ``collection`` (the scoring script's collectors
    send in a background thread, so the test waits for them a little)."""
    prefix = f"modelDataCollector/{ENDPOINT}/{DEPLOYMENT}/{collection}/"
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [json.loads(line) for key, blob in sorted(workspace.azure.blobs.blobs.items()) if prefix in key
                 for line in blob.decode().splitlines()]
        if lines:
            return lines
        time.sleep(0.2)
    return []


def test_deployment_collects_into_registered_data_assets(collecting, workspace):
    deployment = workspace.get("online_deployments", DEPLOYMENT, endpoint_name=ENDPOINT)
    collections = deployment.data_collector.collections
    assert set(collections) == {"model_inputs", "model_outputs"}
    assert all(c.enabled == "true" for c in collections.values())  # Azure answers the mode as "Enabled"
    assert deployment.data_collector.sampling_rate == 1.0
    for name, collection in collections.items():
        asset = workspace.get("data", f"{ENDPOINT}-{DEPLOYMENT}-{name}", version="1")
        assert collection.data == asset.id  # each collection names the data asset the SDK registered
        assert asset.type == "uri_folder"
        assert asset.path.endswith(f"/paths/modelDataCollector/{ENDPOINT}/{DEPLOYMENT}/{name}")
        assert f"{asset.name} (uri_folder): {asset.path}" in collecting


def test_each_request_is_logged_with_one_correlation_id(collecting, workspace, run_snippet, drift, capsys, tmp_path):
    run_snippet("ch29_monitor_models/send_requests.py")
    answer = json.loads(capsys.readouterr().out)
    assert len(answer["predictions"]) == len(REQUEST)

    (inputs,) = collected(workspace, "model_inputs")
    (outputs,) = collected(workspace, "model_outputs")
    assert inputs["data"] == REQUEST  # the rows score.py logged, as the client sent them
    assert [row["Diabetic"] for row in outputs["data"]] == [
        {"not-diabetic": 0, "diabetic": 1}[label] for label in answer["predictions"]]
    assert inputs["correlationid"] == outputs["correlationid"]
    assert (inputs["type"], outputs["type"]) == ("azureml.inference.model_inputs", "azureml.inference.model_outputs")
    assert inputs["source"].endswith(f"/onlineEndpoints/{ENDPOINT}/deployments/{DEPLOYMENT}")
    assert inputs["agent"].startswith("azureml-ai-monitoring/")
    # files partitioned by hour: <collection>/yyyy/MM/dd/HH/<instance>.jsonl
    (key,) = [k for k in workspace.azure.blobs.blobs if "/model_inputs/" in k]
    assert key.split("/model_inputs/")[1].count("/") == 4 and key.endswith(".jsonl")

    # what drift_report.py reads when given the downloaded folder
    folder = tmp_path / "model_inputs" / "2026"
    folder.mkdir(parents=True)
    (folder / "part.jsonl").write_bytes(workspace.azure.blobs.blobs[key])
    run_snippet("ch29_monitor_models/drift_report.py", patients_csv(tmp_path), str(tmp_path / "model_inputs"))
    report = json.loads(Path("drift_report.json").read_text())
    assert set(report["features"]) == set(REQUEST[0])  # every feature the requests carried


# --- the monitor -------------------------------------------------------------------------------


@pytest.fixture
def reference(collecting, run_snippet, training_csv):
    """The training data registered as the monitor's reference (an MLTable)."""
    run_snippet("ch29_monitor_models/register_reference_data.py", training_csv)


def test_reference_data_is_an_mltable_over_the_training_file(reference, workspace):
    import mltable

    asset = workspace.get("data", "diabetes-reference", version="1")
    assert asset.type == "mltable"
    table = mltable.load(str(Path("reference")))  # the folder the script uploaded
    assert list(table.to_pandas_dataframe().columns)[-1] == "Diabetic"


def production_of(signal):
    data = signal.production_data if isinstance(signal.production_data, list) else [signal.production_data]
    return [(d.data_context, d.input_data.path.split("/data/")[1]) for d in data]


def test_monitor_reads_back_with_its_signals_on_the_collected_data(reference, workspace, run_snippet, capsys):
    run_snippet("ch29_monitor_models/monitor_schedule.py")

    monitor = workspace.get("schedules", "diabetes-blue-monitor")
    assert isinstance(monitor, MonitorSchedule) and monitor.is_enabled
    assert (monitor.trigger.frequency, monitor.trigger.interval) == ("day", 1)
    definition = monitor.create_monitor
    assert definition.monitoring_target.endpoint_deployment_id.endswith(
        f"/onlineEndpoints/{ENDPOINT}/deployments/{DEPLOYMENT}")  # resolved to the deployment's ARM id
    assert definition.compute.instance_type in SERVERLESS_SPARK_SIZES
    assert definition.alert_notification.emails == ["ml-team@contoso.com"]
    signals = definition.monitoring_signals
    kinds = {name: type(signal) for name, signal in signals.items()}
    assert kinds == {"data_drift": DataDriftSignal, "prediction_drift": PredictionDriftSignal,
                     "data_quality": DataQualitySignal, "feature_attribution_drift": FeatureAttributionDriftSignal}
    # production data: the collector's assets, filled in by the SDK from the deployment
    inputs, outputs = (f"{ENDPOINT}-{DEPLOYMENT}-model_inputs/versions/1",
                       f"{ENDPOINT}-{DEPLOYMENT}-model_outputs/versions/1")
    assert production_of(signals["data_drift"]) == [("model_inputs", inputs)]
    assert production_of(signals["data_quality"]) == [("model_inputs", inputs)]
    assert production_of(signals["prediction_drift"]) == [("model_outputs", outputs)]
    assert production_of(signals["feature_attribution_drift"]) == [("model_inputs", inputs),
                                                                   ("model_outputs", outputs)]
    for signal in signals.values():
        assert signal.reference_data.input_data.path.endswith("/data/diabetes-reference/versions/1")
        assert signal.reference_data.data_column_names == {"target_column": "Diabetic"}
        assert signal.alert_enabled
    drift = signals["data_drift"].metric_thresholds
    assert drift.numerical.normalized_wasserstein_distance == 0.1
    assert drift.categorical.pearsons_chi_squared_test == 0.05
    assert "diabetes-blue-monitor: every 1 day" in capsys.readouterr().out


def test_monitor_yaml_matches_the_python_monitor(reference, workspace, run_snippet):
    run_snippet("ch29_monitor_models/monitor_schedule.py")
    python = workspace.get("schedules", "diabetes-blue-monitor").create_monitor
    yaml = load_schedule(FOLDER / "monitor_schedule.yml")  # how `az ml schedule create --file` reads it

    assert isinstance(yaml, MonitorSchedule) and yaml.name == "diabetes-blue-monitor"
    assert (yaml.trigger.schedule.hours, yaml.trigger.schedule.minutes) == (3, 15)
    definition = yaml.create_monitor
    assert vars(definition.compute) == vars(python.compute)
    assert definition.monitoring_target.endpoint_deployment_id == f"azureml:{ENDPOINT}:{DEPLOYMENT}"
    assert definition.alert_notification.emails == python.alert_notification.emails
    for name in ("data_drift", "prediction_drift"):  # the YAML form keeps two of the four signals
        mine, theirs = definition.monitoring_signals[name], python.monitoring_signals[name]
        assert type(mine) is type(theirs)
        assert vars(mine.metric_thresholds.categorical) == vars(theirs.metric_thresholds.categorical)
    assert definition.monitoring_signals["data_drift"].features == python.monitoring_signals["data_drift"].features


def test_a_monitor_of_a_deployment_that_does_not_exist_is_refused(endpoint, run_snippet):
    with pytest.raises(ResourceNotFoundError) as refused:
        run_snippet("ch29_monitor_models/monitor_schedule.py")
    assert f"online deployment '{DEPLOYMENT}' of endpoint '{ENDPOINT}' not found" in str(refused.value)
    assert "chapter 18" in str(refused.value)  # where the reader finds the script that creates it


def test_a_deployment_that_collects_nothing_cannot_feed_the_signals(endpoint, workspace, run_snippet):
    run_snippet("ch18_online_endpoint/deploy_blue.py")  # chapter 18's blue: no data collector
    with pytest.raises(ScheduleException) as refused:
        run_snippet("ch29_monitor_models/monitor_schedule.py")
    assert "data collection for model inputs is not enabled" in str(refused.value)
    assert workspace.all("schedules") == []


def client() -> MLClient:
    return MLClient.from_config(credential=DefaultAzureCredential(), path=str(SNIPPETS / "config.json"))


def test_azure_refuses_spark_sizes_model_monitoring_does_not_run_on(reference, workspace):
    monitor = load_schedule(FOLDER / "monitor_schedule.yml")
    monitor.create_monitor.compute.instance_type = "standard_ds3_v2"
    with pytest.raises(HttpResponseError) as refused:
        client().schedules.begin_create_or_update(monitor).result()
    assert "instance type 'standard_ds3_v2'" in str(refused.value) and "standard_e4s_v3" in str(refused.value)
    assert workspace.all("schedules") == []


def test_the_sdk_refuses_the_spark_runtime_older_samples_show(reference, workspace):
    monitor = load_schedule(FOLDER / "monitor_schedule.yml")
    monitor.create_monitor.compute.runtime_version = "3.3"
    with pytest.raises(MlException, match="runtime version must be one of: 3.4, 3.5"):
        client().schedules.begin_create_or_update(monitor)
    assert not [path for path, _ in workspace.azure.writes if "/schedules/" in path]  # nothing was sent


def test_azure_refuses_feature_attribution_drift_without_training_data_and_target(reference, workspace):
    monitor = load_schedule(FOLDER / "monitor_schedule.yml")
    data_drift = monitor.create_monitor.monitoring_signals["data_drift"]
    data_drift.reference_data.data_context = "validation"
    data_drift.reference_data.data_column_names = None
    monitor.create_monitor.monitoring_signals["attribution"] = FeatureAttributionDriftSignal(
        reference_data=data_drift.reference_data,
        metric_thresholds=FeatureAttributionDriftMetricThreshold(normalized_discounted_cumulative_gain=0.9),
    )
    with pytest.raises(HttpResponseError) as refused:
        client().schedules.begin_create_or_update(monitor).result()
    message = str(refused.value)
    assert "'attribution': feature attribution drift needs training data" in message
    assert "target column" in message
    assert workspace.all("schedules") == []


# --- production metrics: the names Azure Monitor knows ------------------------------------------


def test_metric_names_are_the_endpoint_and_deployment_metrics_azure_monitor_lists():
    tables = facts("online_endpoint_metrics")["resource_types"]
    endpoint = tables["Microsoft.MachineLearningServices/workspaces/onlineEndpoints"]["metrics"]
    deployment = tables["Microsoft.MachineLearningServices/workspaces/onlineEndpoints/deployments"]["metrics"]
    checked = 0
    for call in az_calls(FOLDER / "endpoint_metrics.sh"):
        scope = (call.value("--resource") or call.value("--scopes") or "").strip('"')  # as the script spells it
        metrics = deployment if scope.endswith("/deployments/blue") else endpoint
        names = call.options.get("--metrics", []) + [c.split()[1] for c in call.options.get("--condition", [])]
        for name in names:
            assert name in metrics, f"line {call.line}: {name} isn't a metric of {scope}"
            checked += 1
        for dimension in call.options.get("--dimension", []):
            assert all(dimension in metrics[name] for name in call.options["--metrics"]), dimension
    assert checked == 7


# --- retraining when a threshold is crossed --------------------------------------------------------


@pytest.fixture
def components(cluster_and_data, run_snippet, capsys):
    """Chapter 15's registered components, on chapter 8's cluster and chapter 7's data."""
    run_snippet("ch15_pipelines/register_components.py")
    capsys.readouterr()
    return cluster_and_data


def test_no_drift_submits_no_job(components, run_snippet, drift, tmp_path, capsys):
    run_report(run_snippet, tmp_path, SAME_POPULATION, drift)
    capsys.readouterr()
    script = run_snippet("ch29_monitor_models/retrain_on_drift.py", "drift_report.json")

    assert script["returned_job"] is None
    assert components.sent("jobs", "create_or_update") == []
    assert components.all("jobs") == []
    assert capsys.readouterr().out.strip() == "No feature drifted: no retraining job submitted"


def test_drift_submits_one_retraining_pipeline(components, run_snippet, drift, tmp_path, capsys):
    run_report(run_snippet, tmp_path, SHIFTED, drift)
    capsys.readouterr()
    script = run_snippet("ch29_monitor_models/retrain_on_drift.py", "drift_report.json")

    (sent,) = components.sent("jobs", "create_or_update")
    assert isinstance(sent.args[0], PipelineJob) and sent.kwargs == {"experiment_name": "diabetes-retrain"}
    job = components.get("jobs", script["returned_job"].name)
    assert (job.type, job.experiment_name) == ("pipeline", "diabetes-retrain")
    assert job.tags == {"trigger": "data-drift", "drifted": "PlasmaGlucose,Clinic"}
    steps = {name: step.component.split("/")[-3:] for name, step in job.jobs.items()}
    assert steps == {"prep_step": ["prep_diabetes_data", "versions", "1"],  # chapter 15's, as registered
                     "train_step": ["train_diabetes_model", "versions", "1"]}
    assert job.settings.default_compute.endswith("/computes/cpu-cluster")
    newest = max(components.all("data", name="diabetes-data"), key=lambda d: int(d.version))
    assert job.inputs["pipeline_input_data"]._data.path.endswith(f"/data/diabetes-data/versions/{newest.version}")
    assert f"submitted retraining job {job.name}" in capsys.readouterr().out
