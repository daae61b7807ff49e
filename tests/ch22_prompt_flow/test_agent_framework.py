"""Chapter 22's successor part: the FAQ agent and workflow run for real with Microsoft Agent Framework,
in the venv that snippets/ch22_prompt_flow/agent/requirements.txt declares (its opentelemetry-api clashes
with the site's promptflow-tracing), against the loopback model deployment (tests/fake_azure/chat_model.py,
whose tool calls follow tests/fake_azure/chat_tools.py)."""

from __future__ import annotations

import ast
import json
import re

from tests.conftest import SNIPPETS
from tests.fake_azure import job_envs
from tests.fake_azure.chat_model import count_tokens, prompt_tokens

AGENT = SNIPPETS / "ch22_prompt_flow" / "agent"
FAQ_TOPICS = ("compute instance", "compute cluster", "data asset", "online endpoint")


def declared_environment() -> job_envs.Requirements:
    return job_envs.from_requirements_file(AGENT / "requirements.txt")


def run(script: str, tmp_path, chat_model) -> str:
    env = {**chat_model.identity_env(), "AZURE_OPENAI_ENDPOINT": chat_model.endpoint,
           "PYTHONDONTWRITEBYTECODE": "1"}  # the scripts import faq.py from the repository's folder
    done = job_envs.run_script(declared_environment(), [str(AGENT / script)], env=env, cwd=tmp_path, timeout=600)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_declared_environment_pins_every_package_it_names():
    requirements = declared_environment().pip
    assert all(re.fullmatch(r"[a-z0-9-]+==\d+(\.\d+)*", line) for line in requirements)
    assert {job_envs.name_of(line) for line in requirements} >= {"agent-framework-core", "azure-identity"}


def test_the_agent_calls_its_tool_and_answers_from_the_result(tmp_path, chat_model):
    printed = run("faq_agent.py", tmp_path, chat_model)
    chats = [r for r in chat_model.requests if r["operation"] == "chat/completions"]
    questions = re.findall(r"^Q: (.*)$", printed, re.M)
    answers = re.findall(r"^A: (.*)$", printed, re.M)
    assert len(questions) == 2 and len(chats) == 4  # per question: a call asked for, then the answer

    for number, question in enumerate(questions):
        asking, answering = chats[2 * number], chats[2 * number + 1]
        *_, call_message, result_message = answering["messages"]
        (call,) = call_message["tool_calls"]
        assert call["function"]["name"] == "look_up_faq"
        assert json.loads(call["function"]["arguments"]) == {"question": question}  # the fake fills it so
        assert result_message["role"] == "tool" and result_message["tool_call_id"] == call["id"]
        topic = next(t for t in FAQ_TOPICS if t in question.lower())  # the FAQ entry the question names
        assert result_message["content"].startswith(f"{topic}: ")
        assert answers[number] == result_message["content"]  # asked for brevity: the result, not chatter
        assert f"tool look_up_faq({{'question': {question!r}}})" in printed  # the middleware saw the call
        assert asking["messages"][-1] == {"role": "user", "content": question}


def test_the_request_follows_the_chat_completions_tool_calling_shape(tmp_path, chat_model):
    run("faq_agent.py", tmp_path, chat_model)
    first, answering, second_question, _ = chat_model.requests

    system, user = first["messages"]
    assert system["role"] == "system" and "FAQ tool" in system["content"]  # the agent's instructions
    assert (first["deployment"], first["tool_choice"]) == ("gpt-4.1-mini", "auto")
    (offered,) = first["tools"]
    assert offered["type"] == "function" and offered["function"]["name"] == "look_up_faq"
    parameters = offered["function"]["parameters"]  # the JSON schema of the function's signature
    assert parameters["type"] == "object" and parameters["required"] == ["question"]
    assert parameters["properties"]["question"]["type"] == "string"
    assert offered["function"]["description"] == docstring("faq_agent.py", "look_up_faq")
    assert (first["temperature"], first["max_completion_tokens"]) == (0.1, 300)  # default_options

    call_message = answering["messages"][2]
    assert call_message["role"] == "assistant" and not call_message.get("content")
    assert answering["messages"][:2] == [system, user]
    # the session keeps the first turn (question, call, result, answer) for the second question
    assert [essence(m) for m in second_question["messages"][:4]] == [essence(m) for m in answering["messages"]]
    assert [m["role"] for m in second_question["messages"][4:]] == ["assistant", "user"]


