"""The service-side rules of tests/fake_azure/rules.py, each accepting and rejecting what its source documents,
and the fact tables they read, each naming its source."""

import itertools
import re
from pathlib import Path

import pytest
import yaml
from azure.ai.ml import command
from azure.ai.ml.constants import TimeZone
from azure.ai.ml.entities import (
    AmlCompute,
    AzureBlobDatastore,
    BatchEndpoint,
    CommandJob,
    ComputeInstance,
    CronTrigger,
    Data,
    Environment,
    FeatureSet,
    FeatureSetSpecification,
    JobResourceConfiguration,
    KubernetesOnlineDeployment,
    KubernetesOnlineEndpoint,
    ManagedOnlineDeployment,
    ManagedOnlineEndpoint,
    MaterializationComputeResource,
    MaterializationSettings,
    Model,
    ModelBatchDeployment,
    RecurrencePattern,
    RecurrenceTrigger,
    Registry,
    RegistryRegionDetails,
    Workspace,
)

from tests.fake_azure import rules
from tests.fake_azure.catalog import FACTS

SNIPPETS = Path(__file__).parents[1] / "snippets"


def endpoint(traffic=None, mirror=None, kind=ManagedOnlineEndpoint):
    return kind(name="diabetes-endpoint", traffic=traffic or {}, mirror_traffic=mirror or {})


def online(name="blue", **settings):
    return ManagedOnlineDeployment(name=name, endpoint_name="diabetes-endpoint", **settings)


def cluster(**settings):
    return AmlCompute(name="cpu-cluster", **settings)


def recurring(frequency="day", interval=1, **pattern):
    return RecurrenceTrigger(frequency=frequency, interval=interval,
                             schedule=RecurrencePattern(**pattern) if pattern else None)


def registry(name="reg-contoso-ml", location="eastus", regions=("eastus", "westeurope")):
    return Registry(name=name, location=location,
                    replication_locations=[RegistryRegionDetails(location=region) for region in regions])


def materialized_on(instance_type):
    settings = MaterializationSettings(offline_enabled=True,
                                       resource=MaterializationComputeResource(instance_type=instance_type))
    return FeatureSet(name="transactions", version="1", entities=["azureml:account:1"],
                      specification=FeatureSetSpecification(path="spec"), materialization_settings=settings)


def job_on(instance_type, compute=None):
    return CommandJob(command="python train.py", environment="azureml:env:1", compute=compute,
                      resources=JobResourceConfiguration(instance_type=instance_type))


# rule name -> (a call Azure accepts, a call Azure rejects), each per the rule's documented source
def monitored_on(size: str):
    """A monitor schedule (chapter 29's kind) whose jobs run on serverless Spark of ``size``."""
    from azure.ai.ml.entities import MonitorDefinition, MonitorSchedule, ServerlessSparkCompute

    spark = ServerlessSparkCompute(instance_type=size, runtime_version="3.4")
    return MonitorSchedule(name="diabetes-monitor", trigger=None, create_monitor=MonitorDefinition(compute=spark))


def attribution_against(context: str, target: str | None):
    """A monitor with a feature attribution drift signal against reference data of ``context``."""
    from azure.ai.ml import Input
    from azure.ai.ml.entities import (
        FeatureAttributionDriftMetricThreshold,
        FeatureAttributionDriftSignal,
        ReferenceData,
    )

    reference = ReferenceData(input_data=Input(type="mltable", path="azureml:diabetes-reference:1"),
                              data_context=context, data_column_names={"target_column": target} if target else None)
    signal = FeatureAttributionDriftSignal(reference_data=reference, metric_thresholds=(
        FeatureAttributionDriftMetricThreshold(normalized_discounted_cumulative_gain=0.9)))
    schedule = monitored_on("standard_e4s_v3")
    schedule.create_monitor.monitoring_signals = {"attribution": signal}
    return schedule



