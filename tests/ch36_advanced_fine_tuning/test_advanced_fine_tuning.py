"""Chapter 36: the training-file rules, run for real; synthetic conversations from azure-ai-evaluation's
Simulator (chapter 33's declared environment) against the loopback model; curation (deduplication,
filtering, a reproducible split) for real and the data assets through the fake workspace; fine-tuning
jobs through the fake resource's files and fine-tuning routes; a fine-tuned deployment scored against
its base with F1ScoreEvaluator."""

import hashlib
import json
import re
import runpy
import shutil
import string
from collections import Counter
from pathlib import Path

import pytest
from openai import AuthenticationError, BadRequestError, OpenAI

from tests.conftest import SNIPPETS
from tests.fake_azure import chat_answers, chat_fine_tuning, chat_simulator, job_envs
from tests.fake_azure.chat_model import ChatModel, Deployment
from tests.fake_azure.install import token_for

FOLDER = SNIPPETS / "ch36_advanced_fine_tuning"
# Chapter 33 declares the evaluation environment; this chapter runs in the same one (one venv for all).
EVALUATION = job_envs.from_requirements_file(SNIPPETS / "ch33_evaluate_genai_apps" / "requirements.txt")
GUIDE = (FOLDER / "study_guide.txt").read_text()
SCOPE = "https://cognitiveservices.azure.com/.default"


def in_evaluation_env(model: ChatModel, args: list[str], cwd: Path):
    env = {**model.identity_env(), "AZURE_OPENAI_ENDPOINT": model.endpoint}
    done = job_envs.run_script(EVALUATION, args, env=env, cwd=cwd, timeout=600)
    assert done.returncode == 0, done.stderr[-3000:]
    return done


def rows(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines()]


@pytest.fixture(scope="module")
def resource():
    """One fake Foundry resource for the tests whose job requests are all refused (no job is created)."""
    model = ChatModel()
    yield model
    model.close()


# --- synthetic data: the simulator ---------------------------------------------------------------


@pytest.fixture(scope="module")
def simulation(tmp_path_factory):
    """simulate_conversations.py, run once in the evaluation environment: its folder and requests."""
    model = ChatModel()
    folder = tmp_path_factory.mktemp("simulation")
    shutil.copy(FOLDER / "study_guide.txt", folder)
    done = in_evaluation_env(model, [str(FOLDER / "simulate_conversations.py")], cwd=folder)
    model.close()
    return folder, model.requests, done.stdout


def test_the_simulator_writes_one_conversation_per_question(simulation):
    folder, _, out = simulation
    conversations = rows(folder / "simulated.jsonl")
    assert out.strip().endswith(f"simulated.jsonl: {len(conversations)} conversations")
    assert len(conversations) == 20  # num_queries: task-free mode makes one conversation per question
    for conversation in conversations:
        assert [m["role"] for m in conversation["messages"]] == ["user", "assistant"]  # one turn each
        assert conversation["context"]["query"] == conversation["messages"][0]["content"]
        assert conversation["context"]["original_text"] == GUIDE
        assert conversation["$schema"] == "http://azureml/sdk-2-0/ChatConversation.json"


def test_the_questions_and_answers_come_from_the_text(simulation):
    folder, _, _ = simulation
    for conversation in rows(folder / "simulated.jsonl"):
        expected = conversation["context"]["expected_response"]
        assert expected in GUIDE and len(expected.split()) <= 5  # the prompt: at most 5 words, from the text
        assert conversation["context"]["query"].endswith("?")


def test_the_simulator_asks_its_model_once_and_the_app_once_per_question(simulation):
    _, requests, _ = simulation
    asked = Counter(request["deployment"] for request in requests)
    assert asked == {"gpt-4.1": 1, "gpt-4.1-mini": 20}  # the quiz prompt, then the app under simulation
    (quiz,) = [r for r in requests if r["deployment"] == "gpt-4.1"]
    assert quiz["response_format"] == {"type": "json_object"}
    assert GUIDE.strip() in quiz["messages"][0]["content"]
    assert quiz["messages"][0]["content"].rstrip().endswith("Output with 20 QnAs:")
    app = [r for r in requests if r["deployment"] == "gpt-4.1-mini"]
    assert all(r["messages"][0]["content"].endswith(f"Context:\n{GUIDE}") for r in app)


# --- curation and the data assets --------------------------------------------------------------------


def normalised(text: str) -> str:
    return " ".join(text.lower().split())


