"""Chapter 34: tracing run for real against the loopback model (spans captured in memory, and sent
to a loopback Application Insights over HTTPS); latency, tokens and cost computed for real; the
generation monitors created through the fake Azure."""

import ast
import inspect
import json
import runpy
import tempfile
from datetime import UTC, datetime, timedelta
from pathlib import Path

import numpy as np
import openai
import pytest
from azure.ai.ml.entities import GenerationSafetyQualitySignal, GenerationTokenStatisticsSignal, MonitorSchedule
from azure.core.exceptions import HttpResponseError
from azure.monitor.opentelemetry.exporter import AzureMonitorTraceExporter
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import SimpleSpanProcessor, SpanExportResult
from opentelemetry.sdk.trace.export.in_memory_span_exporter import InMemorySpanExporter
from opentelemetry.semconv._incubating.attributes import gen_ai_attributes
from opentelemetry.semconv.attributes import error_attributes, server_attributes
from opentelemetry.trace import SpanKind, StatusCode

from tests.conftest import SNIPPETS
from tests.fake_azure import chat_answers
from tests.fake_azure.app_insights import Ingestion
from tests.fake_azure.chat_model import count_tokens, prompt_tokens
from tests.fake_azure.rules import SERVERLESS_SPARK_SIZES

FOLDER = SNIPPETS / "ch34_trace_and_monitor_genai_apps"
APP = runpy.run_path(str(FOLDER / "traced_app.py"))
REPORT = runpy.run_path(str(FOLDER / "report.py"))
QUESTION = "How do I stop paying for an idle compute instance?"


def semconv_names(*modules) -> tuple[set[str], set[str]]:
    """The attribute names the installed semantic conventions define, and those they deprecate."""
    names, deprecated = set(), set()
    for module in modules:
        body = ast.parse(inspect.getsource(module)).body
        for statement, following in zip(body, body[1:], strict=False):
            if isinstance(statement, ast.AnnAssign) and isinstance(statement.value, ast.Constant):
                names.add(statement.value.value)
                doc = following.value.value if isinstance(following, ast.Expr) else ""
                if str(doc).lstrip().startswith("Deprecated"):
                    deprecated.add(statement.value.value)
    return names, deprecated


DEFINED, DEPRECATED = semconv_names(gen_ai_attributes, server_attributes, error_attributes)


@pytest.fixture
def traced(chat_model):
    """The study helper, its spans kept in memory as each one ends."""
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    helper = APP["StudyHelper"](APP["model_client"](), provider.get_tracer("tests"))
    yield helper, spans
    provider.shutdown()


def by_name(spans) -> dict:
    return {span.name: span for span in spans.get_finished_spans()}


# --- traced_app.py, for real ---------------------------------------------------------------------


def test_one_trace_per_request_with_retrieval_and_the_model_call_as_children(traced):
    helper, spans = traced
    helper.answer(QUESTION)
    named = by_name(spans)
    assert set(named) == {"answer_question", "retrieve documents", "chat gpt-4.1-mini"}
    root = named["answer_question"]
    assert root.parent is None
    for child in (named["retrieve documents"], named["chat gpt-4.1-mini"]):
        assert child.context.trace_id == root.context.trace_id
        assert child.parent.span_id == root.context.span_id
        assert root.start_time <= child.start_time <= child.end_time <= root.end_time
    assert named["retrieve documents"].end_time <= named["chat gpt-4.1-mini"].start_time  # retrieve, then ask
    assert named["chat gpt-4.1-mini"].kind == SpanKind.CLIENT  # a call out of the process


