"""What Azure checks that the azure-ai-ml SDK leaves to the service, as pure functions over SDK entities.

Each check returns the errors Azure would answer with (empty when Azure accepts), and ``RULES`` lists
them with the entity kind each applies to and where the rule is documented. The facts the checks read
are ``facts/*.yml``, each naming its own source.

Checks the SDK makes before it sends anything are not repeated here. Endpoint and deployment names are
checked all the same, by calling the SDK's own validator: the SDK runs it only while serialising a
request, which a file read by ``az ml ... --file`` never goes through.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable
from typing import NamedTuple

from azure.ai.ml.constants import TimeZone
from azure.ai.ml.entities import (
    AmlCompute,
    BatchDeployment,
    BatchEndpoint,
    Command,
    CommandJob,
    Compute,
    ComputeInstance,
    CronTrigger,
    Data,
    Datastore,
    Environment,
    FeatureAttributionDriftSignal,
    FeatureSet,
    GenerationSafetyQualitySignal,
    GenerationTokenStatisticsSignal,
    KubernetesOnlineDeployment,
    KubernetesOnlineEndpoint,
    ManagedOnlineDeployment,
    Model,
    MonitorSchedule,
    OnlineDeployment,
    OnlineEndpoint,
    RecurrenceTrigger,
    Registry,
    Workspace,
)
from azure.ai.ml.entities._endpoint._endpoint_helpers import validate_endpoint_or_deployment_name
from azure.ai.ml.exceptions import ValidationException

from tests.fake_azure.catalog import facts

LEARN = "https://learn.microsoft.com/azure/machine-learning/"
# Name patterns of the ARM resources, from azure-rest-api-specs as rendered by Azure/bicep-types-az in
# generated/machinelearningservices/microsoft.machinelearningservices/2024-10-01/types.md.
ARM_NAMES = "azure-rest-api-specs Microsoft.MachineLearningServices 2024-10-01 name patterns (bicep-types-az types.md)"


# --- endpoints and deployments ------------------------------------------------------------------

def endpoint_name(endpoint: OnlineEndpoint | BatchEndpoint) -> list[str]:
    """3-32 characters, letters, digits and '-', starting with a letter (the SDK's own check)."""
    return _sdk_name_errors(endpoint.name, is_deployment=False)


def deployment_name(deployment: OnlineDeployment | BatchDeployment) -> list[str]:
    """The same rule for deployments of every endpoint type (the SDK checks only online ones, on send)."""
    return _sdk_name_errors(deployment.name, is_deployment=True)


def _sdk_name_errors(name: str | None, *, is_deployment: bool) -> list[str]:
    try:
        validate_endpoint_or_deployment_name(name, is_deployment=is_deployment)
    except ValidationException as error:
        return [" ".join(error.message.split())]
    return []


def kubernetes_names_length(deployment: KubernetesOnlineDeployment) -> list[str]:
    length = len(deployment.endpoint_name or "") + len(deployment.name or "")
    if 6 <= length <= 62:
        return []
    return [f"The endpoint name plus the deployment name of a Kubernetes deployment must be 6-62 characters "
            f"in total, got {length}."]


def live_traffic(endpoint: OnlineEndpoint) -> list[str]:
    """Whole percentages from 0 to 100 that add up to 0 (traffic off) or 100."""
    traffic = endpoint.traffic or {}
    errors = [f"Traffic for deployment '{name}' must be a whole percentage from 0 to 100, got {value!r}."
              for name, value in traffic.items() if not _percentage(value)]
    if not errors and sum(traffic.values()) not in (0, 100):
        errors.append(f"The traffic of endpoint '{endpoint.name}' must add up to 0 or 100 percent, "
                      f"got {sum(traffic.values())}.")
    return errors


def _percentage(value) -> bool:
    return isinstance(value, int) and not isinstance(value, bool) and 0 <= value <= 100


def traffic_targets(endpoint: OnlineEndpoint, deployments: set[str]) -> list[str]:
    """Traffic and mirror traffic can go only to deployments the endpoint already has."""
    existing = {name.lower() for name in deployments}
    return [f"{label} names deployment '{name}', which endpoint '{endpoint.name}' doesn't have."
            for label, split in (("Traffic", endpoint.traffic), ("Mirror traffic", endpoint.mirror_traffic))
            for name in split or {} if name.lower() not in existing]


def mirror_traffic(endpoint: OnlineEndpoint) -> list[str]:
    """To one deployment only, at most 50 percent, and never to a deployment that gets live traffic."""
    mirror = endpoint.mirror_traffic or {}
    errors = [f"Mirror traffic for deployment '{name}' must be a whole percentage from 0 to 100, got {value!r}."
              for name, value in mirror.items() if not _percentage(value)]
    if errors:
        return errors
    mirrored = sorted(name for name, value in mirror.items() if value > 0)
    if len(mirrored) > 1:
        errors.append(f"Traffic can be mirrored to one deployment only, got {', '.join(mirrored)}.")
    if sum(mirror.values()) > 50:
        errors.append(f"At most 50 percent of the traffic can be mirrored, got {sum(mirror.values())}.")
    errors += [f"Deployment '{name}' gets live traffic, so it can't get mirrored traffic too."
               for name in mirrored if (endpoint.traffic or {}).get(name, 0) > 0]
    return errors


def kubernetes_mirror_traffic(endpoint: KubernetesOnlineEndpoint) -> list[str]:
    if any(value > 0 for value in (endpoint.mirror_traffic or {}).values()):
        return ["Kubernetes online endpoints don't support mirror traffic."]
    return []


def batch_default_deployment(endpoint: BatchEndpoint, deployments: set[str]) -> list[str]:
    defaults = endpoint.defaults or {}  # a dict when built in Python, the REST model when loaded from YAML
    default = defaults.get("deployment_name") if isinstance(defaults, dict) else defaults.deployment_name
    if default is None or default.lower() in {name.lower() for name in deployments}:
        return []
    return [f"The default deployment '{default}' isn't a deployment of batch endpoint '{endpoint.name}'."]


def online_instance_count(deployment: ManagedOnlineDeployment) -> list[str]:
    if deployment.instance_count is None:
        return ["instance_count is required for a managed online deployment."]
    if deployment.instance_count < 1:
        return [f"instance_count {deployment.instance_count}: a managed online deployment runs at least one "
                "instance (managed online endpoints do not scale to zero)."]
    return []


def online_instance_type(deployment: ManagedOnlineDeployment) -> list[str]:
    size = deployment.instance_type
    if size is None:
        return []
    table = facts("online_instance_types")
    if size.upper() not in table["instance_types"]:
        return [f"Instance type '{size}' isn't in the managed online endpoints SKU list."]
    if size.upper() in table["retired"]:
        return [f"Instance type '{size}' was retired on {table['retired'][size.upper()]}; choose another SKU."]
    return []


# --- compute ------------------------------------------------------------------------------------

def compute_name(compute: AmlCompute | ComputeInstance) -> list[str]:
    """3-24 letters, digits and '-', starting with a letter; a '-' must be followed later by a letter."""
    name = compute.name or ""
    letter_after_hyphens = "-" not in name or re.search("[A-Za-z]", name.rsplit("-", 1)[1])
    if re.fullmatch(r"[A-Za-z][A-Za-z0-9-]{2,23}", name) and letter_after_hyphens:
        return []
    return [f"Compute name '{name}' must be 3-24 letters, digits and '-', start with a letter, and have a letter "
            f"somewhere after each '-'."]


def cluster_scale(compute: AmlCompute) -> list[str]:
    if compute.min_instances is None or compute.max_instances is None or compute.min_instances <= compute.max_instances:
        return []
    return [f"min_instances ({compute.min_instances}) can't be more than max_instances ({compute.max_instances})."]


def compute_size(compute: AmlCompute | ComputeInstance) -> list[str]:
    return _size_errors(compute.size, "VM size")


def serverless_instance_type(job: CommandJob | Command) -> list[str]:
    """A job without `compute` runs on serverless compute, sized by resources.instance_type."""
    if job.compute is not None or job.resources is None:
        return []
    return _size_errors(job.resources.instance_type, "Serverless instance type")


def _size_errors(size: str | None, label: str) -> list[str]:
    if size is None:
        return []
    series = _series_by_size().get(size.lower())
    if series is None:
        return [f"{label} '{size}' isn't a VM size Azure Machine Learning compute supports."]
    if "retired" in series:
        return [f"{label} '{size}' is of the {series['name']} series, retired on {series['retired']}; "
                f"choose another size."]
    return []


@functools.cache
def _series_by_size() -> dict[str, dict]:
    return {size.lower(): series for series in facts("vm_sizes")["series"] for size in series["sizes"]}


def location(resource: AmlCompute | ComputeInstance | Workspace) -> list[str]:
    where = resource.location
    if where is None or where.lower() in facts("regions")["regions"]:
        return []
    return [f"The provided location '{where}' is not available for Azure Machine Learning."]


def compute_action(compute: Compute, action: str) -> list[str]:
    """Only a compute instance can be started, stopped or restarted."""
    if action not in ("start", "stop", "restart") or isinstance(compute, ComputeInstance):
        return []
    return [f"Only a compute instance can be started, stopped or restarted; '{compute.name}' is of type "
            f"{compute.type}."]


# --- names of the workspace and its assets ------------------------------------------------------

def workspace_name(workspace: Workspace) -> list[str]:
    return _pattern_errors("Workspace", workspace.name, r"[A-Za-z0-9][A-Za-z0-9_-]{2,32}",
                           "3-33 letters, digits, '_' and '-', starting with a letter or digit")


def asset_name(asset: Environment | Data | Model) -> list[str]:
    return _pattern_errors(type(asset).__name__, asset.name, r"[A-Za-z0-9][A-Za-z0-9_-]{0,254}",
                           "1-255 letters, digits, '_' and '-', starting with a letter or digit")


def datastore_name(datastore: Datastore) -> list[str]:
    return _pattern_errors("Datastore", datastore.name, r"[a-z0-9][a-z0-9_]{0,254}",
                           "lowercase letters, digits and '_', starting with a letter or digit")


def _pattern_errors(kind: str, name: str | None, pattern: str, rule: str) -> list[str]:
    if name is None or re.fullmatch(pattern, name):
        return []
    return [f"{kind} name '{name}' is invalid: use {rule}."]


def registry_name(registry: Registry) -> list[str]:
    """Learn allows 2-32 characters, the ARM spec 3-33: a name both accept."""
    return _pattern_errors("Registry", registry.name, r"[A-Za-z0-9][A-Za-z0-9_-]{2,31}",
                           "3-32 letters, digits, '_' and '-', starting with a letter or digit")


def registry_regions(registry: Registry) -> list[str]:
    """The primary region is one of the replication locations, and each is a region Azure ML runs in."""
    regions = [details.location for details in registry.replication_locations or []]
    errors = [] if registry.location in regions else [
        f"The primary location '{registry.location}' of registry '{registry.name}' must also be one of its "
        f"replication locations ({', '.join(map(str, regions)) or 'none given'})."]
    known = facts("regions")["regions"]
    return errors + [f"The provided location '{where}' is not available for Azure Machine Learning."
                     for where in dict.fromkeys([registry.location, *regions]) if str(where).lower() not in known]


def environment_prefix(environment: Environment) -> list[str]:
    name = environment.name or ""
    reserved = [prefix for prefix in ("AzureML", "Microsoft") if name.startswith(prefix)]
    return [f"Environment name '{name}' starts with '{prefix}', a prefix reserved for curated environments."
            for prefix in reserved]


# --- schedules ----------------------------------------------------------------------------------

DAYS = ("sun", "mon", "tue", "wed", "thu", "fri", "sat")
FREQUENCIES = ("minute", "hour", "day", "week", "month")
WEEK_DAYS = ("monday", "tuesday", "wednesday", "thursday", "friday", "saturday", "sunday")


def cron_expression(trigger: CronTrigger) -> list[str]:
    """MINUTES HOURS DAYS MONTHS DAYS-OF-WEEK; Azure ignores DAYS and MONTHS (treats them as '*')."""
    fields = trigger.expression.split()
    if len(fields) != 5:
        return [f"Cron expression '{trigger.expression}' must have 5 fields, got {len(fields)}."]
    minutes, hours, _, _, week_days = fields
    return (_cron_field(minutes, "minutes", 0, 59) + _cron_field(hours, "hours", 0, 23)
            + _cron_field(week_days, "days of the week", 0, 6, DAYS))


def _cron_field(text: str, label: str, low: int, high: int, names: tuple[str, ...] = ()) -> list[str]:
    for item in text.split(","):
        match = re.fullmatch(r"(\*|[A-Za-z0-9]+(?:-[A-Za-z0-9]+)?)(?:/([1-9][0-9]*))?", item)
        if match is None:
            return [f"'{item}' isn't valid cron syntax for {label}."]
        for value in [] if match[1] == "*" else match[1].split("-"):
            if _cron_number(value, names) not in range(low, high + 1):
                return [f"Cron {label} must be from {low} to {high}, got '{value}'."]
    return []


def _cron_number(value: str, names: tuple[str, ...]) -> int | None:
    """A number, or a day's three-letter name (any case), as NCrontab reads a field value."""
    if value.lower() in names:
        return names.index(value.lower())
    return int(value) if value.isdigit() else None


def recurrence(trigger: RecurrenceTrigger) -> list[str]:
    """frequency minute..month, an integer interval, and a pattern only where the frequency allows it."""
    frequency = str(getattr(trigger.frequency, "value", trigger.frequency)).lower()
    pattern = trigger.schedule
    hours, minutes = _as_list(pattern.hours if pattern else None), _as_list(pattern.minutes if pattern else None)
    week_days = [str(day).lower() for day in _as_list(pattern.week_days if pattern else None)]
    errors = [] if frequency in FREQUENCIES else [f"Recurrence frequency must be one of {', '.join(FREQUENCIES)}, "
                                                  f"got '{trigger.frequency}'."]
    if not isinstance(trigger.interval, int) or isinstance(trigger.interval, bool):
        errors.append(f"Recurrence interval must be an integer, got {trigger.interval!r}.")
    if (hours or minutes) and frequency not in ("day", "week", "month"):
        errors.append(f"A recurrence pattern of hours and minutes needs frequency day, week or month, "
                      f"got '{frequency}'.")
    if week_days and frequency not in ("week", "month"):
        errors.append(f"A recurrence pattern of week days needs frequency week or month, got '{frequency}'.")
    errors += [f"Recurrence hours must be from 0 to 23, got {hour}." for hour in hours if not 0 <= hour <= 23]
    errors += [f"Recurrence minutes must be from 0 to 59, got {minute}." for minute in minutes if not 0 <= minute <= 59]
    errors += [f"'{day}' isn't a week day (monday to sunday)." for day in week_days if day not in WEEK_DAYS]
    return errors


def _as_list(value) -> list:
    return [] if value is None else value if isinstance(value, list) else [value]


def time_zone(trigger: CronTrigger | RecurrenceTrigger) -> list[str]:
    zone = str(getattr(trigger.time_zone, "value", trigger.time_zone))
    return [] if zone in {known.value for known in TimeZone} else [f"'{zone}' isn't a time zone schedules support."]


# --- model monitoring ---------------------------------------------------------------------------

SERVERLESS_SPARK_SIZES = tuple(f"standard_e{cores}s_v3" for cores in (4, 8, 16, 32, 64))  # monitors and materialization


def monitor_compute(schedule: MonitorSchedule) -> list[str]:
    """A monitor's jobs run on serverless Spark, in one of the E-series sizes it supports."""
    size = schedule.create_monitor.compute.instance_type
    if str(size).lower() in SERVERLESS_SPARK_SIZES:
        return []
    return [f"Monitor compute instance type '{size}' isn't one model monitoring's serverless Spark supports "
            f"({', '.join(SERVERLESS_SPARK_SIZES)})."]


def feature_attribution_reference(schedule: MonitorSchedule) -> list[str]:
    """Feature attribution drift compares with the training data, whose target column it must be told."""
    errors = []
    for name, signal in (schedule.create_monitor.monitoring_signals or {}).items():
        if not isinstance(signal, FeatureAttributionDriftSignal):
            continue
        reference = signal.reference_data
        context = str(getattr(reference.data_context, "value", reference.data_context)).lower()
        if context != "training":
            errors.append(f"Signal '{name}': feature attribution drift needs training data as its reference "
                          f"data (data_context training), got '{context}'.")
        if not (reference.data_column_names or {}).get("target_column"):
            errors.append(f"Signal '{name}': feature attribution drift needs the reference data's target column "
                          "(data_column_names={'target_column': ...}).")
    return errors


# Generation safety and quality: which columns of the production data each metric reads (Learn's
# "Metric configuration requirements"), the judge it needs, and the thresholds it lets you set.
GENERATION_METRIC_COLUMNS = {
    "coherence": ("prompt_column", "completion_column"),
    "fluency": ("prompt_column", "completion_column"),
    "groundedness": ("prompt_column", "completion_column", "context_column"),
    "relevance": ("prompt_column", "completion_column", "context_column"),
    "similarity": ("prompt_column", "completion_column", "ground_truth_column"),
}
ACCEPTABLE_SCORE_PER_INSTANCE = 3  # "fixed at 3/5"


def _generation_signals(schedule: MonitorSchedule, kinds: type | tuple[type, ...]) -> list[tuple[str, object]]:
    signals = schedule.create_monitor.monitoring_signals or {}
    return [(name, signal) for name, signal in signals.items() if isinstance(signal, kinds)]


def generation_quality_inputs(schedule: MonitorSchedule) -> list[str]:
    """Each metric asked for has its columns mapped; the signal names its judge (connection and deployment)."""
    errors = []
    for name, signal in _generation_signals(schedule, GenerationSafetyQualitySignal):
        if not signal.connection_id or not (signal.properties or {}).get("aoai_deployment_name"):
            errors.append(f"Signal '{name}': generation safety and quality needs the workspace connection of an "
                          "Azure OpenAI resource (connection_id) and its deployment (aoai_deployment_name).")
        for data in signal.production_data or []:
            columns = data.data_column_names or {}
            for metric, needed in GENERATION_METRIC_COLUMNS.items():
                missing = [column for column in needed if not columns.get(column)]
                if getattr(signal.metric_thresholds, metric) and missing:
                    errors.append(f"Signal '{name}': {metric} reads {', '.join(needed)}; data_column_names "
                                  f"lacks {', '.join(missing)}.")
    return errors


def generation_quality_thresholds(schedule: MonitorSchedule) -> list[str]:
    """The acceptable score per answer is fixed at 3 of 5; only the pass rate, 1-99 %, is yours to set."""
    errors = []
    for name, signal in _generation_signals(schedule, GenerationSafetyQualitySignal):
        for metric in GENERATION_METRIC_COLUMNS:
            threshold = getattr(signal.metric_thresholds, metric) or {}
            score = threshold.get(f"acceptable_{metric}_score_per_instance", ACCEPTABLE_SCORE_PER_INSTANCE)
            rate = threshold.get(f"aggregated_{metric}_pass_rate")
            if score != ACCEPTABLE_SCORE_PER_INSTANCE:
                errors.append(f"Signal '{name}': the acceptable {metric} score per instance is fixed at "
                              f"{ACCEPTABLE_SCORE_PER_INSTANCE}, got {score}.")
            if rate is not None and not 0.01 <= rate <= 0.99:
                errors.append(f"Signal '{name}': the {metric} pass rate must be between 0.01 and 0.99 (1-99 %), "
                              f"got {rate}.")
    return errors


def generation_sampling_rate(schedule: MonitorSchedule) -> list[str]:
    kinds = (GenerationSafetyQualitySignal, GenerationTokenStatisticsSignal)
    return [f"Signal '{name}': sampling_rate must be greater than 0 and at most 1, got {signal.sampling_rate}."
            for name, signal in _generation_signals(schedule, kinds)
            if signal.sampling_rate is not None and not 0 < signal.sampling_rate <= 1]

# --- feature stores -----------------------------------------------------------------------------

def materialization_compute(feature_set: FeatureSet) -> list[str]:
    """A feature set materializes on serverless Spark, in one of the E-series sizes it supports."""
    settings = feature_set.materialization_settings
    size = settings.resource.instance_type if settings and settings.resource else None
    if size is None or str(size).lower() in SERVERLESS_SPARK_SIZES:
        return []
    return [f"Materialization instance type '{size}' isn't one serverless Spark supports "
            f"({', '.join(SERVERLESS_SPARK_SIZES)})."]


# --- the table ----------------------------------------------------------------------------------

class Rule(NamedTuple):
    name: str
    kind: type | tuple[type, ...]
    check: Callable[..., list[str]]
    source: str


QUOTAS = LEARN + "how-to-manage-quotas#azure-machine-learning-online-endpoints-and-batch-endpoints"
ROLLOUT = LEARN + "how-to-safely-rollout-online-endpoints"
SCHEDULES = LEARN + "how-to-schedule-pipeline-job"
VM_SERIES = LEARN + "concept-compute-target#supported-vm-series-and-sizes"

RULES = [
    Rule("endpoint_name", (OnlineEndpoint, BatchEndpoint), endpoint_name,
         f"{QUOTAS} (endpoint name); the SDK's validate_endpoint_or_deployment_name"),
    Rule("deployment_name", (OnlineDeployment, BatchDeployment), deployment_name,
         f"{QUOTAS} (deployment name, all endpoint types); the SDK's validate_endpoint_or_deployment_name"),
    Rule("kubernetes_names_length", KubernetesOnlineDeployment, kubernetes_names_length,
         f"{QUOTAS} (Kubernetes: endpoint plus deployment name 6-62 characters)"),
    Rule("live_traffic", OnlineEndpoint, live_traffic,
         f"{ROLLOUT} (tip: the total traffic percentage must sum to either 0% or 100%)"),
    Rule("traffic_targets", OnlineEndpoint, traffic_targets,
         f"{ROLLOUT} (traffic can be set only once the endpoint's deployments exist)"),
    Rule("mirror_traffic", OnlineEndpoint, mirror_traffic,
         f"{ROLLOUT}#test-the-deployment-with-mirrored-traffic (one deployment, at most 50%, live or mirrored)"),
    Rule("kubernetes_mirror_traffic", KubernetesOnlineEndpoint, kubernetes_mirror_traffic,
         f"{ROLLOUT}#test-the-deployment-with-mirrored-traffic (not supported for Kubernetes online endpoints)"),
    Rule("batch_default_deployment", BatchEndpoint, batch_default_deployment,
         LEARN + "how-to-use-batch-model-deployments (the default deployment is one of the endpoint's)"),
    Rule("online_instance_count", ManagedOnlineDeployment, online_instance_count,
         LEARN + "how-to-deploy-online-endpoints (Instance count: Required); concept-endpoints-online FAQ "
         "(no scale to zero)"),
    Rule("online_instance_type", ManagedOnlineDeployment, online_instance_type,
         LEARN + "reference-managed-online-endpoints-vm-sku-list (facts/online_instance_types.yml)"),
    Rule("compute_name", (AmlCompute, ComputeInstance), compute_name,
         LEARN + "how-to-create-compute-instance and how-to-create-attach-compute-cluster (Compute name)"),
    Rule("cluster_scale", AmlCompute, cluster_scale,
         LEARN + "reference-yaml-compute-aml (min_instances, max_instances: the minimum and maximum node count)"),
    Rule("compute_size", (AmlCompute, ComputeInstance), compute_size, f"{VM_SERIES} (facts/vm_sizes.yml)"),
    # a read returns a command job as a Command node, so both kinds are checked
    Rule("serverless_instance_type", (CommandJob, Command), serverless_instance_type,
         f"{VM_SERIES} (serverless compute is managed compute; facts/vm_sizes.yml)"),
    Rule("location", (AmlCompute, ComputeInstance, Workspace), location,
         "regions confirmed for Azure ML, each with its source (facts/regions.yml; not the full list)"),
    Rule("compute_action", Compute, compute_action,
         "https://learn.microsoft.com/rest/api/azureml/compute (Start/Stop/Restart: 'a compute instance')"),
    Rule("workspace_name", Workspace, workspace_name, f"{ARM_NAMES}: workspaces ^[a-zA-Z0-9][a-zA-Z0-9_-]{{2,32}}$"),
    Rule("asset_name", (Environment, Data, Model), asset_name,
         f"{ARM_NAMES}: environments, data, models ^[a-zA-Z0-9][a-zA-Z0-9\\-_]{{0,254}}$"),
    Rule("datastore_name", Datastore, datastore_name,
         LEARN + "v1/how-to-access-data (a datastore name should only contain lowercase letters, digits and "
         f"underscores); {ARM_NAMES}: at most 255"),
    Rule("environment_prefix", Environment, environment_prefix,
         "https://learn.microsoft.com/python/api/azureml-core/azureml.core.environment(class) "
         "(prefixes Microsoft and AzureML are reserved for curated environments)"),
    Rule("cron_expression", CronTrigger, cron_expression,
         f"{SCHEDULES}#define-a-time-based-schedule-with-a-cron-expression (NCrontab syntax, which Learn links)"),
    Rule("recurrence", RecurrenceTrigger, recurrence, LEARN + "reference-yaml-schedule#recurrence-trigger"),
    Rule("time_zone", (CronTrigger, RecurrenceTrigger), time_zone,
         LEARN + "reference-yaml-schedule#timezone (the values of the SDK's TimeZone)"),
    Rule("registry_name", Registry, registry_name,
         LEARN + "how-to-manage-registries#choose-a-name (2-32 characters: letters, digits, '_', '-', starting "
         f"with a letter or digit); {ARM_NAMES}: registries ^[a-zA-Z0-9][a-zA-Z0-9\\-_]{{2,32}}$"),
    Rule("registry_regions", Registry, registry_regions,
         LEARN + "reference-yaml-registry (replication_locations: the list must include the primary location); "
         "facts/regions.yml"),
    Rule("monitor_compute", MonitorSchedule, monitor_compute,
         LEARN + "reference-yaml-monitor#monitor-definition (compute.instance_type: standard_e4s_v3 ... "
         "standard_e64s_v3); how-to-monitor-model-performance#configure-a-serverless-spark-compute-pool"),
    Rule("feature_attribution_reference", MonitorSchedule, feature_attribution_reference,
         LEARN + "reference-yaml-monitor#feature-attribution-drift-preview (reference_data.data_context: only "
         "training; reference_data.data_column_names.target_column: Required)"),
    Rule("generation_quality_inputs", MonitorSchedule, generation_quality_inputs,
         LEARN + "prompt-flow/how-to-monitor-generative-ai-applications#metric-configuration-requirements (the "
         "columns each metric reads; prerequisites: the Azure OpenAI connection and evaluator deployment)"),
    Rule("generation_quality_thresholds", MonitorSchedule, generation_quality_thresholds,
         LEARN + "prompt-flow/how-to-monitor-generative-ai-applications#resolve-alerts (the acceptable score is "
         "fixed at 3/5; the overall passing rate is adjustable within [1,99] %)"),
    Rule("generation_sampling_rate", MonitorSchedule, generation_sampling_rate,
         "azure-ai-ml 1.35.2 GenerationSafetyQualitySignal and GenerationTokenStatisticsSignal docstrings "
         "(sampling_rate: greater than 0 and at most 1)"),
    Rule("materialization_compute", FeatureSet, materialization_compute,
         LEARN + "reference-yaml-feature-set (materialization_settings.resource.instance_type: Standard_E4s_v3, "
         "Standard_E8s_v3, Standard_E16s_v3, Standard_E32s_v3, Standard_E64s_v3)"),
]