@pytest.fixture
def simulated(simulation, tmp_path) -> Path:
    """The reader's folder (the snippets' copy run_snippet makes) with what the simulator wrote in it."""
    folder = tmp_path / FOLDER.name
    shutil.copytree(FOLDER, folder)
    shutil.copy(SNIPPETS / "config.json", folder)
    shutil.copy(simulation[0] / "simulated.jsonl", folder)
    return folder / "simulated.jsonl"


@pytest.fixture
def curated(simulated, workspace, run_snippet, capsys):
    run_snippet("ch36_advanced_fine_tuning/curate_and_register.py")
    return simulated.parent, capsys.readouterr().out


def test_duplicates_are_dropped_and_the_rest_split_without_overlap(curated):
    folder, out = curated
    simulated = rows(folder / "simulated.jsonl")
    unique = {normalised(c["messages"][0]["content"]) for c in simulated}
    train, validation = rows(folder / "train.jsonl"), rows(folder / "validation.jsonl")
    questions = [normalised(r["messages"][1]["content"]) for r in train + validation]
    assert sorted(questions) == sorted(unique)  # every question once: nothing else was dropped
    assert len(validation) == round(len(unique) * 0.2)
    assert f"dropped {{'duplicate': {len(simulated) - len(unique)}}}" in out
    assert len(train) >= chat_fine_tuning.MIN_TRAINING_EXAMPLES  # enough for Azure to start a job
    for row in train + validation:
        assert row["messages"][0]["role"] == "system"  # the app's own system message, learnt with the answers
        assert chat_fine_tuning.row_problem("supervised", row) is None
        assert all(set(m) == {"role", "content"} for m in row["messages"])  # the simulator's extras are gone


def test_the_split_does_not_depend_on_the_order_of_the_rows(curated, run_snippet, tmp_path):
    folder, _ = curated
    first = {split: (folder / f"{split}.jsonl").read_bytes() for split in ("train", "validation")}
    lines = (folder / "simulated.jsonl").read_text().splitlines(keepends=True)
    (folder / "reversed.jsonl").write_text("".join(reversed(lines)))
    run_snippet("ch36_advanced_fine_tuning/curate_and_register.py", "reversed.jsonl")
    assert {split: (folder / f"{split}.jsonl").read_bytes() for split in first} == first


def test_each_split_is_a_versioned_data_asset_with_its_lineage(curated, workspace):
    folder, out = curated
    for split in ("train", "validation"):
        asset = workspace.get("data", f"study-assistant-sft-{split}", version="1")
        content = (folder / f"{split}.jsonl").read_bytes()
        assert asset.type == "uri_file"
        # the SDK uploads the file into the workspace's default datastore, in a folder named by its hash
        assert re.match(rf"^azureml://datastores/workspaceblobstore/paths/LocalUpload/[0-9a-f]+/{split}\.jsonl$",
                        asset.path)
        (uploaded,) = [b for key, b in workspace.azure.blobs.blobs.items() if key.endswith(f"/{split}.jsonl")]
        assert uploaded == content
        assert asset.tags["sha256"] == hashlib.sha256(content).hexdigest()
        assert asset.tags["source_sha256"] == hashlib.sha256((folder / "simulated.jsonl").read_bytes()).hexdigest()
        assert int(asset.tags["rows"]) == len(rows(folder / f"{split}.jsonl"))
        assert f"registered study-assistant-sft-{split}:1\n" in out


def test_the_same_data_gets_no_new_version_and_changed_data_the_next(curated, workspace, run_snippet, capsys):
    folder, _ = curated
    run_snippet("ch36_advanced_fine_tuning/curate_and_register.py")
    assert "study-assistant-sft-train:1 already holds this data" in capsys.readouterr().out
    assert [d.version for d in workspace.all("data", name="study-assistant-sft-train")] == ["1"]
    lines = (folder / "simulated.jsonl").read_text().splitlines(keepends=True)
    asked = Counter(normalised(json.loads(line)["messages"][0]["content"]) for line in lines)
    once = next(i for i, line in enumerate(lines) if asked[normalised(json.loads(line)["messages"][0]["content"])] == 1)
    (folder / "fewer.jsonl").write_text("".join(lines[:once] + lines[once + 1:]))  # a question less
    run_snippet("ch36_advanced_fine_tuning/curate_and_register.py", "fewer.jsonl")
    latest = {split: workspace.get("data", f"study-assistant-sft-{split}", label="latest")
              for split in ("train", "validation")}
    assert "2" in {asset.version for asset in latest.values()}  # a changed split is a new version
    for split, asset in latest.items():  # the latest version of each split holds the files just written
        assert asset.tags["sha256"] == hashlib.sha256((folder / f"{split}.jsonl").read_bytes()).hexdigest()
    assert workspace.get("data", "study-assistant-sft-train", version="1").tags["rows"]  # version 1 stays