def test_the_model_span_follows_the_gen_ai_conventions(traced, chat_model):
    helper, spans = traced
    answer = helper.answer(QUESTION)
    span = by_name(spans)["chat gpt-4.1-mini"]
    attributes = dict(span.attributes)
    ours = {name for name in attributes if not name.startswith("app.")}
    assert ours <= DEFINED, f"not in the installed semantic conventions: {ours - DEFINED}"
    assert ours & DEPRECATED == {"gen_ai.system"}  # kept beside gen_ai.provider.name for Azure Monitor
    assert attributes["gen_ai.operation.name"] in {v.value for v in gen_ai_attributes.GenAiOperationNameValues}
    assert attributes["gen_ai.provider.name"] in {v.value for v in gen_ai_attributes.GenAiProviderNameValues}
    # span name: "{gen_ai.operation.name} {gen_ai.request.model}"
    assert span.name == f"{attributes['gen_ai.operation.name']} {attributes['gen_ai.request.model']}"
    deployment = chat_model.deployments[attributes["gen_ai.request.model"]]
    assert attributes["gen_ai.response.model"] == f"{deployment.model}-{deployment.version}"
    [sent] = chat_model.requests
    # the usage the service counted for this very request, recounted with the server's own tokenizer
    assert attributes["gen_ai.usage.input_tokens"] == prompt_tokens(sent["messages"])
    assert attributes["gen_ai.usage.output_tokens"] == count_tokens(answer)
    assert attributes["gen_ai.response.finish_reasons"] == ("stop",)
    assert sent["stream"] and sent["stream_options"] == {"include_usage": True}
    assert attributes["gen_ai.request.max_tokens"] == sent["max_tokens"]
    assert (attributes["server.address"], attributes["server.port"]) == ("127.0.0.1", int(
        chat_model.endpoint.rsplit(":", 1)[1]))


def test_the_answer_comes_from_the_retrieved_context(traced, chat_model):
    helper, spans = traced
    answer = helper.answer(QUESTION)
    [sent] = chat_model.requests
    assert answer == chat_answers.assistant(sent["messages"], sent)  # the stand-in model's written rule
    assert answer in helper.retrieve(QUESTION)
    assert by_name(spans)["answer_question"].attributes["app.retrieval.hits"] == 2


def test_max_tokens_cuts_the_answer_and_the_span_says_why(traced):
    helper, spans = traced
    answer = helper.chat([{"role": "user", "content": "Context:\n" + APP["DOCUMENTS"][0] + "\n\nWhy pay?"}],
                         max_tokens=3)
    attributes = by_name(spans)["chat gpt-4.1-mini"].attributes
    assert count_tokens(answer) == attributes["gen_ai.usage.output_tokens"] == 3
    assert attributes["gen_ai.response.finish_reasons"] == ("length",)


def test_the_first_token_event_falls_inside_the_model_span(traced):
    helper, spans = traced
    helper.answer(QUESTION)
    span = by_name(spans)["chat gpt-4.1-mini"]
    [event] = [e for e in span.events if e.name == "first_token"]
    assert span.start_time <= event.timestamp <= span.end_time


def test_a_failed_model_call_is_recorded_on_its_span_and_the_request(chat_model):
    spans = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(spans))
    helper = APP["StudyHelper"](APP["model_client"](), provider.get_tracer("tests"), deployment="gpt-5-nano")
    with pytest.raises(openai.NotFoundError):  # the resource has no such deployment (404 DeploymentNotFound)
        helper.answer(QUESTION)
    named = by_name(spans)
    chat = named["chat gpt-5-nano"]
    assert chat.status.status_code == StatusCode.ERROR
    assert chat.attributes["error.type"] == "NotFoundError"
    [exception] = [e for e in chat.events if e.name == "exception"]
    assert exception.attributes["exception.type"] == "openai.NotFoundError"
    assert "gen_ai.usage.input_tokens" not in chat.attributes  # nothing was billed
    assert named["answer_question"].status.status_code == StatusCode.ERROR


def test_the_script_writes_one_json_line_per_span_and_prints_the_answers(chat_model, run_snippet, capsys):
    questions = [QUESTION, "Does a compute cluster scale to zero?"]
    run_snippet("ch34_trace_and_monitor_genai_apps/traced_app.py", *questions)
    spans = [json.loads(line) for line in Path("spans.jsonl").read_text().splitlines()]
    assert len(spans) == 3 * len(questions)
    assert len({span["context"]["trace_id"] for span in spans}) == len(questions)
    assert {span["resource"]["attributes"]["service.name"] for span in spans} == {"study-helper"}
    out = capsys.readouterr().out
    for question, sent in zip(questions, chat_model.requests, strict=True):
        assert f"{question}\n  {chat_answers.assistant(sent['messages'], sent)}\n" in out