def docstring(script: str, function: str) -> str:
    tree = ast.parse((AGENT / script).read_text())
    return next(ast.get_docstring(node) for node in ast.walk(tree) if getattr(node, "name", "") == function)


def essence(message: dict) -> tuple:
    """What a message says (an agent's name on its history's assistant messages aside)."""
    return tuple(message.get(key) for key in ("role", "content", "tool_calls", "tool_call_id"))


def test_tracing_records_agent_model_and_tool_spans_with_token_usage(tmp_path, chat_model):
    printed = run("faq_agent.py", tmp_path, chat_model)
    spans = [(name, ast.literal_eval(used)) for name, used in
             re.findall(r"^span (.+): input and output tokens (\[.*\])$", printed, re.M)]
    assert [name for name, _ in spans] == 2 * ["chat gpt-4.1-mini", "execute_tool look_up_faq", "chat gpt-4.1-mini",
                                               "invoke_agent faq-agent"]
    # each model span counts what the deployment counted for its request (recomputed from the requests)
    model_spans = [used for name, used in spans if name.startswith("chat ")]
    for request, (input_tokens, _) in zip(chat_model.requests, model_spans, strict=True):
        assert input_tokens == prompt_tokens(request["messages"])
    final_answers = re.findall(r"^A: (.*)$", printed, re.M)
    assert [output for _, output in model_spans[1::2]] == [count_tokens(answer) for answer in final_answers]
    # an agent span adds up the model calls it made
    agent_spans = [used for name, used in spans if name.startswith("invoke_agent")]
    for turn, used in enumerate(agent_spans):
        calls = model_spans[2 * turn:2 * turn + 2]
        assert used == [sum(call[0] for call in calls), sum(call[1] for call in calls)]


def test_the_workflow_runs_the_faq_flows_three_steps_in_order(tmp_path, chat_model):
    printed = run("faq_workflow.py", tmp_path, chat_model)
    lines = dict(line.split(" -> ", 1) for line in printed.splitlines())
    answered, unanswered = (ast.literal_eval(outputs) for outputs in lines.values())
    assert answered == [{"topic": "compute instance", "answer": answered[0]["answer"]}]
    assert "shut down when idle" in answered[0]["answer"]
    assert unanswered[0]["topic"] == "none"  # no FAQ topic has both its words in a GPU question
    assert chat_model.requests == []  # no model in this workflow: every step is Python


def test_both_variants_are_evaluated_over_the_flows_test_data(tmp_path, chat_model):
    printed = run("evaluate_variants.py", tmp_path, chat_model)
    lines = [json.loads(line) for line in (AGENT.parent / "test_lines.jsonl").read_text().splitlines()]
    scores = {name: (float(accuracy), float(words)) for name, accuracy, words in
              re.findall(r"^(\w+): accuracy ([\d.]+), ([\d.]+) words per answer$", printed, re.M)}
    # a line passes when the FAQ holds its ground truth under a topic the question names (both checks)
    faq = faq_entries()
    answerable = [any(topic in line["question"].lower() and line["ground_truth"] in answer
                      for topic, answer in faq.items()) for line in lines]
    assert set(scores) == {"precise", "creative"}
    assert all(accuracy == round(sum(answerable) / len(lines), 2) for accuracy, _ in scores.values())
    assert scores["creative"][1] > scores["precise"][1]  # the same accuracy for more words: keep 'precise'
    # per variant: a call and an answer for each answerable line, one answer for the others
    chats = chat_model.requests
    assert len(chats) == 2 * (2 * sum(answerable) + len(lines) - sum(answerable))
    assert {(r["temperature"], r["max_completion_tokens"]) for r in chats} == {(0.1, 300), (0.9, 600)}


def faq_entries() -> dict[str, str]:
    tree = ast.parse((AGENT / "faq.py").read_text())
    (assignment,) = [node for node in tree.body if isinstance(node, ast.Assign)]
    return ast.literal_eval(assignment.value)
