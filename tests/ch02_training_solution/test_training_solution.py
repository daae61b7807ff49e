"""Chapter 2: a job on serverless compute asks for a VM size; its script runs for real."""

import pytest


@pytest.mark.parametrize(
    ("argv", "size"),
    [((), "Standard_NC4as_T4_v3"), (("--device", "cpu"), "Standard_DS3_v2")],
)
def test_job_runs_on_serverless_compute_with_the_chosen_size(workspace, run_snippet, argv, size):
    run_snippet("ch02_training_solution/gpu_serverless_job.py", *argv)

    (job,) = workspace.created("jobs")
    assert job.compute is None  # no compute target: serverless
    assert job.resources.instance_type == size
    assert job.resources.instance_count == 1
    assert job.environment == "azureml:AzureML-sklearn-1.5@latest"
    assert job.command == "python train_digits.py --max-iter 200"
    # the SDK uploaded ./src as a code asset and sent the job with its id: Azure holds that asset
    name, version = job.code.split("/codes/")[1].split("/versions/")
    assert workspace.get("_code", name, version=version).path.endswith("/src")
    assert job.experiment_name == "digits-serverless"

    # what the SDK's own schema kept after dump() and load
    (stored,) = workspace.all("jobs")
    assert stored.compute is None
    assert stored.resources.instance_type == size


def test_the_job_script_trains_a_digits_classifier(run_snippet, capsys):
    run_snippet("ch02_training_solution/src/train_digits.py", "--max-iter", "300")

    lines = capsys.readouterr().out.splitlines()
    assert lines[0] in ("GPU visible: False", "GPU visible: True")
    accuracy = float(lines[1].removeprefix("accuracy: "))
    assert accuracy > 0.9