def generation_monitor(columns=("prompt_column", "completion_column", "context_column"), sampling_rate=0.1,
                       **thresholds):
    """A monitor (chapter 34's kind) judging answers for ``thresholds`` over records with ``columns``."""
    from azure.ai.ml import Input
    from azure.ai.ml.entities import (
        GenerationSafetyQualityMonitoringMetricThreshold,
        GenerationSafetyQualitySignal,
        GenerationTokenStatisticsSignal,
        LlmData,
    )

    records = LlmData(input_data=Input(type="uri_folder", path="azureml:study-helper-requests:1"),
                      data_column_names={column: column.removesuffix("_column") for column in columns})
    quality = GenerationSafetyQualitySignal(
        connection_id="/subscriptions/sub/resourceGroups/rg/providers/Microsoft.MachineLearningServices/workspaces"
                      "/mlw/connections/aoai-judge", production_data=[records], sampling_rate=sampling_rate,
        metric_thresholds=GenerationSafetyQualityMonitoringMetricThreshold(**thresholds),
        properties={"aoai_deployment_name": "gpt-4.1"})
    schedule = monitored_on("standard_e4s_v3")
    schedule.create_monitor.monitoring_signals = {
        "quality": quality, "tokens": GenerationTokenStatisticsSignal(production_data=records)}
    return schedule

CASES = {
    "endpoint_name": (lambda: BatchEndpoint(name="diabetes-batch"), lambda: ManagedOnlineEndpoint(name="ab")),
    "deployment_name": (lambda: online("green-2"),
                        lambda: ModelBatchDeployment(name="1st", endpoint_name="diabetes-batch")),
    "kubernetes_names_length": (
        lambda: KubernetesOnlineDeployment(name="blue", endpoint_name="scorer"),
        lambda: KubernetesOnlineDeployment(name="b" * 32, endpoint_name="e" * 31),
    ),
    "live_traffic": (lambda: endpoint({"blue": 90, "green": 10}), lambda: endpoint({"blue": 90})),
    "traffic_targets": (lambda: (endpoint({"blue": 100}, {"green": 10}), {"blue", "green"}),
                        lambda: (endpoint({"blue": 100}), set())),
    "mirror_traffic": (lambda: endpoint({"blue": 100, "green": 0}, {"green": 50}),
                       lambda: endpoint({"blue": 100}, {"green": 51})),
    "kubernetes_mirror_traffic": (lambda: endpoint({"blue": 100}, kind=KubernetesOnlineEndpoint),
                                  lambda: endpoint({"blue": 100}, {"green": 10}, kind=KubernetesOnlineEndpoint)),
    "batch_default_deployment": (
        lambda: (BatchEndpoint(name="diabetes-batch", default_deployment_name="classifier"), {"classifier"}),
        lambda: (BatchEndpoint(name="diabetes-batch", default_deployment_name="classifier"), {"other"}),
    ),
    "online_instance_count": (lambda: online(instance_count=1), lambda: online()),
    "online_instance_type": (lambda: online(instance_type="standard_f8s_v2"),
                             lambda: online(instance_type="Standard_B2s")),
    "compute_name": (lambda: ComputeInstance(name="ci-dev1", size="Standard_DS3_v2"),
                     lambda: AmlCompute(name="cluster-2", size="Standard_DS3_v2")),
    "cluster_scale": (lambda: cluster(min_instances=2, max_instances=2),
                      lambda: cluster(min_instances=3, max_instances=2)),
    "compute_size": (lambda: cluster(size="STANDARD_NC4AS_T4_V3"),
                     lambda: ComputeInstance(name="ci-dev", size="Standard_NC6s_v3")),
    "serverless_instance_type": (lambda: job_on("Standard_E4s_v3"), lambda: job_on("Standard_NC6")),
    "location": (lambda: Workspace(name="mlw-dp100", location="WestEurope"),
                 lambda: cluster(location="westmars")),
    "compute_action": (lambda: (ComputeInstance(name="ci-dev"), "stop"), lambda: (cluster(), "restart")),
    "workspace_name": (lambda: Workspace(name="mlw_dp-100"), lambda: Workspace(name="-mlw")),
    "asset_name": (lambda: Model(name="Diabetes_model-2", path="model"),
                   lambda: Data(name="diabetes.csv", path="data.csv")),
    "datastore_name": (
        lambda: AzureBlobDatastore(name="blob_store_2", account_name="account", container_name="data"),
        lambda: AzureBlobDatastore(name="blob-store", account_name="account", container_name="data"),
    ),
    "environment_prefix": (lambda: Environment(name="sklearn-azureml", image="python:3.11"),
                           lambda: Environment(name="AzureML-mine", image="python:3.11")),
    "cron_expression": (lambda: CronTrigger(expression="*/15 6-18 * * mon-fri"),
                        lambda: CronTrigger(expression="0 24 * * *")),
    "recurrence": (lambda: recurring("month", hours=[6, 18], minutes=0, week_days=["monday"]),
                   lambda: recurring("hour", hours=6, minutes=0)),
    "time_zone": (lambda: CronTrigger(expression="0 6 * * 1", time_zone=TimeZone.W_EUROPE_STANDARD_TIME),
                  lambda: CronTrigger(expression="0 6 * * 1", time_zone="Europe/Berlin")),
    "materialization_compute": (lambda: materialized_on("Standard_E8S_V3"), lambda: materialized_on("Standard_DS3_v2")),
    "registry_name": (lambda: registry(name="reg-contoso-ml"), lambda: registry(name="-reg")),
    "registry_regions": (lambda: registry(), lambda: registry(regions=("westeurope",))),
    "monitor_compute": (lambda: monitored_on("Standard_E16s_v3"), lambda: monitored_on("standard_ds3_v2")),
    "feature_attribution_reference": (lambda: attribution_against("training", "Diabetic"),
                                      lambda: attribution_against("validation", None)),
    "generation_quality_inputs": (
        lambda: generation_monitor(("prompt_column", "completion_column"),
                                   fluency={"aggregated_fluency_pass_rate": 0.8}),
        lambda: generation_monitor(("prompt_column", "completion_column"),
                                   groundedness={"aggregated_groundedness_pass_rate": 0.8}),
    ),
    "generation_quality_thresholds": (
        lambda: generation_monitor(relevance={"aggregated_relevance_pass_rate": 0.99}),
        lambda: generation_monitor(relevance={"aggregated_relevance_pass_rate": 0.7,
                                              "acceptable_relevance_score_per_instance": 4}),
    ),
    "generation_sampling_rate": (lambda: generation_monitor(sampling_rate=1.0, coherence={
        "aggregated_coherence_pass_rate": 0.5}), lambda: generation_monitor(sampling_rate=0.0, coherence={
        "aggregated_coherence_pass_rate": 0.5})),
}


