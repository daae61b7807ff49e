"""Chapter 21: the JSONL checker (real), the fine-tuning job and the deployment (fake workspace)."""

import json
from pathlib import Path

import pytest
from azure.ai.ml.entities import Model
from azure.ai.ml.entities._job.finetuning.custom_model_finetuning_job import CustomModelFineTuningJob

from tests.conftest import SNIPPETS

FOLDER = SNIPPETS / "ch21_fine_tune_foundation_model"
BASE_MODEL_URI = "azureml://registries/azureml/models/Phi-4-mini-instruct/versions/7"


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


# --- finetune_job.py, on the fake workspace ----------------------------------------


@pytest.fixture
def base_model(workspace):
    """The catalog model the snippet looks up (registry and workspace share the fake's store)."""
    model = Model(name="Phi-4-mini-instruct", version="7", type="mlflow_model", path=BASE_MODEL_URI)
    workspace.add("models", model)
    return model


def test_registers_the_data_and_finds_the_base_model_in_the_registry(workspace, run_snippet, base_model, capsys):
    run_snippet("ch21_fine_tune_foundation_model/finetune_job.py")

    assets = {data.name: data for data in workspace.created("data")}
    assert set(assets) == {"study-buddy-train", "study-buddy-validation"}
    assert Path(assets["study-buddy-train"].path).name == "train.jsonl"  # the SDK resolves it to absolute
    assert Path(assets["study-buddy-validation"].path).name == "validation.jsonl"
    assert {(data.type, data.version) for data in assets.values()} == {("uri_file", "1")}

    (lookup,) = workspace.sent("models", "get")
    assert lookup.args == ("Phi-4-mini-instruct",) and lookup.kwargs == {"label": "latest"}
    assert workspace.registries == ["azureml"]
    assert f"Base model: {BASE_MODEL_URI}" in capsys.readouterr().out


def test_sends_a_chat_completion_fine_tuning_job(workspace, run_snippet, base_model):
    returned = run_snippet("ch21_fine_tune_foundation_model/finetune_job.py")["returned_job"]

    (job,) = workspace.created("jobs")
    assert isinstance(job, CustomModelFineTuningJob)
    assert job.type == "finetuning" and job.model_provider == "Custom"
    assert job.task == "chatCompletion"  # the SDK lower-cases the first letter of "ChatCompletion"
    assert (job.model.type, job.model.path) == ("mlflow_model", BASE_MODEL_URI)
    assert (job.training_data.type, job.training_data.path) == ("uri_file", "azureml:study-buddy-train:1")
    assert (job.validation_data.type, job.validation_data.path) == ("uri_file", "azureml:study-buddy-validation:1")
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

    # what the fake stored after the SDK's own dump and load
    stored = workspace.get("jobs", returned.name)
    assert isinstance(stored, CustomModelFineTuningJob)
    assert stored.task == "chatCompletion"
    assert stored.model.path == BASE_MODEL_URI
    assert stored.training_data.path.endswith("study-buddy-train:1")
    assert stored.resources.instance_types == ["Standard_NC24ads_A100_v4"]
    assert stored.outputs["registered_model"].name == "phi-4-mini-study-buddy"


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


# --- deploy_finetuned_model.py, on the fake workspace -------------------------------


def test_deploys_the_registered_model_to_an_online_endpoint(workspace, run_snippet):
    workspace.add("models", Model(name="phi-4-mini-study-buddy", version="1", type="mlflow_model", path="model"))

    run_snippet("ch21_fine_tune_foundation_model/deploy_finetuned_model.py")

    assert len(workspace.created("online_endpoints")) == 2  # created, then updated with traffic
    first, last = workspace.store["online_endpoints"]["study-buddy-chat"]  # the state after each call
    assert (first.auth_mode, first.traffic) == ("key", {})
    assert last.traffic == {"phi4mini-ft": 100}
    (deployment,) = workspace.created("online_deployments")
    assert deployment.endpoint_name == "study-buddy-chat"
    assert deployment.model == "azureml:phi-4-mini-study-buddy:1"
    assert (deployment.instance_type, deployment.instance_count) == ("Standard_NC24ads_A100_v4", 1)
    assert deployment.request_settings.request_timeout_ms == 90000
    assert deployment.environment is None and deployment.code_configuration is None
