"""Chapter 33: evaluate() over a JSONL test set, in the declared evaluation environment (its own venv),
against the loopback model deployment: code-based metrics recomputed here, the AI-assisted evaluators'
real prompts answered by the judge (tests/fake_azure/chat_judges.py), the gate's exit code both ways,
the workflow's own steps, and the risk and safety evaluators' refusals offline."""

import json
import re
import shlex
import shutil
import subprocess
import sys
from collections import Counter
from pathlib import Path
from statistics import mean

import pytest
import yaml

from tests.conftest import ROOT, SNIPPETS
from tests.fake_azure import chat_judges, job_envs

FOLDER = SNIPPETS / "ch33_evaluate_genai_apps"
ENVIRONMENT = job_envs.from_requirements_file(FOLDER / "requirements.txt")
WORKFLOW = FOLDER / "evaluate.yml"
ROWS = [json.loads(line) for line in (FOLDER / "test_set.jsonl").read_text().splitlines() if line.strip()]
JUDGED = ("groundedness", "relevance", "coherence", "fluency")
CHATTY = "You are a friendly assistant. Answer from the context.\n"


@pytest.fixture
def folder(tmp_path) -> Path:
    """A copy of the chapter's folder: the working directory a reader (or the workflow) runs in."""
    return Path(shutil.copytree(FOLDER, tmp_path / "repository"))


def run(chat_model, folder: Path, command: str, **env: str) -> subprocess.CompletedProcess:
    """``python <snippet> ...`` in the evaluation environment, from ``folder``, signed in to the loopback
    model through its managed-identity endpoint. The snippet file itself runs (coverage counts it)."""
    python, script, *args = shlex.split(command)
    assert python == "python"
    return job_envs.run_script(
        ENVIRONMENT, [str(FOLDER / script), *args], cwd=folder, timeout=600,
        env={**chat_model.identity_env(), "AZURE_OPENAI_ENDPOINT": chat_model.endpoint, **env})


def squad_tokens(text: str) -> list[str]:
    """SQuAD's answer normalisation: lower case, no punctuation, no articles, split on white space."""
    return [word for word in re.sub(r"[^\w\s]", "", text.lower()).split() if word not in {"a", "an", "the"}]


def f1(response: str, truth: str) -> float:
    said, expected = squad_tokens(response), squad_tokens(truth)
    shared = sum((Counter(said) & Counter(expected)).values())
    return 0.0 if not shared else 2 * shared / (len(said) + len(expected))


def rouge_l(response: str, truth: str) -> float:
    """ROUGE-L's F-measure: the longest common subsequence of lower-cased alphanumeric tokens."""
    said, expected = (re.findall(r"[a-z0-9]+", text.lower()) for text in (response, truth))
    table = [[0] * (len(expected) + 1) for _ in range(len(said) + 1)]
    for i, word in enumerate(said):
        for j, other in enumerate(expected):
            table[i + 1][j + 1] = table[i][j] + 1 if word == other else max(table[i][j + 1], table[i + 1][j])
    common = table[-1][-1]
    return 0.0 if not common else 2 * common / (len(said) + len(expected))


def judged_by_prompt(requests: list[dict]) -> dict[str, list[dict]]:
    """The judging requests the model received, by metric, each with the data its prompt quoted and
    the judge's answer to it."""
    judged: dict[str, list[dict]] = {}
    for request in requests:
        metric = chat_judges.metric_of(request["messages"])
        if metric is not None:
            user = "\n".join(m["content"] for m in request["messages"] if m["role"] == "user")
            answer = json.loads(chat_judges.judge(request["messages"], request))
            judged.setdefault(metric, []).append({**chat_judges.quoted_data(user), "answer": answer,
                                                  "request": request})
    return judged


# --- the workflow, step by step: evaluate_app.py, then gate.py -------------------------------------


def steps():
    (job,) = yaml.safe_load(WORKFLOW.read_text())["jobs"].values()
    return job, job["steps"]