# --- report.py, for real -------------------------------------------------------------------------


@pytest.mark.parametrize("size", [1, 2, 7, 20, 101])
def test_percentile_is_the_nearest_rank(size):
    values = list(np.random.default_rng(size).exponential(1.0, size))
    for q in (50, 95, 99):
        assert REPORT["percentile"](values, q) == np.percentile(values, q, method="inverted_cdf")


T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


def at(seconds: float) -> str:
    return (T0 + timedelta(seconds=seconds)).isoformat().replace("+00:00", "Z")


def request_spans(start: float, total: float, first_token: float, output_tokens: int, error=False) -> list[dict]:
    """A request's root span and its chat span, as ReadableSpan.to_json writes them."""
    root = {"name": "answer_question", "parent_id": None, "start_time": at(start), "end_time": at(start + total),
            "status": {"status_code": "ERROR" if error else "UNSET"}, "attributes": {}, "events": []}
    chat = {"name": "chat gpt-4.1-mini", "parent_id": "0x1", "start_time": at(start), "end_time": at(start + total),
            "status": {"status_code": "UNSET"},
            "events": [{"name": "first_token", "timestamp": at(start + first_token)}],
            "attributes": {"gen_ai.operation.name": "chat", "gen_ai.response.model": "gpt-4.1-mini-2025-04-14",
                           "gen_ai.usage.input_tokens": 100, "gen_ai.usage.output_tokens": output_tokens}}
    return [root, chat]


def test_latency_throughput_and_time_to_first_token_from_recorded_spans():
    # four requests over ten seconds: durations 1, 2, 3 and 4 s; first tokens after 0.5 s each
    spans = [*request_spans(0, 1, 0.5, 50), *request_spans(2, 2, 0.5, 150),
             *request_spans(4, 3, 0.5, 250), *request_spans(6, 4, 0.5, 350, error=True)]
    report = REPORT["latency"](spans)
    assert report["requests"] == 4 and report["errors"] == 1
    assert report["p50_seconds"] == pytest.approx(2)  # 2nd of 4 (nearest rank)
    assert report["p95_seconds"] == pytest.approx(4)  # ceil(3.8) = 4th of 4
    assert report["requests_per_second"] == pytest.approx(4 / 10)
    assert report["p50_time_to_first_token"] == pytest.approx(0.5)
    assert report["mean_output_tokens_per_second"] == pytest.approx(100)  # 50/0.5, 150/1.5, 250/2.5, 350/3.5


def test_tokens_and_cost_add_up_what_the_service_counted(chat_model, run_snippet, capsys):
    questions = [QUESTION, "Does a compute cluster scale to zero?", "Do managed online endpoints bill?"]
    run_snippet("ch34_trace_and_monitor_genai_apps/traced_app.py", *questions)
    spans = REPORT["read_spans"]("spans.jsonl")
    usage = REPORT["token_usage"](spans)
    deployment = chat_model.deployments["gpt-4.1-mini"]
    sent = chat_model.requests
    assert usage == {f"{deployment.model}-{deployment.version}": {
        "calls": len(questions), "input": sum(prompt_tokens(r["messages"]) for r in sent),
        "output": sum(count_tokens(chat_answers.assistant(r["messages"], r)) for r in sent)}}
    prices = {"gpt-4.1-mini": {"input": 2.0, "output": 8.0}, "gpt-4o": {"input": 50.0, "output": 50.0}}
    [tokens] = usage.values()
    assert REPORT["cost"](usage, prices) == pytest.approx((tokens["input"] * 2 + tokens["output"] * 8) / 1e6)
    capsys.readouterr()
    run_snippet("ch34_trace_and_monitor_genai_apps/report.py", "spans.jsonl", "prices.json")
    out = capsys.readouterr().out
    shipped = json.loads((FOLDER / "prices.json").read_text())["gpt-4.1-mini"]
    assert f"requests: {len(questions)}\nerrors: 0\n" in out
    assert f"{len(questions)} calls, {tokens['input']} in, {tokens['output']} out\n" in out
    expected = (tokens["input"] * shipped["input"] + tokens["output"] * shipped["output"]) / 1e6
    assert f"cost: {expected:.6f}\n" in out


