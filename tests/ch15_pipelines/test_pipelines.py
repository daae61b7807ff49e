"""Chapter 15: component scripts run for real in sequence; pipelines and schedules on the fake."""

import re
from pathlib import Path

import numpy as np
import pandas as pd
import pytest
import yaml
from azure.ai.ml import MLClient, load_component, load_job
from azure.ai.ml.entities import CronTrigger, JobSchedule, PipelineJob, RecurrenceTrigger
from azure.ai.ml.entities._load_functions import load_schedule
from azure.core.exceptions import HttpResponseError
from azure.identity import DefaultAzureCredential
from mlflow.tracking import MlflowClient
from sklearn.datasets import make_classification

from tests.conftest import SNIPPETS, fresh_tracking_uri
from tests.fake_azure.job_envs import for_mlflow_model, run_script

FOLDER = SNIPPETS / "ch15_pipelines"
FEATURES = ["Pregnancies", "PlasmaGlucose", "BloodPressure", "SerumInsulin", "BMI"]
PREP_BINDING = "${{parent.jobs.prep_step.outputs.output_data}}"
# python -c LOAD <model folder> <prepared CSV>: the model's C and the number of predictions for 5 rows
LOAD = """
import sys
import mlflow.sklearn, pandas as pd
model = mlflow.sklearn.load_model(sys.argv[1])
print(model.C, len(model.predict(pd.read_csv(sys.argv[2]).drop(columns="Diabetic").head(5))))
"""
# schedules.list(list_view_type=...) takes the REST ScheduleListViewType: EnabledOnly (the default), DisabledOnly, All


def raw_diabetes_csv(path: Path) -> Path:
    """200 clean rows, plus 3 rows with a missing value and 2 exact duplicates."""
    X, y = make_classification(n_samples=200, n_features=5, random_state=0)
    df = pd.DataFrame(X * 10 + 50, columns=FEATURES)
    df["Diabetic"] = y
    broken = df.head(3).copy()
    broken.loc[:, "BMI"] = np.nan
    df = pd.concat([df, broken, df.tail(2)], ignore_index=True)
    df.to_csv(path, index=False)
    return path


def skeleton(job: PipelineJob) -> dict:
    """The pipeline as a dict (steps, bindings, inputs, outputs, settings) without component bodies."""
    data = job._to_dict()
    data["jobs"] = {name: {k: v for k, v in step.items() if k != "component"} for name, step in data["jobs"].items()}
    return data


def as_held(job: PipelineJob) -> dict:
    """What Azure holds of a pipeline job, less what differs from one submission to the next:
    its name, dates and links, and its anonymous components (registered anew for each job)."""
    data = skeleton(job)
    for key in ("name", "id", "creation_context", "services", "status"):
        data.pop(key, None)
    return data


def component_of(workspace, step):
    """The component a step of a job read from Azure runs (its ``component`` is the component's ARM id)."""
    *_, name, _, version = step.component.split("/")
    return workspace.get("components", name, version=version)


def submitted_as_the_cli_does(job: PipelineJob) -> str:
    """What submit_pipeline.sh's ``az ml job create --file pipeline_job.yml`` does: the CLI loads the
    YAML and submits it with the SDK, to the workspace config.json names."""
    return MLClient.from_config(credential=DefaultAzureCredential()).jobs.create_or_update(job).name


@pytest.fixture
def workspace(cluster_and_data):
    """The workspace as the earlier chapters leave it (chapters 7 and 8)."""
    return cluster_and_data


# --- the two component scripts, run for real: prepare -> train ----------------------


