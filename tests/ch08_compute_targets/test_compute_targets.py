from pathlib import Path

from azure.ai.ml import load_compute
from azure.ai.ml.entities import AmlCompute, ComputeInstance

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "ch08_compute_targets"


def test_compute_cluster_scales_to_zero(workspace, run_snippet):
    run_snippet("ch08_compute_targets/compute_cluster.py")

    (cluster,) = workspace.created("compute")
    assert (cluster.name, cluster.size) == ("cpu-cluster", "STANDARD_DS3_v2")
    assert (cluster.min_instances, cluster.max_instances) == (0, 2)
    assert cluster.idle_time_before_scale_down == 120
    assert cluster.tier == "low_priority"
    # Azure answers a read with what it holds: the cluster, in the workspace's region
    stored = workspace.get("compute", "cpu-cluster")
    assert (stored.type, stored.location) == ("amlcompute", workspace.reader.workspaces.get().location)
    assert (stored.min_instances, stored.max_instances, stored.tier) == (0, 2, "low_priority")


def test_compute_instance_shuts_down_when_idle(workspace, run_snippet):
    run_snippet("ch08_compute_targets/compute_instance.py")

    (instance,) = workspace.created("compute")
    assert isinstance(instance, ComputeInstance)
    assert (instance.name, instance.size) == ("ci-dp100-notes", "STANDARD_DS3_v2")
    assert instance.idle_time_before_shutdown_minutes == 30
    (schedule,) = instance.schedules.compute_start_stop
    assert (schedule.action, schedule.trigger.expression) == ("stop", "0 19 * * 1-5")
    # the stored copy went through the SDK's own schema
    stored = workspace.get("compute", "ci-dp100-notes")
    assert stored.idle_time_before_shutdown_minutes == 30


def test_serverless_job_sends_no_compute(workspace, run_snippet, capsys):
    run_snippet("ch08_compute_targets/serverless_job.py")

    (call,) = workspace.sent("jobs", "create_or_update")
    job = call.args[0]
    assert job.compute is None
    assert "compute" not in call.kwargs
    assert job.resources.instance_type == "Standard_DS3_v2"
    assert job.resources.instance_count == 1
    assert job.queue_settings.job_tier == "spot"
    assert job.environment.endswith("AzureML-sklearn-1.5@latest")  # a curated environment every workspace lists
    name = capsys.readouterr().out.strip()
    assert workspace.get("jobs", name).status == "Completed"


def test_training_script_runs_for_real(run_snippet, capsys):
    result = run_snippet("ch08_compute_targets/src/train.py")

    assert result["accuracy"] > 0.9
    assert capsys.readouterr().out.startswith("accuracy: 0.9")


def test_manage_compute_lists_stops_and_resizes(workspace, run_snippet, capsys):
    run_snippet("ch08_compute_targets/compute_instance.py")  # the chapter creates both first
    run_snippet("ch08_compute_targets/compute_cluster.py")

    run_snippet("ch08_compute_targets/manage_compute.py")

    assert capsys.readouterr().out.splitlines() == [
        "ci-dp100-notes: computeinstance",
        "cpu-cluster: amlcompute",
    ]
    (stop,) = workspace.sent("compute", "begin_stop")
    assert stop.args == ("ci-dp100-notes",)
    (update,) = workspace.sent("compute", "begin_update")
    assert (update.args[0].name, update.args[0].max_instances) == ("cpu-cluster", 4)
    assert workspace.sent("compute", "begin_start") == []
    assert workspace.get("compute", "ci-dp100-notes").state == "Stopped"
    assert workspace.get("compute", "cpu-cluster").max_instances == 4


def test_cluster_yaml_matches_the_python_version():
    cluster = load_compute(SNIPPETS / "compute_cluster.yml")

    assert isinstance(cluster, AmlCompute)
    assert (cluster.name, cluster.size) == ("cpu-cluster", "STANDARD_DS3_v2")
    assert (cluster.min_instances, cluster.max_instances) == (0, 2)
    assert (cluster.idle_time_before_scale_down, cluster.tier) == (120, "low_priority")