def conversation(question: str, answer: str, expected: str) -> str:
    return json.dumps({"messages": [{"role": "user", "content": question}, {"role": "assistant", "content": answer}],
                       "context": {"expected_response": expected}}) + "\n"


def test_the_filter_drops_ungrounded_empty_and_long_answers(workspace, run_snippet, capsys, tmp_path):
    folder = tmp_path / "mine"
    folder.mkdir()
    good = [conversation(f"Question {i}?", f"Answer {i} is here.", f"Answer {i}") for i in range(12)]
    bad = [conversation("Which size?", "It does not say.", "512 MB"),  # misses the fact asked about
           conversation("Empty?", "  ", "x"),
           conversation("Long?", "word " * 61 + "fact", "fact")]
    (folder / "mine.jsonl").write_text("".join(good + bad))
    run_snippet("ch36_advanced_fine_tuning/curate_and_register.py", str(folder / "mine.jsonl"))
    assert ("12 kept (10 train, 2 validation); dropped {'answer misses the fact the question was written from': 1, "
            "'empty answer': 1, 'answer too long for the one-sentence style': 1}") in capsys.readouterr().out


# --- the training-file rules -------------------------------------------------------------------------

SYSTEM = {"role": "system", "content": "Answer briefly."}
USER = {"role": "user", "content": "What is LoRA?"}
ASSISTANT = {"role": "assistant", "content": "Low-rank adaptation."}
PAIR = {"input": {"messages": [SYSTEM, USER]}, "preferred_output": [ASSISTANT],
        "non_preferred_output": [{"role": "assistant", "content": "No idea."}]}
# (method, row, valid): each from a rule of Azure's fine-tuning pages (see chat_fine_tuning.py).
ROWS = [
    ("supervised", {"messages": [SYSTEM, USER, ASSISTANT]}, True),
    ("supervised", {"messages": [USER, {**ASSISTANT, "weight": 0}, USER, {**ASSISTANT, "weight": 1}]}, True),
    ("supervised", {"messages": [SYSTEM, USER]}, False),  # nothing to learn
    ("supervised", {"messages": [USER, {**ASSISTANT, "weight": 2}]}, False),
    ("supervised", {"messages": [{**USER, "weight": 1}, ASSISTANT]}, False),
    ("supervised", {"messages": [USER, {"role": "bot", "content": "Hi"}]}, False),
    ("supervised", {"prompt": "What is LoRA?", "completion": "Low-rank adaptation."}, False),  # the legacy format
    ("supervised", PAIR, False),
    ("dpo", PAIR, True),
    ("dpo", {**PAIR, "preferred_output": [{"role": "tool", "content": "{}"}, ASSISTANT]}, True),
    ("dpo", {key: value for key, value in PAIR.items() if key != "non_preferred_output"}, False),
    ("dpo", {**PAIR, "non_preferred_output": [USER, ASSISTANT]}, False),
    ("dpo", {**PAIR, "input": {"messages": []}}, False),
    ("dpo", {"messages": [SYSTEM, USER, ASSISTANT]}, False),
    ("reinforcement", {"messages": [{"role": "developer", "content": "Solve it."}, USER], "solution": "x"}, True),
    ("reinforcement", {"messages": [USER, ASSISTANT]}, False),
    ("reinforcement", {"messages": "What is LoRA?"}, False),
]


@pytest.fixture(scope="module")
def validator() -> dict:
    return runpy.run_path(str(FOLDER / "validate_training_file.py"))


@pytest.mark.parametrize(("method", "row", "valid"), ROWS)
def test_the_validator_and_azure_agree_on_each_rule(validator, method, row, valid):
    assert (validator["RULES"][method](row) is None) == valid
    assert (chat_fine_tuning.row_problem(method, row) is None) == valid


def write_rows(path: Path, many: list[dict], prefix: bytes = b"") -> Path:
    path.write_bytes(prefix + "".join(json.dumps(row) + "\n" for row in many).encode())
    return path


