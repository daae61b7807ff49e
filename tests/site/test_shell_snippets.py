"""Every `az` line of every shell snippet is checked against the Azure CLI reference
(tests/fake_azure/facts/az_commands.yml), and every script runs through the recording fakes
of tests/fake_azure/bin: `az`, `pip` and `pf`. Then the test replays the script's `az ml` calls,
in order, against the fake Azure of the `workspace` fixture (tests/fake_azure/cli_replay.py), so
Azure's references and rules apply to them. Shellcheck runs in test_tooling.py."""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pandas as pd
import pytest
from sklearn.datasets import make_classification

from tests.conftest import diabetes_csv
from tests.fake_azure.az import Expanded
from tests.fake_azure.az_scripts import az_calls, check_script
from tests.fake_azure.cli_replay import Replay, ReplayError
from tests.fake_azure.workspace import GROUP, NAME
from tests.site.pages import ROOT, SNIPPETS

SHELL_SNIPPETS = sorted(SNIPPETS.rglob("*.sh"))
FAKE_BIN = ROOT / "tests" / "fake_azure" / "bin"
SETTINGS = {"RESOURCE_GROUP": "rg-dp100-labs", "WORKSPACE": "mlw-dp100-labs"}  # what ch04's script asks for


def upload_diabetes_csv(workspace) -> None:
    """The reader's studio step of chapter 7: their diabetes.csv uploaded where the data asset points."""
    workspace.upload("workspaceblobstore", "diabetes/diabetes.csv", diabetes_csv())


DATA = [upload_diabetes_csv, ("ch07_data/data_asset_uri_file.py",)]
CLUSTER = ("ch08_compute_targets/compute_cluster.py",)
# What a script's YAML names that Python snippets make, made first by those snippets (with the reader's
# files they take, from `reader_files`) and the reader's own steps; each comment gives the chapter the
# script's page says makes it.
MADE_FIRST = {
    "ch04_mlops_solution/submit_training.sh": [*DATA, CLUSTER],  # diabetes-data in chapter 7, cpu-cluster in 8
    # cpu-cluster ("created in chapter 6", by the CLI; chapter 8's snippet in Python), the MLTable asset: chapter 10
    "ch10_automl/submit_automl_job.sh": [CLUSTER, ("ch10_automl/register_training_data.py",)],
    "ch12_command_job/submit_job.sh": [*DATA, CLUSTER],  # diabetes-data "registered in chapter 7", cpu-cluster 8
    "ch14_hyperparameter_tuning/submit_sweep.sh": [CLUSTER],  # cpu-cluster (chapter 8)
    "ch27_distributed_training/submit_distributed.sh": [("ch27_distributed_training/gpu_cluster.py",)],  # gpu-cluster
    "ch15_pipelines/submit_pipeline.sh": [*DATA, CLUSTER],  # diabetes-data:1 and cpu-cluster, as in chapter 12
    # chapter 12's training job, which needs the data and the cluster
    "ch16_register_mlflow_model/register_model.sh": [*DATA, CLUSTER, ("ch12_command_job/submit_job.py",)],
    "ch18_online_endpoint/deploy_with_cli.sh": [("ch18_online_endpoint/register_custom_model.py", "patients")],
    "ch19_batch_endpoint/deploy_with_cli.sh": [  # "the cluster from chapter 8"; the model and the data: chapter 19
        CLUSTER, ("ch19_batch_endpoint/register_model.py", "patients"),
        ("ch19_batch_endpoint/register_batch_data.py", "to_score")],
    # chapter 18's model and endpoint, the blue deployment that collects its data and the reference data: chapter 29
    "ch29_monitor_models/create_monitor.sh": [
        ("ch18_online_endpoint/register_custom_model.py", "patients"), ("ch18_online_endpoint/create_endpoint.py",),
        ("ch29_monitor_models/deploy_with_collector.py",),
        ("ch29_monitor_models/register_reference_data.py", "patients")],
}
# What a page tells the reader to put in a file ("put your own job's name here"): file, the example
# value, and where the reader finds theirs once MADE_FIRST ran.
READER_EDITS = {
    "ch16_register_mlflow_model/register_model.sh": ("model.yml", "bold_river_4kx9w2m1pz",
                                                     lambda workspace: workspace.all("jobs")[0].name),
}