def check(name, make):
    rule = next(rule for rule in rules.RULES if rule.name == name)
    arguments = make()
    arguments = arguments if isinstance(arguments, tuple) else (arguments,)
    assert isinstance(arguments[0], rule.kind)
    return rule.check(*arguments)


def test_every_rule_has_cases_and_a_source():
    assert sorted(CASES) == sorted(rule.name for rule in rules.RULES)
    assert all(rule.source.strip() for rule in rules.RULES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_accepts_what_azure_accepts(name):
    assert check(name, CASES[name][0]) == []


@pytest.mark.parametrize("name", sorted(CASES))
def test_rule_rejects_what_azure_rejects(name):
    errors = check(name, CASES[name][1])
    assert errors and all(isinstance(error, str) and error for error in errors)


@pytest.mark.parametrize(("traffic", "mirror", "expected"), [
    ({"blue": 100}, {"blue": 10}, ["live traffic"]),  # live or mirrored, not both
    ({"blue": 100}, {"green": 10, "red": 10}, ["one deployment"]),
    ({"blue": 100}, {"green": "10"}, ["whole percentage"]),
    ({}, {}, []),  # no traffic at all is accepted
])
def test_mirror_traffic_limits(traffic, mirror, expected):
    errors = rules.mirror_traffic(endpoint(traffic, mirror))
    assert all(phrase in error for phrase, error in zip(expected, errors, strict=True))


@pytest.mark.parametrize(("traffic", "accepted"), [
    ({"blue": 0, "green": 0}, True),  # 0 percent in total turns traffic off
    ({"blue": 101}, False),
    ({"blue": 99.5, "green": 0.5}, False),
    ({"blue": True}, False),
])
def test_live_traffic_values(traffic, accepted):
    assert (rules.live_traffic(endpoint(traffic)) == []) == accepted


@pytest.mark.parametrize(("name", "accepted"), [("abc", True), ("a" * 24, True), ("a" * 25, False), ("ab", False),
                                                ("ci-2", False), ("ci-2b", True), ("ci-b-2", False), ("ci_dev", False),
                                                ("2ci", False)])
def test_compute_names(name, accepted):
    assert (rules.compute_name(ComputeInstance(name=name)) == []) == accepted


@pytest.mark.parametrize(("expression", "accepted"), [
    ("15 16 * * 1", True),
    ("0 0 31 2 *", True),  # Azure ignores DAYS and MONTHS and treats them as '*'
    ("0,30 8-17/2 * * SUN", True),
    ("0 6 * * 7", False),
    ("60 6 * * *", False),
    ("0 6 * *", False),
    ("0 6 * * funday", False),
    ("0 */0 * * *", False),
])
def test_cron_expressions(expression, accepted):
    assert (rules.cron_expression(CronTrigger(expression=expression)) == []) == accepted


@pytest.mark.parametrize(("trigger", "accepted"), [
    (recurring("minute", 15), True),  # no pattern: the SDK fills in an empty one
    (recurring("day", hours=[0, 23], minutes=[0, 59]), True),
    (recurring("day", hours=6, minutes=0, week_days="monday"), False),
    (recurring("week", hours=24, minutes=0), False),
    (recurring("week", hours=6, minutes=0, week_days="someday"), False),
    (recurring("year"), False),
    (recurring("day", interval="1"), False),
])
def test_recurrences(trigger, accepted):
    assert (rules.recurrence(trigger) == []) == accepted


def test_retired_sizes_name_their_retirement():
    assert "retired on 2025-09-30" in rules.compute_size(cluster(size="Standard_NC24s_v3"))[0]
    assert "retired on 2025-09-30" in rules.online_instance_type(online(instance_type="Standard_NC6s_v3"))[0]


def test_loaded_batch_endpoint_default(tmp_path):
    from azure.ai.ml import load_batch_endpoint

    path = tmp_path / "endpoint.yml"
    path.write_text("name: diabetes-batch\ndefaults:\n  deployment_name: classifier\n")
    assert rules.batch_default_deployment(load_batch_endpoint(path), {"other"})


# --- the fact tables ----------------------------------------------------------------------------

FACT_FILES = sorted(FACTS.glob("*.yml"))


@pytest.mark.parametrize("path", FACT_FILES, ids=lambda path: path.name)
def test_every_fact_file_names_its_source(path):
    text = path.read_text()
    header = "".join(itertools.takewhile(lambda line: line.startswith("#"), text.splitlines(keepends=True)))
    assert "http" in str(yaml.safe_load(text).get("source", "")) or "http" in header


def test_every_vm_size_in_the_snippets_is_accepted():
    used = {size for path in SNIPPETS.rglob("*") if path.is_file() and path.suffix in {".py", ".yml", ".sh"}
            for size in re.findall(r"\bStandard_[A-Za-z]+\d[A-Za-z0-9_]*", path.read_text(), re.IGNORECASE)}
    assert used, "the snippets name no VM size: the pattern above is out of date"
    assert [size for size in sorted(used) if rules.compute_size(cluster(size=size))] == []


def test_a_managed_online_deployment_runs_at_least_one_instance():
    assert check("online_instance_count", lambda: online(instance_count=0))


def test_a_command_job_read_back_as_a_node_is_checked_for_its_serverless_size():
    node = command(command="python train.py", environment="azureml:env:1",
                   resources=JobResourceConfiguration(instance_type="Standard_DS3_v5"))
    assert check("serverless_instance_type", lambda: node)


def test_a_compute_instance_location_is_checked():
    assert check("location", lambda: ComputeInstance(name="ci-dev", location="eastus3"))