def test_the_preference_file_passes_and_a_bad_file_names_its_lines(run_snippet, capsys, tmp_path):
    run_snippet("ch36_advanced_fine_tuning/validate_training_file.py", "dpo", "preferences.jsonl")
    assert capsys.readouterr().out == f"preferences.jsonl: {len(rows(FOLDER / 'preferences.jsonl'))} dpo examples, " \
                                      "all valid\n"
    bad = write_rows(tmp_path / "bad.jsonl", [PAIR] * 9 + [{**PAIR, "preferred_output": []}])
    bad.write_text(bad.read_text() + "{not json\n")
    with pytest.raises(SystemExit) as exit_code:
        run_snippet("ch36_advanced_fine_tuning/validate_training_file.py", "dpo", str(bad))
    assert exit_code.value.code == 1
    assert capsys.readouterr().out.splitlines() == [
        "bad.jsonl: line 10: preferred_output needs an assistant message",
        "bad.jsonl: line 11: not JSON (Expecting property name enclosed in double quotes)",
    ]


def test_a_byte_order_mark_is_allowed_but_few_rows_another_encoding_or_512_mb_are_not(validator, tmp_path):
    sft = {"messages": [USER, ASSISTANT]}
    marked = write_rows(tmp_path / "bom.jsonl", [sft] * 10, prefix="\ufeff".encode())
    assert validator["file_problems"](marked, "supervised") == (10, [])
    few = write_rows(tmp_path / "few.jsonl", [sft] * 9)
    assert validator["file_problems"](few, "supervised") == (9, ["9 examples; a training file needs at least 10"])
    latin = tmp_path / "latin.jsonl"
    latin.write_bytes(json.dumps(sft, ensure_ascii=False).replace("LoRA", "LoRÀ").encode("latin-1"))
    assert validator["file_problems"](latin, "supervised") == (0, ["the file is not UTF-8"])
    huge = tmp_path / "huge.jsonl"
    with huge.open("wb") as file:
        file.truncate(chat_fine_tuning.MAX_FILE_BYTES)  # sparse: 512 MB long, nothing written
    assert validator["file_problems"](huge, "supervised") == (0, ["the file must be smaller than 512 MB"])


# --- fine-tuning jobs through the fake resource ------------------------------------------------------


def test_supervised_then_preference_tuning_of_the_curated_data(curated, chat_model, run_snippet, monkeypatch,
                                                               capsys):
    folder, _ = curated
    waits = []
    monkeypatch.setattr("time.sleep", waits.append)
    run_snippet("ch36_advanced_fine_tuning/submit_fine_tuning.py")
    files = chat_model.tuning.files
    assert {f["purpose"] for f in files.values()} == {"fine-tune"}
    uploaded = {f["filename"]: chat_model.tuning.contents[i] for i, f in files.items()}
    assert uploaded == {name: (folder / name).read_bytes()
                        for name in ("train.jsonl", "validation.jsonl", "preferences.jsonl")}
    supervised, preference = chat_model.tuning.jobs.values()
    assert (supervised["model"], supervised["method"]["type"]) == ("gpt-4.1-mini-2025-04-14", "supervised")
    assert "supervised" in chat_fine_tuning.BASE_MODELS[supervised["model"]]
    assert files[supervised["training_file"]]["filename"] == "train.jsonl"
    assert files[supervised["validation_file"]]["filename"] == "validation.jsonl"
    # Azure names a fine-tuned model <base>.ft-<job>; DPO starts from it, as its base takes DPO too
    assert supervised["fine_tuned_model"] == f"gpt-4.1-mini-2025-04-14.ft-{supervised['id'].removeprefix('ftjob-')}"
    assert (preference["model"], preference["method"]["type"]) == (supervised["fine_tuned_model"], "dpo")
    assert preference["method"]["dpo"]["hyperparameters"]["beta"] > 0
    assert supervised["status"] == preference["status"] == "succeeded"
    assert waits == [60] * 4  # pending, running: two polls a job, a minute apart
    out = capsys.readouterr().out.splitlines()
    assert out == [f"{job['id']}: succeeded, model {job['fine_tuned_model']}" for job in (supervised, preference)]


@pytest.fixture(scope="module")
def tuning(resource):
    client = OpenAI(base_url=f"{resource.endpoint}/openai/v1/", api_key=lambda: token_for([SCOPE]).token)
    good = "".join(json.dumps({"messages": [USER, ASSISTANT]}) + "\n" for _ in range(10)).encode()
    return client, client.files.create(file=("train.jsonl", good), purpose="fine-tune").id