def run_component(yaml_file: str, script: str, *args: str) -> str:
    """Run a component's script with the Python of the environment its YAML declares, as Azure runs
    the step; what it printed."""
    environment = load_component(FOLDER / yaml_file).environment
    done = run_script(environment, [str(FOLDER / script), *args])
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_component_scripts_run_in_sequence(tmp_path, monkeypatch):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", fresh_tracking_uri(tmp_path))
    monkeypatch.setenv("MLFLOW_EXPERIMENT_NAME", "diabetes-pipeline")
    raw = raw_diabetes_csv(tmp_path / "diabetes.csv")
    prepared_folder = tmp_path / "outputs" / "output_data"  # Azure ML would mount this folder
    model_folder = tmp_path / "outputs" / "model_output"

    printed = run_component("prep_data.yml", "src/prep/prep_data.py", "--input_data", str(raw),
                            "--output_data", str(prepared_folder))
    assert printed.strip() == "Rows in: 205, rows out: 200"
    (prepared_file,) = prepared_folder.iterdir()
    prepared = pd.read_csv(prepared_file)
    assert list(prepared.columns) == [*FEATURES, "Diabetic"]
    assert len(prepared) == 200 and not prepared.isna().any().any()
    assert (prepared[FEATURES].min() == 0).all() and (prepared[FEATURES].max() == 1).all()
    assert set(prepared["Diabetic"]) == {0, 1}

    # step 2 reads step 1's output folder
    printed = run_component("train_model.yml", "src/train/train_model.py",
                            *("--training_data", str(prepared_folder)),
                            *("--reg_rate", "0.1"),
                            *("--model_output", str(model_folder)))
    assert printed.splitlines()[-1].startswith("Accuracy: ")  # after MLflow's own "View run" lines
    assert {"MLmodel", "conda.yaml", "requirements.txt"} <= {p.name for p in model_folder.iterdir()}
    # the model, loaded in the environment it was saved with: its C, and how many rows it predicts
    loaded = run_script(for_mlflow_model(model_folder), ["-c", LOAD, str(model_folder), str(prepared_file)])
    assert loaded.returncode == 0, loaded.stderr
    c, predicted = loaded.stdout.split()
    assert float(c) == pytest.approx(10.0)  # C = 1 / reg_rate
    assert int(predicted) == 5

    client = MlflowClient()
    (run,) = client.search_runs([client.get_experiment_by_name("diabetes-pipeline").experiment_id])
    assert run.data.params == {"regularization_rate": "0.1"}
    assert 0.7 < run.data.metrics["accuracy"] <= 1.0


# --- the component definitions --------------------------------------------------------


@pytest.mark.parametrize(
    ("yaml_file", "name", "inputs", "outputs", "script"),
    [
        ("prep_data.yml", "prep_diabetes_data", {"input_data": "uri_file"}, {"output_data": "uri_folder"},
         "src/prep/prep_data.py"),
        ("train_model.yml", "train_diabetes_model", {"training_data": "uri_folder", "reg_rate": "number"},
         {"model_output": "uri_folder"}, "src/train/train_model.py"),
    ],
)
def test_component_yaml_declares_its_interface(yaml_file, name, inputs, outputs, script):
    text = (FOLDER / yaml_file).read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/commandComponent.schema.json")
    component = load_component(source=FOLDER / yaml_file)

    assert (component.name, component.version, component.type) == (name, "1", "command")
    assert {k: v.type for k, v in component.inputs.items()} == inputs
    assert {k: v.type for k, v in component.outputs.items()} == outputs
    assert component.environment == "AzureML-sklearn-1.5@latest"  # the loader drops "azureml:"
    assert (Path(component.base_path) / component.code / Path(script).name).resolve() == (FOLDER / script).resolve()
    # every input and output is passed to the script with a flag that the script parses
    flags = re.findall(r"--(\w+) \$\{\{(?:inputs|outputs)\.(\w+)\}\}", component.command)
    assert sorted(flag for flag, _ in flags) == sorted([*inputs, *outputs])
    assert all(flag == port for flag, port in flags)
    source = (FOLDER / script).read_text()
    assert all(f'"--{flag}"' in source for flag, _ in flags)


def test_register_components_and_get_one_back(workspace, run_snippet, capsys):
    found = run_snippet("ch15_pipelines/register_components.py")

    assert [(c.name, c.version) for c in workspace.created("components")] == [
        ("prep_diabetes_data", "1"),
        ("train_diabetes_model", "1"),
    ]
    (get,) = workspace.sent("components", "get")
    assert get.kwargs == {"name": "prep_diabetes_data", "version": "1"}
    assert found["prep_data"].display_name == "Prepare diabetes data"
    assert capsys.readouterr().out.splitlines() == [
        "Registered prep_diabetes_data, version 1",
        "Registered train_diabetes_model, version 1",
        "Prepare diabetes data ['input_data'] ['output_data']",
    ]
    # what Azure holds: one version of each, which the label latest resolves to
    for component in workspace.created("components"):
        latest = workspace.get("components", component.name, label="latest")
        assert (latest.version, latest.display_name) == ("1", component.display_name)


