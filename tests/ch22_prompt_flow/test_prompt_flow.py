"""Chapter 22: the FAQ and evaluation flows run for real with promptflow-core's executor;
the chat flow (it needs an LLM) is parsed by promptflow and its prompt rendered with Jinja."""

import re
from pathlib import Path

import jinja2
import pytest
import yaml
from azure.ai.ml.entities import AzureOpenAIConnection
from promptflow.contracts.flow import Flow
from promptflow.executor import FlowExecutor

from tests.conftest import SNIPPETS

FOLDER = SNIPPETS / "ch22_prompt_flow"
EXPECTED_FILES = {
    "faq_flow", "faq_flow/flow.dag.yaml", "faq_flow/clean_question.py", "faq_flow/retrieve_answer.py",
    "faq_flow/format_answer.py", "eval_flow", "eval_flow/flow.dag.yaml", "eval_flow/grade.py",
    "eval_flow/calculate_accuracy.py", "chat_flow", "chat_flow/flow.dag.yaml", "chat_flow/chat.jinja2",
    "test_lines.jsonl", "run_flow.sh", "run_flow_locally.py", "create_connection.py",
    "agent", "agent/requirements.txt", "agent/faq.py", "agent/faq_agent.py", "agent/faq_workflow.py",
    "agent/evaluate_variants.py",
}  # fmt: skip


def executor(flow: str) -> FlowExecutor:
    """promptflow-core's executor on the flow folder itself (it reads the folder, writes nothing)."""
    return FlowExecutor.create(Path("flow.dag.yaml"), connections={}, working_dir=FOLDER / flow)


def load(flow: str) -> Flow:
    return Flow.from_yaml(Path("flow.dag.yaml"), working_dir=FOLDER / flow)


# --- the FAQ flow -------------------------------------------------------------------


def test_faq_flow_is_three_python_nodes_in_a_chain():
    flow = load("faq_flow")
    assert [(node.name, node.type.value) for node in flow.nodes] == [
        ("clean_question", "python"),
        ("retrieve_answer", "python"),
        ("format_answer", "python"),
    ]
    assert flow.nodes[1].inputs["keywords"].serialize() == "${clean_question.output}"
    assert flow.outputs["answer"].reference.serialize() == "${format_answer.output}"


@pytest.fixture(scope="module")
def faq_executor():
    return executor("faq_flow")


@pytest.mark.parametrize(
    ("question", "topic", "fact"),
    [
        ("How do I stop a Compute Instance?", "compute instance", "shut down when idle"),
        ("Why does my compute cluster cost money?", "compute cluster", "minimum number of nodes to 0"),
        ("How do I register a DATA asset?", "data asset", "azureml:name:version"),
        ("What is an online endpoint?", "online endpoint", "managed online endpoint"),
        ("Which compute should I pick?", "none", "has no answer"),  # one shared word is not enough
    ],
)
def test_faq_flow_answers_from_the_faq(faq_executor, question, topic, fact):
    result = faq_executor.exec_line({"question": question})

    assert result.run_info.status.value == "Completed"
    assert result.output["topic"] == topic
    assert fact in result.output["answer"]
    assert set(result.node_run_infos) == {"clean_question", "retrieve_answer", "format_answer"}


def test_faq_flow_uses_its_default_question(faq_executor):
    assert faq_executor.exec_line({}).output["topic"] == "compute instance"


def test_clean_question_drops_stop_words(faq_executor):
    result = faq_executor.exec_line({"question": "What is the compute cluster for?"})
    assert result.node_run_infos["clean_question"].output == ["compute", "cluster"]


# --- the evaluation flow and the local batch run -------------------------------------


def test_eval_flow_has_an_aggregation_node():
    flow = load("eval_flow")
    assert {node.name: node.aggregation for node in flow.nodes} == {"grade": False, "calculate_accuracy": True}


def test_run_flow_locally_grades_every_line_and_logs_accuracy(run_snippet, capsys):
    script = run_snippet("ch22_prompt_flow/run_flow_locally.py")

    assert script["grades"] == ["correct", "correct", "correct", "incorrect"]  # no FAQ entry about GPUs
    assert script["summary"].metrics == {"accuracy": 0.75}
    assert script["summary"].node_run_infos["calculate_accuracy"].output == {"accuracy": 0.75, "lines": 4}
    topics = [answer["topic"] for answer in script["answers"]]
    assert topics == ["compute instance", "compute cluster", "data asset", "none"]
    printed = capsys.readouterr().out
    assert "incorrect  How do I choose a GPU size? -> none" in printed
    assert "metrics: {'accuracy': 0.75}" in printed