def test_a_model_without_a_price_is_an_error_not_free():
    with pytest.raises(KeyError, match="no price for gpt-4.1-2025-04-14"):
        REPORT["cost"]({"gpt-4.1-2025-04-14": {"input": 1, "output": 1}}, {"gpt-4.1-mini": {"input": 1, "output": 1}})
    usage = {"gpt-4.1-mini-2025-04-14": {"input": 1_000_000, "output": 0}}
    assert REPORT["cost"](usage, {"gpt-4.1": {"input": 9, "output": 9},
                                  "gpt-4.1-mini": {"input": 1, "output": 1}}) == 1  # the longest name wins


# --- azure_monitor.py: the exporter against a loopback Application Insights ----------------------


@pytest.fixture
def ingestion(monkeypatch, tmp_path):
    endpoint = Ingestion()
    monkeypatch.setenv("APPLICATIONINSIGHTS_CONNECTION_STRING", endpoint.connection_string)
    for name, value in endpoint.ca_env().items():
        monkeypatch.setenv(name, value)
    # the exporter's own telemetry about itself, and its remote configuration: both would call Microsoft
    monkeypatch.setenv("APPLICATIONINSIGHTS_STATSBEAT_DISABLED_ALL", "true")
    monkeypatch.setenv("APPLICATIONINSIGHTS_CONTROLPLANE_DISABLED", "true")
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))  # its retry storage
    yield endpoint
    endpoint.close()


def test_the_exporter_posts_each_span_as_a_dependency_of_one_operation(chat_model, ingestion, run_snippet,
                                                                      monkeypatch):
    monkeypatch.syspath_prepend(str(FOLDER))  # azure_monitor.py imports traced_app from its folder
    run_snippet("ch34_trace_and_monitor_genai_apps/azure_monitor.py", QUESTION)
    assert ingestion.refused == []
    assert {e["iKey"] for e in ingestion.envelopes} == {ingestion.instrumentation_key}
    dependencies = {e["data"]["baseData"]["name"]: e for e in ingestion.envelopes
                    if e["name"] == "Microsoft.ApplicationInsights.RemoteDependency"}
    assert set(dependencies) == {"answer_question", "retrieve documents", "chat gpt-4.1-mini"}
    assert len({e["tags"]["ai.operation.id"] for e in dependencies.values()}) == 1  # one trace, one operation
    assert {e["tags"]["ai.cloud.role"] for e in ingestion.envelopes} == {"study-helper"}  # service.name
    chat = dependencies["chat gpt-4.1-mini"]["data"]["baseData"]
    assert chat["type"] == "GenAI | azure.ai.openai"  # what the exporter makes of gen_ai.system
    assert chat["success"] is True
    [sent] = chat_model.requests
    assert chat["properties"]["gen_ai.usage.input_tokens"] == str(prompt_tokens(sent["messages"]))
    root_id = dependencies["answer_question"]["data"]["baseData"]["id"]
    assert dependencies["chat gpt-4.1-mini"]["tags"]["ai.operation.parentId"] == root_id
    messages = [e["data"]["baseData"]["message"] for e in ingestion.envelopes
                if e["name"] == "Microsoft.ApplicationInsights.Message"]
    assert messages == ["first_token"]  # span events become trace messages of the same operation


