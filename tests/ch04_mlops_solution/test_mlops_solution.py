"""Chapter 4: the CLI job definition, its training script, the submit script and the workflow."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import mlflow
import pandas as pd
import yaml
from azure.ai.ml import load_job
from sklearn.datasets import make_classification

from tests.conftest import ROOT, SNIPPETS, fresh_tracking_uri

FOLDER = SNIPPETS / "ch04_mlops_solution"
COLUMNS = "Pregnancies PlasmaGlucose DiastolicBloodPressure TricepsThickness SerumInsulin BMI DiabetesPedigree Age"


def test_job_yaml_loads_as_a_command_job():
    job = load_job(FOLDER / "job.yml")

    assert job.type == "command"
    assert job.compute == "cpu-cluster"
    assert job.environment == "AzureML-sklearn-1.5@latest"  # the loader drops the azureml: prefix
    assert job.experiment_name == "diabetes-training"
    assert job.command == ("python train.py --training-data ${{inputs.training_data}} --reg-rate ${{inputs.reg_rate}}")
    data = job.inputs["training_data"]
    assert (data.type, data.path) == ("uri_file", "diabetes-data@latest")
    assert job.inputs["reg_rate"]._data == 0.01
    assert (FOLDER / job.code / "train.py").is_file()


def test_train_script_logs_to_mlflow(run_snippet, tmp_path, monkeypatch, capsys):
    monkeypatch.setenv("MLFLOW_TRACKING_URI", fresh_tracking_uri(tmp_path))
    X, y = make_classification(n_samples=200, n_features=8, random_state=0)
    csv = tmp_path / "diabetes.csv"
    pd.DataFrame(X, columns=COLUMNS.split()).assign(Diabetic=y).to_csv(csv, index=False)

    run_snippet("ch04_mlops_solution/src/train.py", "--training-data", str(csv), "--reg-rate", "0.1")

    (run,) = mlflow.search_runs(search_all_experiments=True, output_format="list")
    assert run.data.params == {"reg_rate": "0.1"}
    assert 0.7 < run.data.metrics["accuracy"] <= 1.0
    assert run.info.status == "FINISHED"
    assert f"accuracy: {run.data.metrics['accuracy']:.3f}" in capsys.readouterr().out


def fake_az(tmp_path) -> Path:
    """An ``az`` on PATH that records its arguments and its working folder."""
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    az = bin_dir / "az"
    az.write_text('#!/usr/bin/env bash\nprintf "%s\\n" "$PWD" "$@" > "$AZ_LOG"\necho job-42\n')
    az.chmod(0o755)
    return bin_dir


def run_submit(tmp_path, **env):
    bash = shutil.which("bash")
    environment = {"PATH": f"{fake_az(tmp_path)}:{os.environ['PATH']}", "AZ_LOG": str(tmp_path / "az.log"), **env}
    return subprocess.run(  # noqa: S603
        [bash, FOLDER / "submit_training.sh"], capture_output=True, text=True, env=environment, cwd=tmp_path
    )


def test_submit_script_creates_the_job_from_yaml(tmp_path):
    result = run_submit(tmp_path, RESOURCE_GROUP="rg-dp100-labs", WORKSPACE="mlw-dp100-labs")

    assert result.returncode == 0, result.stderr
    assert result.stdout == "Submitted training job: job-42\n"
    cwd, *args = (tmp_path / "az.log").read_text().splitlines()
    assert Path(cwd) == FOLDER  # the script moves next to job.yml first
    assert (
        args
        == (
            "ml job create --file job.yml --resource-group rg-dp100-labs --workspace-name mlw-dp100-labs"
            " --query name --output tsv"
        ).split()
    )


def test_submit_script_stops_when_a_setting_is_missing(tmp_path):
    result = run_submit(tmp_path, RESOURCE_GROUP="rg-dp100-labs")

    assert result.returncode != 0
    assert "WORKSPACE" in result.stderr
    assert not (tmp_path / "az.log").exists()


def test_workflow_retrains_on_a_schedule_with_oidc_login():
    workflow = yaml.safe_load((FOLDER / "github_workflow_retrain.yml").read_text())
    triggers = workflow[True]  # PyYAML reads the key `on` as the boolean True

    assert triggers["schedule"] == [{"cron": "0 6 * * 1"}]
    assert "workflow_dispatch" in triggers
    assert workflow["permissions"] == {"contents": "read", "id-token": "write"}

    steps = workflow["jobs"]["retrain"]["steps"]
    login = next(s for s in steps if s.get("uses", "").startswith("azure/login@"))
    assert set(login["with"]) == {"client-id", "tenant-id", "subscription-id"}  # OIDC: no client secret
    runs = [s["run"] for s in steps if "run" in s]
    assert runs == ["az extension add --name ml --yes", "bash mlops/submit_training.sh"]
    submit = steps[-1]
    assert set(submit["env"]) == {"RESOURCE_GROUP", "WORKSPACE"}


def test_workflow_passes_github_schema_and_zizmor():
    bin_dir = Path(sys.executable).parent
    workflow = FOLDER / "github_workflow_retrain.yml"
    schema = subprocess.run(  # noqa: S603
        [bin_dir / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow],
        capture_output=True,
        text=True,
    )
    assert schema.returncode == 0, schema.stdout
    audit = subprocess.run(  # noqa: S603
        [bin_dir / "zizmor", "--offline", "--no-progress", workflow], capture_output=True, text=True, cwd=ROOT
    )
    assert audit.returncode == 0, audit.stdout + audit.stderr