# What Azure holds after a script where a flag changes more than the object its command creates.
AFTERWARDS = {
    "ch18_online_endpoint/deploy_with_cli.sh":  # --all-traffic
        lambda workspace: workspace.get("online_endpoints", "diabetes-endpoint").traffic == {"blue": 100},
    "ch19_batch_endpoint/deploy_with_cli.sh":  # --set-default
        lambda workspace: workspace.get("batch_endpoints", "diabetes-batch").defaults.deployment_name
        == "diabetes-logreg",
}


@pytest.fixture
def reader_files(tmp_path) -> dict[str, str]:
    """The reader's own files that some creating snippets take: patients to train on (the columns of
    chapter 18's sample request, then the Diabetic label) and a folder of patients to score."""
    request = json.loads((SNIPPETS / "ch18_online_endpoint" / "sample-request.json").read_text())
    features, labels = make_classification(n_samples=60, n_features=len(request["data"][0]), random_state=0)
    patients = pd.DataFrame(features, columns=list(request["data"][0]))
    patients.assign(Diabetic=labels).to_csv(tmp_path / "patients.csv", index=False)
    (tmp_path / "to-score").mkdir()
    patients.to_csv(tmp_path / "to-score" / "patients-1.csv", index=False)
    return {"patients": str(tmp_path / "patients.csv"), "to_score": str(tmp_path / "to-score")}


def run_script(script: Path, scratch: Path, edit: tuple[str, str, str] | None = None,
               ) -> tuple[subprocess.CompletedProcess, list[dict]]:
    """``bash script`` from a copy of its folder (``config.json`` beside it) in ``scratch``, with the
    fakes, then this venv's python, first on PATH; and the calls the fakes recorded. ``edit``: the
    reader's (file, old text, new text) in the copy first."""
    workdir = scratch / script.parent.name
    shutil.copytree(script.parent, workdir)
    shutil.copy(SNIPPETS / "config.json", workdir)
    if edit:
        file, old, new = edit
        (workdir / file).write_text((workdir / file).read_text().replace(old, new))
    log = scratch / "calls.jsonl"
    path = os.pathsep.join([str(FAKE_BIN), str(Path(sys.executable).parent), os.environ["PATH"]])
    fakes = {"FAKE_CLI_LOG": str(log), "FAKE_CLI_STATE": str(scratch / "state.json")}
    env = {**os.environ, **SETTINGS, **fakes, "PATH": path}
    result = subprocess.run(["bash", workdir / script.name], cwd=workdir, env=env, capture_output=True, text=True)
    calls = [json.loads(line) for line in log.read_text().splitlines()] if log.exists() else []
    assert {call["cwd"] for call in calls} <= {str(workdir)}
    return result, calls


def replay(script: Path, calls: list[dict], root: Path = SNIPPETS) -> list:
    """The script's recorded `az` calls replayed in order against the test's fake Azure: what each returned."""
    az = [call for call in calls if call["argv"][0] == "az"]
    lines = [f"{script.relative_to(root)}:{parsed.line}" for parsed in az_calls(script)]
    replaying = Replay()
    return [replaying(call, where) for call, where in zip(az, lines, strict=True)]


def same_call(parsed: list[str], ran: list[str]) -> bool:
    """The words the script's source gives match the ones `az` got; a word set at run time matches any."""
    return len(parsed) == len(ran) and all(isinstance(a, Expanded) or a == b for a, b in zip(parsed, ran, strict=True))


@pytest.mark.parametrize("script", SHELL_SNIPPETS, ids=lambda p: str(p.relative_to(SNIPPETS)))
def test_every_az_line_matches_the_cli_reference(script):
    assert check_script(script, ROOT) == []