def test_the_instrumentation_key_alone_is_refused_when_local_auth_is_off(ingestion):
    kept = InMemorySpanExporter()
    provider = TracerProvider()
    provider.add_span_processor(SimpleSpanProcessor(kept))
    with provider.get_tracer("tests").start_as_current_span("no identity"):
        pass
    exporter = AzureMonitorTraceExporter(connection_string=ingestion.connection_string, tracer_provider=provider,
                                         disable_offline_storage=True)  # no credential: the key alone
    assert exporter.export(kept.get_finished_spans()) == SpanExportResult.FAILURE
    assert ingestion.refused == [401] and ingestion.envelopes == []


# --- monitor_genai.py: generation monitors through the fake Azure --------------------------------


@pytest.fixture
def monitor(workspace, run_snippet, monkeypatch, capsys) -> dict:
    monkeypatch.setenv("AZURE_OPENAI_ENDPOINT", "https://aoai-study-helper.openai.azure.com/")
    script = run_snippet("ch34_trace_and_monitor_genai_apps/monitor_genai.py")
    assert capsys.readouterr().out == "study-helper-monitor: ['generation_quality', 'token_usage']\n"
    return script


def test_the_monitor_judges_quality_and_counts_tokens_daily(monitor, workspace):
    created = workspace.get("schedules", "study-helper-monitor")
    assert isinstance(created, MonitorSchedule) and created.is_enabled
    assert (created.trigger.frequency, created.trigger.interval) == ("day", 1)
    assert created.create_monitor.compute.instance_type in SERVERLESS_SPARK_SIZES
    signals = created.create_monitor.monitoring_signals
    quality, tokens = signals["generation_quality"], signals["token_usage"]
    assert isinstance(quality, GenerationSafetyQualitySignal) and isinstance(tokens, GenerationTokenStatisticsSignal)
    judge = workspace.reader.connections.get("aoai-judge")
    assert quality.connection_id == judge.id and judge.credentials.type.lower() == "aad"  # Entra ID, no key
    data = workspace.reader.data.get("study-helper-requests", version="1")
    for production in [*quality.production_data, tokens.production_data]:
        assert production.input_data.path.endswith("/data/study-helper-requests/versions/1")
        assert production.data_window.lookback_window_size == "P7D"
    assert data.type == "uri_folder"
    thresholds = quality.metric_thresholds
    for metric in ("groundedness", "relevance", "coherence", "fluency"):  # the SDK fills the fixed score 3
        assert getattr(thresholds, metric) == {f"acceptable_{metric}_score_per_instance": 3.0,
                                               f"aggregated_{metric}_pass_rate": 0.8}
    assert 0 < quality.sampling_rate <= 1 and quality.alert_enabled
    assert tokens.sampling_rate == 0.1  # what the SDK sends when none is given


def test_the_shipped_records_have_the_columns_the_monitor_maps(monitor):
    columns = monitor["production"].data_column_names
    for line in (FOLDER / "production/requests.jsonl").read_text().splitlines():
        assert set(columns.values()) <= set(json.loads(line))


def resubmit(workspace, monitor: dict, **changes) -> None:
    for name, value in changes.items():
        setattr(monitor["signals"]["generation_quality"], name, value)
    workspace.reader.schedules.begin_create_or_update(monitor["monitor"]).result()


def test_groundedness_needs_the_context_column(monitor, workspace):
    monitor["production"].data_column_names = {"prompt_column": "question", "completion_column": "answer"}
    with pytest.raises(HttpResponseError) as refused:
        resubmit(workspace, monitor)
    message = str(refused.value)
    assert "groundedness reads prompt_column, completion_column, context_column" in message
    assert "relevance reads" in message and "coherence reads" not in message and "fluency reads" not in message


def test_coherence_and_fluency_need_only_the_question_and_the_answer(monitor, workspace):
    monitor["production"].data_column_names = {"prompt_column": "question", "completion_column": "answer"}
    thresholds = monitor["signals"]["generation_quality"].metric_thresholds
    thresholds.groundedness = thresholds.relevance = None
    resubmit(workspace, monitor)
    assert workspace.get("schedules", "study-helper-monitor").create_monitor.monitoring_signals[
        "generation_quality"].metric_thresholds.groundedness is None