@pytest.mark.parametrize(("request_body", "refusal"), [
    ({"model": "gpt-4o-mini-2024-07-18", "method": {"type": "dpo"}}, "does not support dpo fine-tuning"),
    ({"model": "o4-mini-2025-04-16"}, "does not support supervised fine-tuning"),  # RFT only
    ({"model": "gpt-4.1-mini"}, "cannot be fine-tuned here"),  # a dated version is needed
    ({"model": "gpt-4.1-mini-2025-04-14.ft-" + "0" * 32}, "no succeeded fine-tuning job made"),
    ({"method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 51}}}}, "out of range (1-50)"),
    ({"method": {"type": "supervised", "supervised": {"hyperparameters": {"n_epochs": 0}}}}, "out of range"),
    ({"method": {"type": "supervised", "supervised": {"hyperparameters": {"beta": 0.1}}}},
     "['beta'] are not hyperparameters of supervised"),
    ({"method": {"type": "supervised", "supervised": {"hyperparameters": {"learning_rate_multiplier": -1}}}},
     "learning_rate_multiplier=-1 is out of range"),
    ({"method": {"type": "dpo", "dpo": {"hyperparameters": {"batch_size": 1.5}}}}, "batch_size must be an integer"),
    ({"method": {"type": "dpo"}}, "training_file line 1: input.messages is missing (dpo)"),
    ({"suffix": "study-assistant-tone"}, "a suffix has at most 18 characters"),  # chat rows for DPO
    ({"model": "o4-mini-2025-04-16", "method": {"type": "reinforcement"}}, "needs a grader"),
    ({"model": "o4-mini-2025-04-16", "method": {"type": "reinforcement", "reinforcement": {
        "grader": {"type": "string_check"}}}}, "needs a validation file"),
])
def test_azure_refuses_what_its_fine_tuning_rules_do_not_allow(tuning, request_body, refusal):
    client, training = tuning
    arguments = {"model": "gpt-4.1-mini-2025-04-14", "training_file": training, **request_body}
    with pytest.raises(BadRequestError, match=re.escape(refusal)):
        client.fine_tuning.jobs.create(**arguments)


def test_files_need_the_fine_tune_purpose_valid_jsonl_and_ten_examples(tuning):
    client, _ = tuning
    with pytest.raises(BadRequestError, match="line 2 is not JSON"):
        client.files.create(file=("broken.jsonl", b'{"messages": []}\n{oops\n'), purpose="fine-tune")
    other = client.files.create(file=("notes.jsonl", b"{}\n"), purpose="assistants")
    with pytest.raises(BadRequestError, match="was uploaded for 'assistants', not fine-tune"):
        client.fine_tuning.jobs.create(model="gpt-4.1-mini-2025-04-14", training_file=other.id)
    nine = "".join(json.dumps({"messages": [USER, ASSISTANT]}) + "\n" for _ in range(9)).encode()
    few = client.files.create(file=("few.jsonl", nine), purpose="fine-tune")
    with pytest.raises(BadRequestError, match="has 9 examples; at least 10"):
        client.fine_tuning.jobs.create(model="gpt-4.1-mini-2025-04-14", training_file=few.id)
    with pytest.raises(BadRequestError, match="purpose must be one of"):
        client.files.create(file=("x.jsonl", b"{}\n"), purpose="training")


def test_the_fine_tuning_routes_take_entra_tokens_only(resource):
    keyed = OpenAI(base_url=f"{resource.endpoint}/openai/v1/", api_key="k", default_headers={"api-key": "k"})
    with pytest.raises(AuthenticationError, match="Key based authentication is disabled"):
        keyed.fine_tuning.jobs.retrieve("ftjob-x")
    anonymous = OpenAI(base_url=f"{resource.endpoint}/openai/v1/", api_key="not-a-token")
    with pytest.raises(AuthenticationError, match="Microsoft Entra ID token"):
        anonymous.files.retrieve("file-x")


# --- the fine-tuned deployment against its base ------------------------------------------------------


def f1(answer: str, reference: str) -> float:
    """SQuAD's token F1 (lower case, no punctuation or articles), written here independently."""
    def tokens(text):
        text = "".join(ch for ch in text.lower() if ch not in string.punctuation)
        return re.sub(r"\b(a|an|the)\b", " ", text).split()
    ours, theirs = tokens(answer), tokens(reference)
    common = sum((Counter(ours) & Counter(theirs)).values())
    if not common:
        return 0.0
    precision, recall = common / len(ours), common / len(theirs)
    return 2 * precision * recall / (precision + recall)


def test_the_candidate_is_promoted_only_if_it_beats_its_base(curated, chat_model):
    folder, _ = curated
    # What the reader deployed: the fine-tuned model to a dev deployment (its base, gpt-4.1-mini, is the
    # app's model, which chapter 30's Bicep deploys).
    chat_model.deployments["study-assistant-dev"] = Deployment("gpt-4.1-mini-2025-04-14.ft-" + "a" * 32, "1")
    done = in_evaluation_env(chat_model, [str(FOLDER / "compare_with_base.py"), "study-assistant-dev", "gpt-4.1-mini"],
                             cwd=folder)
    report = json.loads((folder / "comparison.json").read_text())
    held_out = rows(folder / "validation.jsonl")
    assert report["examples"] == len(held_out)
    expected = [f1(chat_answers.assistant(r["messages"][:-1], {}), r["messages"][-1]["content"]) for r in held_out]
    # The stand-in model answers every deployment alike, so the candidate gains nothing and is not promoted.
    assert report["mean_f1"]["study-assistant-dev"] == pytest.approx(sum(expected) / len(expected))
    assert report["mean_f1"]["gpt-4.1-mini"] == report["mean_f1"]["study-assistant-dev"]
    assert (report["gain"], report["regressions"], report["promote"]) == (0, 0, False)
    assert done.stdout.splitlines()[-1] == "keep gpt-4.1-mini: gain +0.000, 0 regressions"
    asked = [r for r in chat_model.requests if r["operation"] == "chat/completions"]
    assert Counter(r["deployment"] for r in asked) == {"study-assistant-dev": len(held_out),
                                                       "gpt-4.1-mini": len(held_out)}
    assert all(r["temperature"] == 0 for r in asked)


# --- what the page warns about: azure-ai-evaluation 1.18.10 without promptflow -----------------------

QUIRKS = """
import asyncio, importlib.resources, json, os
from azure.ai.evaluation._common.utils import construct_prompty_model_config
from azure.ai.evaluation._legacy._adapters._flows import AsyncPrompty
from azure.ai.evaluation.simulator import Simulator

config = {"azure_endpoint": os.environ["AZURE_OPENAI_ENDPOINT"], "azure_deployment": "gpt-4.1",
          "api_version": "2024-10-21", "type": "azure_openai"}
quiz = importlib.resources.files("azure.ai.evaluation.simulator._prompty") / "task_query_response.prompty"
flow = AsyncPrompty.load(source=quiz, model=construct_prompty_model_config(config, "2024-06-01", ""))
result = asyncio.run(flow(text="LoRA trains 2 small matrices per layer.", num_queries=1))
print(json.dumps({"runner": AsyncPrompty.__module__, "first_key": next(iter(result))}))

async def target(messages, stream=False, session_state=None, context=None):
    answer = {"role": "assistant", "content": "Two."}
    return {"messages": [*messages["messages"], answer]}

try:
    asyncio.run(Simulator(model_config=config)(
        target=target, text="LoRA trains 2 small matrices per layer.", num_queries=1,
        max_conversation_turns=2, api_call_delay_sec=0))
except KeyError as error:
    print(json.dumps({"second_turn": f"KeyError: {error}"}))
"""


def test_without_promptflow_the_simulator_reads_a_wrapped_answer_and_cannot_take_a_second_turn(tmp_path):
    model = ChatModel()
    try:
        done = in_evaluation_env(model, ["-c", QUIRKS], cwd=tmp_path)
    finally:
        model.close()
    wrapped, second_turn = (json.loads(line) for line in done.stdout.splitlines()[-2:])
    # The package's own prompty runner (no promptflow in the environment) wraps the parsed answer,
    # and Simulator._generate_query_responses takes the dict's first value: the wrapper's content.
    assert wrapped == {"runner": "azure.ai.evaluation._legacy.prompty._prompty", "first_key": "llm_output"}
    assert second_turn == {"second_turn": "KeyError: 'content'"}
    # ... though the model answered the user-simulator prompt as it asks, with the target's answer in view
    (asked,) = [r for r in model.requests if r["messages"][0]["content"].startswith(chat_simulator.USER)]
    assert "{'role': 'assistant', 'content': 'Two.'" in asked["messages"][0]["content"]
    assert json.loads(chat_simulator.respond(asked["messages"], asked)) == {
        "content": "Can you tell me more about Two?", "role": "user"}