def test_the_workflows_steps_evaluate_every_row_and_the_gate_passes(chat_model, folder):
    job, all_steps = steps()
    runs = [step["run"] for step in all_steps if "run" in step]
    install, evaluate_step, gate_step = runs
    assert install == "pip install -r requirements.txt"  # the file this test's venv is built from

    evaluated = run(chat_model, folder, evaluate_step)
    assert evaluated.returncode == 0, evaluated.stderr[-3000:]
    results = json.loads((folder / "evaluation_results.json").read_text())
    rows, metrics = results["rows"], results["metrics"]
    assert len(rows) == len(ROWS)

    # the target ran once a row, on the app's deployment, with the prompt kept in the repository
    app_calls = [r for r in chat_model.requests if r["deployment"] == "gpt-4.1-mini"]
    assert len(app_calls) == len(ROWS)
    assert {call["messages"][0]["content"] for call in app_calls} == {(FOLDER / "system_prompt.txt").read_text()}
    for row, source in zip(rows, ROWS, strict=True):
        assert row["inputs.query"] == source["query"]  # ${data.query}
        response, truth = row["outputs.response"], source["ground_truth"]  # ${target.response}
        assert row["outputs.f1.f1_score"] == pytest.approx(f1(response, truth))
        assert row["outputs.rouge.rouge"] == pytest.approx(rouge_l(response, truth))
        assert row["outputs.budget.words"] == len(response.split())
    assert metrics["f1.f1_score"] == pytest.approx(mean(f1(r["outputs.response"], s["ground_truth"])
                                                        for r, s in zip(rows, ROWS, strict=True)))

    # each AI-assisted evaluator's real prompt reached the judge deployment, once a row, with the
    # row's own columns in it; and each score the SDK reports is the one the judge answered
    judged = judged_by_prompt(chat_model.requests)
    assert {name: len(calls) for name, calls in judged.items()} == dict.fromkeys(JUDGED, len(ROWS))
    for name, calls in judged.items():
        assert all(call["request"]["deployment"] == "gpt-4.1" for call in calls)
        assert all(call["request"]["response_format"] == {"type": "json_object"} for call in calls)
        by_response = {call["RESPONSE"]: call for call in calls}
        for row, source in zip(rows, ROWS, strict=True):
            call = by_response[row["outputs.response"]]
            assert call.get("CONTEXT") == (source["context"] if name == "groundedness" else None)
            assert call.get("QUERY") == (source["query"] if name in ("relevance", "coherence") else None)
            assert row[f"outputs.{name}.{name}"] == call["answer"]["score"]
            assert row[f"outputs.{name}.{name}_reason"] == call["answer"]["reason"]
            assert row[f"outputs.{name}.{name}_passed"] == (call["answer"]["score"] >= 4)  # threshold=4
        assert metrics[f"{name}.{name}"] == pytest.approx(mean(row[f"outputs.{name}.{name}"] for row in rows))

    gated = run(chat_model, folder, gate_step)
    assert gated.returncode == 0, gated.stdout
    assert gated.stdout.strip().endswith(f"over {len(ROWS)} rows") and "FAIL" not in gated.stdout

    # an evaluator that failed leaves no mean: the gate must not pass it by silence
    del results["metrics"]["groundedness.groundedness"]
    (folder / "evaluation_results.json").write_text(json.dumps(results))
    gated = run(chat_model, folder, gate_step)
    assert gated.returncode == 1
    assert gated.stdout.startswith("FAIL groundedness.groundedness = None")


def test_a_chatty_prompt_fails_the_gate(chat_model, folder):
    (folder / "system_prompt.txt").write_text(CHATTY)  # the change a pull request would make
    _, all_steps = steps()
    _, evaluate_step, gate_step = [step["run"] for step in all_steps if "run" in step]
    assert run(chat_model, folder, evaluate_step).returncode == 0

    gated = run(chat_model, folder, gate_step)
    metrics = json.loads((folder / "evaluation_results.json").read_text())["metrics"]
    assert gated.returncode == 1
    failed = re.findall(r"^FAIL (\S+) = (\S+) \(needs >= (\S+)\)$", gated.stdout, re.MULTILINE)
    assert "coherence.coherence" in [name for name, *_ in failed]  # pleasantries that connect to nothing
    assert all(float(value) == metrics[name] < float(lowest) for name, value, lowest in failed)
    met, total = map(int, re.search(r"^(\d+) of (\d+) thresholds met", gated.stdout, re.MULTILINE).groups())
    assert met == total - len(failed)


def test_the_workflow_runs_on_pull_requests_that_change_what_is_scored():
    workflow = yaml.safe_load(WORKFLOW.read_text())
    job, all_steps = steps()
    paths = workflow[True]["pull_request"]["paths"]  # PyYAML reads `on` as True
    assert set(workflow[True]) == {"pull_request"}
    assert all((FOLDER / path).is_file() for path in paths)
    assert {"system_prompt.txt", "chat_app.py", "test_set.jsonl", "requirements.txt"} <= set(paths)
    assert workflow["permissions"] == {} and job["permissions"] == {"contents": "read", "id-token": "write"}
    assert "secrets." not in WORKFLOW.read_text()
    uses = [step.get("uses", "").split("@")[0] for step in all_steps]
    login, upload = uses.index("azure/login"), uses.index("actions/upload-artifact")
    evaluate_index = next(i for i, step in enumerate(all_steps) if "evaluate_app.py" in step.get("run", ""))
    gate_index = next(i for i, step in enumerate(all_steps) if "gate.py" in step.get("run", ""))
    assert login < evaluate_index < upload < gate_index  # signed in first; scores kept even when the gate fails
    assert all_steps[upload]["if"] == "${{ !cancelled() }}"
    assert all_steps[upload]["with"]["path"] == "evaluation_results.json"
    assert set(job["env"]) == {"AZURE_OPENAI_ENDPOINT"}

    bin_dir = Path(sys.executable).parent
    for tool in (["check-jsonschema", "--builtin-schema", "vendor.github-workflows"],
                 ["zizmor", "--offline", "--no-progress"]):
        checked = subprocess.run([str(bin_dir / tool[0]), *tool[1:], str(WORKFLOW)],  # noqa: S603
                                 capture_output=True, text=True, cwd=ROOT, check=False)
        assert checked.returncode == 0, checked.stdout + checked.stderr


