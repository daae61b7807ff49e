"""Chapter 21: the JSONL checker (real), the fine-tuning job and the deployment (fake Azure)."""

import json

import pytest
from azure.ai.ml.entities._job.finetuning.custom_model_finetuning_job import CustomModelFineTuningJob

from tests.conftest import SNIPPETS
from tests.fake_azure.catalog import facts

FOLDER = SNIPPETS / "ch21_fine_tune_foundation_model"
# The catalog's newest version of the base model, as the azureml registry publishes it
BASE_MODEL_URI = "azureml://registries/azureml/models/Phi-4-mini-instruct/versions/{}".format(
    next(m["version"] for m in facts("catalog_models")["registries"]["azureml"] if m["name"] == "Phi-4-mini-instruct")
)


def chat(*turns):
    """One JSONL line from (role, content) pairs."""
    return json.dumps({"messages": [{"role": role, "content": content} for role, content in turns]})


GOOD = chat(("system", "Be brief."), ("user", "Hi?"), ("assistant", "Hello."))


# --- validate_jsonl.py, for real --------------------------------------------------


@pytest.mark.parametrize("name", ["train.jsonl", "validation.jsonl"])
def test_shipped_files_pass(run_snippet, capsys, name):
    run_snippet("ch21_fine_tune_foundation_model/validate_jsonl.py", name)
    lines = (FOLDER / name).read_text().splitlines()
    messages = sum(len(json.loads(line)["messages"]) for line in lines)
    assert capsys.readouterr().out == f"{name}: {len(lines)} examples, {messages} messages, all valid\n"


def test_training_file_has_enough_examples_for_the_page():
    lines = (FOLDER / "train.jsonl").read_text().splitlines()
    assert len(lines) >= 5
    assert all(json.loads(line)["messages"][-1]["content"].count("Exam tip:") == 1 for line in lines)


@pytest.mark.parametrize(
    ("bad_line", "problem"),
    [
        ('{"messages": [', "not valid JSON"),
        ("", "not valid JSON"),
        ('["a list, not an object"]', "no 'messages' list"),
        ('{"prompt": "old completion format", "completion": "x"}', "no 'messages' list"),
        ('{"messages": []}', "no 'messages' list"),
        (chat(("user", "Hi?"), ("bot", "Hello.")), "needs a role"),
        ('{"messages": ["just text"]}', "needs a role"),
        (chat(("user", "Hi?"), ("assistant", "  ")), "empty content in a assistant message"),
        (chat(("system", "Be brief.")), "roles out of order: system"),
        (chat(("assistant", "Hello."), ("user", "Hi?")), "roles out of order"),
        (chat(("user", "Hi?"), ("system", "Be brief."), ("assistant", "Hello.")), "roles out of order"),
        (chat(("user", "Hi?"), ("user", "Anyone?"), ("assistant", "Hello.")), "roles out of order"),
        (chat(("system", "Be brief."), ("user", "Hi?")), "the last message must be the assistant's"),
    ],
)
def test_first_problem_is_reported_with_its_line_number(run_snippet, tmp_path, capsys, bad_line, problem):
    broken = tmp_path / "broken.jsonl"
    broken.write_text("\n".join([GOOD, GOOD, bad_line, "not even json"]) + "\n")

    with pytest.raises(SystemExit) as exit_info:
        run_snippet("ch21_fine_tune_foundation_model/validate_jsonl.py", str(broken))

    message = str(exit_info.value.code)  # sys.exit(text) prints text and exits with status 1
    assert message.startswith("broken.jsonl, line 3: ")
    assert problem in message
    assert capsys.readouterr().out == ""


def test_an_empty_file_fails(run_snippet, tmp_path):
    empty = tmp_path / "empty.jsonl"
    empty.write_text("")
    with pytest.raises(SystemExit, match="empty.jsonl: no examples"):
        run_snippet("ch21_fine_tune_foundation_model/validate_jsonl.py", str(empty))


# --- finetune_job.py, on the fake Azure ------------------------------------------------


def test_registers_the_data_and_finds_the_base_model_in_the_registry(workspace, run_snippet, capsys):
    run_snippet("ch21_fine_tune_foundation_model/finetune_job.py")

    sent = {data.name: data for data in workspace.created("data")}
    assert set(sent) == {"study-buddy-train", "study-buddy-validation"}
    for name, file in [("study-buddy-train", "train.jsonl"), ("study-buddy-validation", "validation.jsonl")]:
        stored = workspace.get("data", name, version="1")
        assert (stored.type, stored.version) == ("uri_file", "1")
        # Azure holds the path the SDK uploaded the file to, in the workspace's default datastore
        assert stored.path.startswith("azureml://") and stored.path.endswith(f"/{file}")
        assert "/datastores/workspaceblobstore/paths/LocalUpload/" in stored.path
        (uploaded,) = [blob for key, blob in workspace.azure.blobs.blobs.items() if key.endswith(f"/{file}")]
        assert uploaded == (FOLDER / file).read_bytes()

    # The base model is looked up in the azureml registry, whose newest version the catalog publishes
    (lookup,) = workspace.sent("models", "get")
    assert lookup.args == ("Phi-4-mini-instruct",) and lookup.kwargs == {"label": "latest"}
    (registry_client,) = [c for c in workspace.clients if c._operation_scope.registry_name]
    assert registry_client._operation_scope.registry_name == "azureml"
    assert f"Base model: {BASE_MODEL_URI}" in capsys.readouterr().out