# --- the pipeline job, built in Python and in YAML ------------------------------------


def test_pipeline_sends_two_wired_steps(workspace, run_snippet):
    script = run_snippet("ch15_pipelines/pipeline.py")

    (call,) = workspace.sent("jobs", "create_or_update")
    assert call.kwargs == {"experiment_name": "diabetes-pipeline"}
    sent = call.args[0]
    assert isinstance(sent, PipelineJob) and sent.type == "pipeline"
    # step 2's input is step 1's output
    binding = sent.jobs["train_step"].inputs["training_data"]._data
    assert (binding._owner.name, binding._port_name) == ("prep_step", "output_data")
    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (script["returned_job"].name,)

    # what Azure holds: the steps, bound as built, and every resource they name resolved
    job = workspace.get("jobs", script["returned_job"].name)
    assert (job.type, job.status, job.experiment_name) == ("pipeline", "Completed", "diabetes-pipeline")
    assert list(job.jobs) == ["prep_step", "train_step"]
    prep, train = job.jobs["prep_step"], job.jobs["train_step"]
    assert [component_of(workspace, step).name for step in (prep, train)] == [
        "prep_diabetes_data", "train_diabetes_model",
    ]
    assert skeleton(job)["jobs"]["train_step"]["inputs"] == {
        "training_data": {"path": PREP_BINDING}, "reg_rate": {"path": "${{parent.inputs.reg_rate}}"},
    }

    # compute: the pipeline default, overridden by the preparation step
    assert job.settings.default_compute.endswith("/computes/cpu-cluster")
    assert (prep.compute, train.compute) == ("serverless", None)
    assert job.settings.default_datastore.endswith("/datastores/workspaceblobstore")

    # pipeline inputs and outputs
    assert job.inputs["pipeline_input_data"]._data.path.endswith("/data/diabetes-data/versions/1")
    assert job.inputs["reg_rate"]._data == "0.1"  # Azure keeps a literal input as a string
    assert set(job.outputs) == {"prepared_data", "trained_model"}
    assert job.outputs["trained_model"].mode == "upload"


def test_pipeline_yaml_matches_the_python_pipeline(workspace, run_snippet):
    python_job = workspace.get("jobs", run_snippet("ch15_pipelines/pipeline.py")["returned_job"].name)

    text = (FOLDER / "pipeline_job.yml").read_text()
    assert text.startswith("$schema: https://azuremlschemas.azureedge.net/latest/pipelineJob.schema.json")
    yaml_job = load_job(FOLDER / "pipeline_job.yml")
    assert isinstance(yaml_job, PipelineJob)
    assert skeleton(yaml_job)["jobs"]["train_step"]["inputs"]["training_data"] == {"path": PREP_BINDING}
    sources = {step: FOLDER / yaml_job.jobs[step].component._source_path for step in yaml_job.jobs}

    # submitted as the CLI does, the YAML makes the same job as the Python pipeline
    from_yaml = workspace.get("jobs", submitted_as_the_cli_does(yaml_job))
    assert as_held(from_yaml) == as_held(python_job)  # steps, bindings, inputs, outputs, settings
    for step, source in sources.items():
        # an anonymous component's version is a hash of what it is: both jobs run the same one
        assert from_yaml.jobs[step].component == python_job.jobs[step].component
        component, from_file = component_of(workspace, from_yaml.jobs[step]), load_component(source)
        assert (component.display_name, component.command) == (from_file.display_name, from_file.command)


# --- schedules ------------------------------------------------------------------------