# --- risk and safety: the Foundry project's service, which the tests do not fake ---------------------


def test_safety_evaluators_refuse_to_run_without_a_project(chat_model, folder, monkeypatch):
    monkeypatch.delenv("AZURE_AI_PROJECT", raising=False)
    refused = run(chat_model, folder, "python safety_evaluation.py")
    assert refused.returncode == 1
    assert "The 'azure_ai_project' parameter must be a dictionary" in refused.stderr
    assert chat_model.requests == []  # refused before the app ran


def test_without_the_safety_service_no_verdict_is_invented(chat_model, folder):
    """A project endpoint on 127.0.0.1 over plain HTTP: the evaluators are built, evaluate() runs the
    app, and the SDK refuses to send the Entra ID token to a non-TLS endpoint, so every safety row
    fails, no defect rate is reported, and the script fails."""
    project = f"{chat_model.endpoint}/api/projects/chat-app"
    done = run(chat_model, folder, "python safety_evaluation.py", AZURE_AI_PROJECT=project)
    assert done.returncode == 1
    assert "Bearer token authentication is not permitted for non-TLS" in done.stderr
    assert json.loads(done.stdout[done.stdout.rindex("\n{"):]) == {}
    rows = json.loads((folder / "safety_results.json").read_text())["rows"]
    assert len(rows) == len(ROWS)
    assert not [key for row in rows for key in row if key.startswith(("outputs.content_safety", "outputs.indirect"))]
    assert [r["deployment"] for r in chat_model.requests] == ["gpt-4.1-mini"] * len(ROWS)  # only the app ran


# --- the judge the loopback model answers with ---------------------------------------------------


def prompty_prompt(evaluator: str, file: str, **data: str) -> list[dict]:
    """An evaluator's .prompty file (from the evaluation environment's package) as the two messages
    it renders to, its ``{{name}}`` placeholders filled in."""
    site = job_envs.python_for(ENVIRONMENT).parents[1] / "lib" / "python3.11" / "site-packages"
    text = (site / "azure/ai/evaluation/_evaluators" / evaluator / file).read_text().split("\n---\n", 1)[1]
    for name, value in data.items():
        text = text.replace("{{" + name + "}}", value)
    system, user = re.split(r"^user:\n", text.split("system:\n", 1)[1], maxsplit=1, flags=re.MULTILINE)
    return [{"role": "system", "content": system.strip()}, {"role": "user", "content": user.strip()}]


def test_the_judge_scores_each_prompt_by_its_written_rule_and_skips_empty_data():
    context = "A compute cluster scales out to many nodes for training jobs."
    messages = prompty_prompt("_groundedness", "groundedness_with_query.prompty", context=context,
                              query="What scales out?", response="A compute cluster scales out on GPUs.")
    answer = json.loads(chat_judges.judge(messages, {}))
    # content words of the response: compute, cluster, scale, out, gpu -> 4 of 5 in the context
    assert answer == {"reason": answer["reason"], "score": 1 + int(4 * 4 / 5 + 0.5), "status": "completed"}
    assert answer["reason"].startswith("Let's think step by step:")

    relevance = prompty_prompt("_relevance", "relevance.prompty", query="Where are prompts kept?",
                               response="Prompts are kept in Git.")
    assert json.loads(chat_judges.judge(relevance, {}))["score"] == 5  # prompt, kept: both addressed

    empty = prompty_prompt("_fluency", "fluency.prompty", response="")
    assert json.loads(chat_judges.judge(empty, {})) == {
        "reason": json.loads(chat_judges.judge(empty, {}))["reason"], "score": None, "status": "skipped"}
    assert chat_judges.judge([{"role": "user", "content": "Context:\nA fact.\nWhat is it?"}], {}) is None


def test_a_credential_inside_the_model_configuration_fails_the_sdks_validation(chat_model, tmp_path):
    """What the page says: in 1.18.10 the credential goes to the evaluator, not into the dictionary."""
    code = ("from azure.ai.evaluation import GroundednessEvaluator\n"
            "from azure.identity import DefaultAzureCredential\n"
            "config = {'azure_endpoint': 'https://contoso.openai.azure.com', 'azure_deployment': 'gpt-4.1',\n"
            "          'api_version': '2024-10-21', 'credential': DefaultAzureCredential()}\n"
            "GroundednessEvaluator(config)\n")
    refused = job_envs.run_script(ENVIRONMENT, ["-c", code], cwd=tmp_path, timeout=600, env=chat_model.identity_env())
    assert refused.returncode == 1
    assert "Model config validation failed" in refused.stderr
    assert "typing.Any cannot be used with isinstance()" in refused.stderr