@pytest.mark.parametrize(("change", "refusal"), [
    ({"aggregated_fluency_pass_rate": 1.0}, "fluency pass rate must be between 0.01 and 0.99"),
    ({"aggregated_fluency_pass_rate": 0.8, "acceptable_fluency_score_per_instance": 4},
     "acceptable fluency score per instance is fixed at 3, got 4"),
])
def test_only_the_pass_rate_is_yours_to_set(monitor, workspace, change, refusal):
    monitor["signals"]["generation_quality"].metric_thresholds.fluency = change
    with pytest.raises(HttpResponseError, match=refusal):
        resubmit(workspace, monitor)


def test_the_signal_needs_its_judge_and_a_sampling_rate_up_to_one(monitor, workspace):
    with pytest.raises(HttpResponseError, match="needs the workspace connection of an Azure OpenAI resource"):
        resubmit(workspace, monitor, properties={})
    with pytest.raises(HttpResponseError, match="sampling_rate must be greater than 0 and at most 1, got 10"):
        resubmit(workspace, monitor, properties={"aoai_deployment_name": "gpt-4.1"}, sampling_rate=10)


# --- project_tracing.py: the Foundry project names its Application Insights resource -------------

ACCOUNT = "/subscriptions/*/resourceGroups/rg-ai300-foundry/providers/Microsoft.CognitiveServices/accounts/aif-ai300"
PROJECT = f"{ACCOUNT}/projects/proj-ai300-chat"


@pytest.fixture
def traced_project(workspace, ingestion, monkeypatch):
    """A Foundry project whose resource has an Application Insights resource connected for tracing (the
    portal's Tracing page makes an AppInsights connection holding its connection string), beside another
    connection."""
    store = workspace.azure.arm
    store.put(ACCOUNT, {"kind": "AIServices", "location": "eastus2", "properties": {
        "customSubDomainName": "aif-ai300", "allowProjectManagement": True, "disableLocalAuth": True}})
    store.put(PROJECT, {"location": "eastus2", "properties": {}})
    store.put(f"{PROJECT}/connections/search", {"properties": {
        "category": "CognitiveSearch", "target": "https://srch-ai300.search.windows.net", "authType": "AAD"}})
    store.put(f"{PROJECT}/connections/appi-ai300", {"properties": {
        "category": "AppInsights", "authType": "ApiKey", "credentials": {"key": ingestion.connection_string},
        "target": "/subscriptions/sub/resourceGroups/rg-ai300-foundry/providers/microsoft.insights/components/appi"}})
    monkeypatch.setenv("PROJECT_ENDPOINT", "https://aif-ai300.services.ai.azure.com/api/projects/proj-ai300-chat")
    monkeypatch.delenv("APPLICATIONINSIGHTS_CONNECTION_STRING")
    return workspace


def test_the_project_gives_the_connection_string_its_traces_go_to(traced_project, ingestion, chat_model,
                                                                 run_snippet, monkeypatch, capsys):
    run_snippet("ch34_trace_and_monitor_genai_apps/project_tracing.py")
    printed = capsys.readouterr().out.strip()
    assert printed == ingestion.connection_string
    calls = [url.split("/proj-ai300-chat/")[1] for _, url in traced_project.azure.requests
             if "services.ai.azure.com" in url]
    assert calls == ["connections?api-version=v1&connectionType=AppInsights",
                     "connections/appi-ai300/getConnectionWithCredentials?api-version=v1"]
    monkeypatch.setenv("APPLICATIONINSIGHTS_CONNECTION_STRING", printed)  # the export the docstring shows
    monkeypatch.syspath_prepend(str(FOLDER))
    run_snippet("ch34_trace_and_monitor_genai_apps/azure_monitor.py", QUESTION)
    assert len([e for e in ingestion.envelopes if e["name"].endswith("RemoteDependency")]) == 3