def test_sends_a_chat_completion_fine_tuning_job(workspace, run_snippet, capsys):
    returned = run_snippet("ch21_fine_tune_foundation_model/finetune_job.py")["returned_job"]

    (job,) = workspace.created("jobs")
    assert isinstance(job, CustomModelFineTuningJob)
    assert job.type == "finetuning" and job.model_provider == "Custom"
    assert job.task == "chatCompletion"  # the SDK lower-cases the first letter of "ChatCompletion"
    assert (job.model.type, job.model.path) == ("mlflow_model", BASE_MODEL_URI)
    # "azureml:study-buddy-train:1", which the SDK resolves to the data asset's ARM id before it sends the job
    assert job.training_data.type == job.validation_data.type == "uri_file"
    assert job.training_data.path.endswith("/workspaces/mlw-dp100-labs/data/study-buddy-train/versions/1")
    assert job.validation_data.path.endswith("/workspaces/mlw-dp100-labs/data/study-buddy-validation/versions/1")
    assert job.hyperparameters == {
        "num_train_epochs": "3",
        "learning_rate": "0.00002",
        "per_device_train_batch_size": "1",
    }
    output = job.outputs["registered_model"]
    assert (output.type, output.name) == ("mlflow_model", "phi-4-mini-study-buddy")
    # serverless: no compute target, only the VM size to run on
    assert job.compute is None
    assert job.resources.instance_types == ["Standard_NC24ads_A100_v4"]
    assert (job.experiment_name, job.display_name) == ("fine-tune-study-buddy", "fine-tune-phi-4-mini-study-buddy")

    # What Azure answered, and holds once the job has finished
    assert returned.status == "Starting"
    assert f"Submitted {returned.name}; studio link: {returned.studio_url}" in capsys.readouterr().out
    stored = workspace.get("jobs", returned.name)
    assert isinstance(stored, CustomModelFineTuningJob)
    assert stored.status == "Completed"
    assert stored.task == "chatCompletion"
    assert stored.model.path == BASE_MODEL_URI
    assert stored.training_data.path == job.training_data.path
    assert stored.resources.instance_types == ["Standard_NC24ads_A100_v4"]
    assert stored.outputs["registered_model"].name == "phi-4-mini-study-buddy"
    # The named output is registered as a model when the job finishes: what the deployment uses
    model = workspace.get("models", "phi-4-mini-study-buddy", label="latest")
    assert (model.version, model.type, model.job_name) == ("1", "mlflow_model", returned.name)


def test_validation_data_is_required_by_this_sdk_version():
    """azure-ai-ml 1.35.2: leaving out validation_data fails inside create_finetuning_job (the page warns)."""
    from azure.ai.ml.finetuning import create_finetuning_job

    with pytest.raises(UnboundLocalError):
        create_finetuning_job(
            task="ChatCompletion",
            model=BASE_MODEL_URI,
            training_data="azureml:study-buddy-train:1",
            output_model_name_prefix="x",
        )


# --- deploy_finetuned_model.py, on the fake Azure ----------------------------------------


def test_deploys_the_registered_model_to_an_online_endpoint(workspace, run_snippet):
    run_snippet("ch21_fine_tune_foundation_model/finetune_job.py")  # the page: the job registers the model

    run_snippet("ch21_fine_tune_foundation_model/deploy_finetuned_model.py")

    sent = workspace.created("online_endpoints")
    assert len(sent) == 2  # created, then updated with traffic once the deployment exists
    assert {(e.name, e.auth_mode) for e in sent} == {("study-buddy-chat", "key")}
    (deployment,) = workspace.created("online_deployments")
    assert deployment.endpoint_name == "study-buddy-chat"
    # "azureml:phi-4-mini-study-buddy:1", resolved by the SDK to the registered model's ARM id
    assert deployment.model.endswith("/workspaces/mlw-dp100-labs/models/phi-4-mini-study-buddy/versions/1")
    assert (deployment.instance_type, deployment.instance_count) == ("Standard_NC24ads_A100_v4", 1)
    assert deployment.request_settings.request_timeout_ms == 90000
    assert deployment.environment is None and deployment.code_configuration is None

    # What Azure holds: the endpoint sends all traffic to the deployment of the registered model
    endpoint = workspace.get("online_endpoints", "study-buddy-chat")
    assert (endpoint.auth_mode, endpoint.traffic) == ("key", {"phi4mini-ft": 100})
    stored = workspace.get("online_deployments", "phi4mini-ft", endpoint_name="study-buddy-chat")
    assert stored.model == deployment.model
    assert stored.request_settings.request_timeout_ms == 90000
    assert stored.environment is None and stored.code_configuration is None  # MLflow: no scoring script