@pytest.mark.parametrize("script", SHELL_SNIPPETS, ids=lambda p: str(p.relative_to(SNIPPETS)))
def test_script_runs_through_the_fakes_and_azure_accepts_its_calls(script, workspace, run_snippet, reader_files,
                                                                    tmp_path):
    name = str(script.relative_to(SNIPPETS))
    for step in MADE_FIRST.get(name, []):
        if callable(step):
            step(workspace)
        else:
            snippet, *files = step
            run_snippet(snippet, *(reader_files[file] for file in files))
    edit = None
    if name in READER_EDITS:
        file, example, theirs = READER_EDITS[name]
        edit = (file, example, theirs(workspace))
    parsed = az_calls(script)
    assert not any(call.conditional for call in parsed), "an az line in an if, loop or function: compare by hand"
    if any(call.name == "az ml workspace create" for call in parsed):  # Azure as chapter 5 finds it
        workspace.azure.arm.delete(workspace.azure.workspace_path(GROUP, NAME))

    result, calls = run_script(script, tmp_path / "script", edit)

    assert result.returncode == 0, result.stderr
    ran = [call["argv"][1:] for call in calls if call["argv"][0] == "az"]
    assert len(ran) == len(parsed)
    for call, argv in zip(parsed, ran, strict=True):
        assert same_call(call.words, argv), f"line {call.line}: {call.words} != {argv}"
    replay(script, calls)
    assert AFTERWARDS.get(name, bool)(workspace)


def test_the_fakes_record_pip_and_pf_too(tmp_path):
    _, calls = run_script(SNIPPETS / "ch11_mlflow_notebooks" / "check_packages.sh", tmp_path / "pip")
    assert [call["argv"] for call in calls] == [  # mlflow is installed here, azureml-mlflow is not
        ["pip", "show", "mlflow"], ["pip", "show", "azureml-mlflow"], ["pip", "install", "azureml-mlflow"],
    ]
    _, calls = run_script(SNIPPETS / "ch22_prompt_flow" / "run_flow.sh", tmp_path / "pf")
    assert [call["argv"][:3] for call in calls] == [["pf", "flow", "test"], *[["pf", "run", "create"]] * 2,
                                                    ["pf", "run", "show-metrics"]]


