import json
from pathlib import Path

import joblib
import pytest
from azure.ai.ml import load_compute
from azure.ai.ml.entities import AmlCompute

ROOT = Path(__file__).resolve().parents[2]
SNIPPETS = ROOT / "snippets" / "ch06_developer_tools"
SHELL_SCRIPTS = sorted(SNIPPETS.glob("*.sh"))


def test_install_script_installs_the_sdk_and_identity_packages():
    text = (SNIPPETS / "install_sdk.sh").read_text()
    assert "pip install azure-ai-ml azure-identity" in text


def test_cli_setup_creates_group_workspace_and_cluster():
    text = (SNIPPETS / "cli_setup.sh").read_text()
    assert "az extension add -n ml -y" in text
    assert "az group create --name rg-dp100-labs --location eastus" in text
    assert "az ml workspace create --name mlw-dp100-labs --resource-group rg-dp100-labs" in text
    for flag in ("--name cpu-cluster", "--type AmlCompute", "--size STANDARD_DS3_v2", "--min-instances 0",
                 "--max-instances 2", "--idle-time-before-scale-down 120", "--tier low_priority"):
        assert flag in text


CLUSTER_FIELDS = ("name", "size", "min_instances", "max_instances", "idle_time_before_scale_down", "tier")


def test_compute_yaml_loads_as_the_cluster_chapter_8_creates():
    cluster = load_compute(SNIPPETS / "compute.yml")

    assert isinstance(cluster, AmlCompute)
    assert (cluster.name, cluster.size) == ("cpu-cluster", "STANDARD_DS3_v2")
    assert (cluster.min_instances, cluster.max_instances) == (0, 2)
    # One cluster site-wide: its size and tier cannot change once it exists, so the definitions agree
    chapter_8 = load_compute(ROOT / "snippets" / "ch08_compute_targets" / "compute_cluster.yml")
    assert [getattr(cluster, f) for f in CLUSTER_FIELDS] == [getattr(chapter_8, f) for f in CLUSTER_FIELDS]


def test_connect_with_ids_reads_the_ids_from_the_environment(workspace, run_snippet, monkeypatch, capsys):
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", "11111111-2222-3333-4444-555555555555")
    monkeypatch.setenv("AZURE_RESOURCE_GROUP", "rg-from-env")
    monkeypatch.setenv("AZURE_ML_WORKSPACE", "mlw-from-env")

    client = run_snippet("ch06_developer_tools/connect_with_ids.py")["ml_client"]

    assert client.subscription_id == "11111111-2222-3333-4444-555555555555"
    assert client.resource_group_name == "rg-from-env"
    assert client.workspace_name == "mlw-from-env"
    assert capsys.readouterr().out.strip() == "Connected to mlw-from-env in rg-from-env"


@pytest.fixture
def chapter_8_compute(run_snippet):
    """The compute targets chapter 8 creates: its cluster (which this page includes before the job) and
    its compute instance, so the listing shows one of each kind."""
    run_snippet("ch08_compute_targets/compute_instance.py")
    run_snippet("ch08_compute_targets/compute_cluster.py")


def test_connect_from_config_uses_config_json_and_lists_compute(workspace, chapter_8_compute, run_snippet, capsys):
    client = run_snippet("ch06_developer_tools/connect_from_config.py")["ml_client"]

    config = json.loads((ROOT / "snippets" / "config.json").read_text())
    assert client.subscription_id == config["subscription_id"]
    assert client.resource_group_name == config["resource_group"]
    assert client.workspace_name == config["workspace_name"]
    listed = capsys.readouterr().out.splitlines()
    assert listed == [f"{compute.name} {compute.type}" for compute in workspace.all("compute")]
    assert sorted(listed) == ["ci-dp100-notes computeinstance", "cpu-cluster amlcompute"]


def test_submit_command_job_sends_script_environment_and_compute(workspace, chapter_8_compute, run_snippet, capsys):
    names = run_snippet("ch06_developer_tools/submit_command_job.py")

    (job,) = workspace.created("jobs")
    assert job.command == "python train.py"
    # the SDK uploaded ./src as a code asset and sent the job with its id: Azure holds that asset
    name, version = job.code.split("/codes/")[1].split("/versions/")
    assert workspace.get("_code", name, version=version).path.endswith("/src")
    assert job.environment == "azureml:AzureML-sklearn-1.5@latest"
    assert job.compute.endswith("/computes/cpu-cluster")  # the SDK sends the cluster's id, which Azure checks
    assert job.experiment_name == "dp100-developer-tools"
    assert (SNIPPETS / "src" / "train.py").is_file()

    out = capsys.readouterr().out.splitlines()
    returned = names["returned_job"]
    assert out[0] == f"Submitted {returned.name}"
    stored = workspace.get("jobs", returned.name)
    assert out[1] == f"Follow it in the studio: {stored.studio_url}"
    assert stored.studio_url.startswith(f"https://ml.azure.com/runs/{returned.name}?wsid=")
    assert "/workspaces/mlw-dp100-labs" in stored.studio_url


def test_train_script_runs_for_real_and_saves_a_model(run_snippet, capsys):
    run_snippet("ch06_developer_tools/src/train.py")

    accuracy = float(capsys.readouterr().out.removeprefix("Accuracy: "))
    assert accuracy > 0.9
    model = joblib.load("outputs/model.pkl")  # cwd is the scratch copy of src/
    assert model.predict([[5.1, 3.5, 1.4, 0.2]]).tolist() == [0]  # a setosa flower