def test_evaluation_metric_follows_the_answers():
    """The aggregation really computes: a different set of grades gives a different accuracy."""
    eval_flow = executor("eval_flow")
    inputs = {"answer": ["Set it to 0.", "No idea."], "ground_truth": ["set it to 0", "azureml:name:version"]}
    results = [eval_flow.exec_line({"answer": a, "ground_truth": t}) for a, t in zip(*inputs.values(), strict=True)]
    aggregation_inputs = {"${grade.output}": [result.aggregation_inputs["${grade.output}"] for result in results]}

    summary = eval_flow.exec_aggregation(inputs, aggregation_inputs)

    assert [result.output["grade"] for result in results] == ["correct", "incorrect"]
    assert summary.metrics == {"accuracy": 0.5}


# --- the chat flow (LLM node, variants, connection) -----------------------------------


def test_chat_flow_has_chat_input_history_and_output():
    flow = load("chat_flow")
    assert flow.inputs["chat_history"].is_chat_history
    assert flow.inputs["question"].is_chat_input
    assert flow.outputs["answer"].is_chat_output
    assert flow.outputs["answer"].reference.serialize() == "${chat.output}"


def test_chat_flow_llm_node_has_two_variants():
    flow = load("chat_flow")
    (node,) = flow.nodes
    assert node.use_variants
    variants = flow.node_variants["chat"]
    assert variants.default_variant_id == "precise"
    settings = {}
    for name, variant in variants.variants.items():
        llm = variant.node
        assert (llm.type.value, llm.api, llm.connection) == ("llm", "chat", "aoai-connection")
        assert llm.source.path == "chat.jinja2"
        settings[name] = (llm.inputs["temperature"].value, llm.inputs["max_tokens"].value)
    assert settings == {"precise": (0.1, 300), "creative": (0.9, 600)}


def test_the_connection_the_chat_flow_names_is_created_first(workspace, run_snippet, monkeypatch, capsys):
    endpoint = "https://aoai-dp100-notes.openai.azure.com/"
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", endpoint)
    monkeypatch.setenv("AZURE_OPENAI_API_KEY", "dummy-key-for-tests")

    run_snippet("ch22_prompt_flow/create_connection.py")

    (sent,) = workspace.created("connections")
    assert isinstance(sent, AzureOpenAIConnection)
    assert (sent.name, sent.target, sent.api_key) == ("aoai-connection", endpoint, "dummy-key-for-tests")
    named = {variant.node.connection for variant in load("chat_flow").node_variants["chat"].variants.values()}
    assert named == {sent.name}
    stored = workspace.get("connections", "aoai-connection")
    assert (stored.type, stored.target) == ("azure_open_ai", endpoint)
    assert capsys.readouterr().out == f"Connection aoai-connection points at {endpoint}\n"


def test_connection_script_fails_without_the_key(workspace, run_snippet, monkeypatch):
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://aoai-dp100-notes.openai.azure.com/")
    monkeypatch.delenv("AZURE_OPENAI_API_KEY", raising=False)
    with pytest.raises(KeyError, match="AZURE_OPENAI_API_KEY"):
        run_snippet("ch22_prompt_flow/create_connection.py")
    assert workspace.created("connections") == []


def test_chat_prompt_replays_the_history_before_the_new_question():
    template = jinja2.Template((FOLDER / "chat_flow" / "chat.jinja2").read_text())
    history = [{"inputs": {"question": "What is MLflow?"}, "outputs": {"answer": "A tracking tool."}}]

    prompt = template.render(chat_history=history, question="Does Azure ML support it?")

    roles = re.findall(r"^# (system|user|assistant):$", prompt, re.M)
    assert roles == ["system", "user", "assistant", "user"]
    positions = [prompt.index(text) for text in ("What is MLflow?", "A tracking tool.", "Does Azure ML support it?")]
    assert positions == sorted(positions)


# --- run_flow.sh refers to real folders, inputs and columns ---------------------------


def test_running_the_flows_wrote_nothing_into_the_repository():
    """Runs in this module use the snippet folders directly; they must stay unchanged."""
    written = {p.relative_to(FOLDER).as_posix() for p in FOLDER.rglob("*")} - EXPECTED_FILES
    assert written == set()


def test_cli_script_matches_the_flows():
    script = (FOLDER / "run_flow.sh").read_text()
    data_columns = set(yaml.safe_load((FOLDER / "test_lines.jsonl").read_text().splitlines()[0]))

    for folder in re.findall(r"--flow (\S+)", script):
        assert (FOLDER / folder / "flow.dag.yaml").is_file()
    assert set(re.findall(r"--inputs (\w+)=", script)) <= set(load("faq_flow").inputs)
    mappings = dict(re.findall(r"(\w+)='\$\{(?:data|run\.outputs)\.(\w+)\}'", script))
    assert mappings == {"question": "question", "answer": "answer", "ground_truth": "ground_truth"}
    assert {"question", "ground_truth"} <= data_columns
    assert set(load("eval_flow").inputs) == {"answer", "ground_truth"}
    assert "answer" in load("faq_flow").outputs