def test_schedules_send_cron_and_recurrence_triggers(workspace, run_snippet, tmp_path):
    run_snippet("ch15_pipelines/schedule_pipeline.py")

    schedules = workspace.created("schedules")
    assert [s.name for s in schedules] == [
        "diabetes-pipeline-weekly",
        "diabetes-pipeline-daily",
        "diabetes-pipeline-biweekly",
    ]
    assert all(isinstance(s, JobSchedule) for s in schedules)
    weekly, daily, biweekly = (s.trigger for s in schedules)

    assert isinstance(weekly, CronTrigger)
    assert (weekly.expression, weekly.time_zone) == ("0 6 * * 1", "W. Europe Standard Time")
    assert isinstance(daily, RecurrenceTrigger) and isinstance(biweekly, RecurrenceTrigger)
    assert (daily.frequency, daily.interval, daily.time_zone) == ("day", 1, "UTC")
    assert (daily.schedule.hours, daily.schedule.minutes, daily.schedule.week_days) == ([2, 14], 30, None)
    assert (biweekly.frequency, biweekly.interval) == ("week", 2)
    assert (biweekly.schedule.hours, biweekly.schedule.minutes) == (7, 0)
    assert biweekly.schedule.week_days == ["monday", "thursday"]

    # the triggers pass the SDK's schedule schema (create_job given as the YAML file)
    for schedule in schedules:
        trigger = schedule._to_dict()["trigger"]
        path = Path.cwd() / f"{schedule.name}.yml"
        path.write_text(yaml.safe_dump({"name": schedule.name, "trigger": trigger, "create_job": "./pipeline_job.yml"}))
        assert load_schedule(path)._to_dict()["trigger"] == trigger

    # what Azure holds: three enabled schedules, each creating the YAML pipeline
    held = {s.name: s for s in workspace.all("schedules")}
    assert list(held) == [s.name for s in schedules]
    assert all(s.is_enabled for s in held.values())
    assert [type(s.trigger) for s in held.values()] == [CronTrigger, RecurrenceTrigger, RecurrenceTrigger]
    expected = skeleton(load_job(FOLDER / "pipeline_job.yml"))
    for schedule in held.values():
        created = as_held(schedule.create_job)
        assert created == as_held(held["diabetes-pipeline-weekly"].create_job)
        assert (created["jobs"], created["outputs"]) == (expected["jobs"], expected["outputs"])
        assert created["inputs"]["pipeline_input_data"]["path"].endswith("/data/diabetes-data/versions/1")


def test_manage_schedules_disables_before_deleting(workspace, run_snippet, capsys):
    run_snippet("ch15_pipelines/schedule_pipeline.py")  # the three schedules the page creates first
    capsys.readouterr()

    run_snippet("ch15_pipelines/manage_schedules.py")

    assert capsys.readouterr().out.splitlines() == [
        "diabetes-pipeline-weekly TriggerType.CRON",
        "diabetes-pipeline-daily TriggerType.RECURRENCE",
        "diabetes-pipeline-biweekly TriggerType.RECURRENCE",
    ]
    calls = [(c.method, c.kwargs["name"]) for c in workspace.sent("schedules") if c.method.startswith("begin_")
             and "name" in c.kwargs]
    assert calls == [
        ("begin_disable", "diabetes-pipeline-daily"),
        ("begin_enable", "diabetes-pipeline-daily"),
        ("begin_disable", "diabetes-pipeline-biweekly"),
        ("begin_delete", "diabetes-pipeline-biweekly"),
    ]
    # what Azure now holds: the daily schedule enabled again, the biweekly one gone
    held = {s.name: s.is_enabled for s in workspace.all("schedules", list_view_type="All")}
    assert held == {"diabetes-pipeline-weekly": True, "diabetes-pipeline-daily": True}


def test_an_enabled_schedule_is_not_deleted(workspace, run_snippet):
    """The page's warning: Azure deletes a schedule only once it is disabled."""
    run_snippet("ch15_pipelines/schedule_pipeline.py")

    with pytest.raises(HttpResponseError, match="must be disabled to be deleted"):
        workspace.reader.schedules.begin_delete(name="diabetes-pipeline-weekly").result()
    assert "diabetes-pipeline-weekly" in {s.name for s in workspace.all("schedules")}

    workspace.reader.schedules.begin_disable(name="diabetes-pipeline-weekly").result()
    disabled = workspace.all("schedules", list_view_type="DisabledOnly")
    assert [s.name for s in disabled] == ["diabetes-pipeline-weekly"]
    workspace.reader.schedules.begin_delete(name="diabetes-pipeline-weekly").result()
    assert "diabetes-pipeline-weekly" not in {s.name for s in workspace.all("schedules")}