def write_script(folder: Path, line: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    script = folder / "wrong.sh"
    script.write_text(f"#!/usr/bin/env bash\n{line}\n")
    return script


# What the static check and the fake `az` both answer, line 2 of the script being the az line.
REFUSED = {
    "az ml job submit --file job.yml -g rg -w ws": "'az ml job submit' is not an az ml job command (ml extension",
    "az ml compute create -n c --min-instance 0 -g r -w w": "compute create: unrecognized argument --min-instance",
    "az ml job create -g rg -w ws": "az ml job create: the following arguments are required: --file/-f",
    "az ml computes create --file c.yml -g rg -w ws": "'az ml computes' is not an az ml command (ml extension",
}


@pytest.mark.parametrize(("line", "error"), REFUSED.items(), ids=list(REFUSED.values()))
def test_checker_and_fake_az_refuse_a_wrong_command(line, error, tmp_path):
    script = write_script(tmp_path / "written", line)

    (found,) = check_script(script, tmp_path)
    assert found.startswith("written/wrong.sh:2: ") and error in found

    result, calls = run_script(script, tmp_path / "run")
    assert result.returncode == 2 and error in result.stderr
    assert len(calls) == 1  # recorded, then refused


def test_a_command_name_set_at_run_time_cannot_be_checked(tmp_path):
    script = write_script(tmp_path, 'az ml "$KIND" create --file c.yml -g rg -w ws')
    assert check_script(script, tmp_path) == [
        "wrong.sh:2: 'az ml \"$KIND\"': the shell sets this word at run time, so it can't be checked"
    ]


WORKSPACE = "--resource-group rg-dp100-labs --workspace-name mlw-dp100-labs"


def replayed_error(script: Path, scratch: Path) -> str:
    """The script runs through the fake `az`; what Azure says when its calls are replayed."""
    result, calls = run_script(script, scratch)
    assert result.returncode == 0, result.stderr
    with pytest.raises(ReplayError) as refused:
        replay(script, calls, scratch.parent)
    return str(refused.value)


def test_a_deployment_needs_its_endpoint_created_first(workspace, tmp_path):
    folder = tmp_path / "ch18"
    shutil.copytree(SNIPPETS / "ch18_online_endpoint", folder)
    script = write_script(folder, f"az ml online-deployment create --file blue-deployment.yml {WORKSPACE}")
    assert check_script(script, tmp_path) == []

    error = replayed_error(script, tmp_path / "run")
    assert error.startswith("ch18/wrong.sh:2: az ml online-deployment create --file blue-deployment.yml")
    assert "online endpoint 'diabetes-endpoint' not found" in error


@pytest.mark.parametrize(("line", "missing"), [
    (f"az ml online-endpoint show --name diabetes-endpoint {WORKSPACE}", "online endpoint 'diabetes-endpoint'"),
    (f"az ml online-endpoint invoke --name diabetes-endpoint --request-file sample-request.json {WORKSPACE}",
     "online endpoint 'diabetes-endpoint'"),
    (f"az ml online-deployment get-logs --name blue --endpoint-name diabetes-endpoint {WORKSPACE}",
     "online deployment 'blue' of endpoint 'diabetes-endpoint'"),
])
def test_what_was_never_created_is_not_found(line, missing, workspace, tmp_path):
    folder = tmp_path / "ch18"
    shutil.copytree(SNIPPETS / "ch18_online_endpoint", folder)
    script = write_script(folder, line)

    assert f"{missing} not found" in replayed_error(script, tmp_path / "run")


def test_an_invalid_yaml_field_fails_with_the_sdk_message(workspace, tmp_path):
    folder = tmp_path / "ch08"
    folder.mkdir()
    cluster = (SNIPPETS / "ch08_compute_targets" / "compute_cluster.yml").read_text()
    (folder / "cluster.yml").write_text(cluster.replace("max_instances:", "max_instance:"))
    script = write_script(folder, f"az ml compute create --file cluster.yml {WORKSPACE}")

    error = replayed_error(script, tmp_path / "run")
    assert "ValidationError: Validation for AmlComputeSchema failed" in error
    assert '"max_instance": [\n    "Unknown field."' in error


def test_a_query_is_answered_from_the_yaml_and_checked_against_azure(workspace, tmp_path):
    folder = tmp_path / "ch08"
    shutil.copytree(SNIPPETS / "ch08_compute_targets", folder)
    create = f"az ml compute create --file compute_cluster.yml {WORKSPACE} -o none"
    show = f"az ml compute show --name cpu-cluster --query max_instances --output tsv {WORKSPACE}"
    script = write_script(folder, f"{create}\n{show}")

    result, calls = run_script(script, tmp_path / "run")
    assert (result.returncode, result.stdout) == (0, "2\n"), result.stderr
    assert replay(script, calls, tmp_path)[1].max_instances == 2


def test_a_query_answer_that_is_not_azures_is_caught_by_the_replay(workspace, tmp_path):
    folder = tmp_path / "ch08"
    shutil.copytree(SNIPPETS / "ch08_compute_targets", folder)
    create = f"az ml compute create --file compute_cluster.yml --set max_instances=4 {WORKSPACE} -o none"
    show = f"az ml compute show --name cpu-cluster --query max_instances --output tsv {WORKSPACE}"
    script = write_script(folder, f"{create}\n{show}")  # the fake az answers from the YAML alone

    assert replayed_error(script, tmp_path / "run") == (
        "ch08/wrong.sh:3: the fake az printed '2\\n', but Azure's answer is '4\\n'")


@pytest.mark.parametrize("line", [
    f"az ml compute show --name cpu-cluster --query max_instances -o tsv {WORKSPACE}",  # not created by the script
    f"az ml compute create --name cpu-cluster --type amlcompute --query id -o tsv {WORKSPACE}",  # Azure gives the id
])
def test_a_query_the_fake_az_cannot_answer_fails_early(line, tmp_path):
    script = write_script(tmp_path / "written", line)

    result, _ = run_script(script, tmp_path / "run")
    assert result.returncode == 1
    assert "the fake az can't answer --query" in result.stderr
