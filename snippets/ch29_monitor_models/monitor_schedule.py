from azure.ai.ml import Input, MLClient
from azure.ai.ml.constants import MonitorDatasetContext
from azure.ai.ml.entities import (
    AlertNotification,
    CategoricalDriftMetrics,
    DataDriftMetricThreshold,
    DataDriftSignal,
    DataQualityMetricsNumerical,
    DataQualityMetricThreshold,
    DataQualitySignal,
    FeatureAttributionDriftMetricThreshold,
    FeatureAttributionDriftSignal,
    MonitorDefinition,
    MonitoringTarget,
    MonitorSchedule,
    NumericalDriftMetrics,
    PredictionDriftMetricThreshold,
    PredictionDriftSignal,
    RecurrencePattern,
    RecurrenceTrigger,
    ReferenceData,
    ServerlessSparkCompute,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:target]
spark = ServerlessSparkCompute(instance_type="standard_e4s_v3", runtime_version="3.4")
target = MonitoringTarget(
    ml_task="classification",
    endpoint_deployment_id="azureml:diabetes-endpoint:blue",  # it collects its data
)
training = ReferenceData(  # the baseline: what the model learned from
    input_data=Input(type="mltable", path="azureml:diabetes-reference:1"),
    data_context=MonitorDatasetContext.TRAINING,
    data_column_names={"target_column": "Diabetic"},
)
# --8<-- [end:target]

# --8<-- [start:signals]
# No production_data: each signal reads what the deployment's data collector stored
signals = {
    "data_drift": DataDriftSignal(
        reference_data=training,
        features=["PlasmaGlucose", "BMI", "Age"],
        metric_thresholds=DataDriftMetricThreshold(
            numerical=NumericalDriftMetrics(normalized_wasserstein_distance=0.1),
            categorical=CategoricalDriftMetrics(pearsons_chi_squared_test=0.05),
        ),
        alert_enabled=True,
    ),
    "prediction_drift": PredictionDriftSignal(
        reference_data=training,
        metric_thresholds=PredictionDriftMetricThreshold(
            categorical=CategoricalDriftMetrics(jensen_shannon_distance=0.1),
        ),
        alert_enabled=True,
    ),
    "data_quality": DataQualitySignal(
        reference_data=training,
        features="all_features",
        metric_thresholds=DataQualityMetricThreshold(
            numerical=DataQualityMetricsNumerical(
                null_value_rate=0.01, out_of_bounds_rate=0.02
            ),
        ),
        alert_enabled=True,
    ),
    "feature_attribution_drift": FeatureAttributionDriftSignal(
        reference_data=training,  # required: training data and its target column
        metric_thresholds=FeatureAttributionDriftMetricThreshold(
            normalized_discounted_cumulative_gain=0.9
        ),
        alert_enabled=True,
    ),
}
# --8<-- [end:signals]

# --8<-- [start:schedule]
monitor = MonitorSchedule(
    name="diabetes-blue-monitor",
    trigger=RecurrenceTrigger(
        frequency="day", interval=1, schedule=RecurrencePattern(hours=3, minutes=15)
    ),
    create_monitor=MonitorDefinition(
        compute=spark,
        monitoring_target=target,
        monitoring_signals=signals,
        alert_notification=AlertNotification(emails=["ml-team@contoso.com"]),
    ),
)
created = ml_client.schedules.begin_create_or_update(monitor).result()
every = f"{created.trigger.interval} {created.trigger.frequency}"
print(f"Monitor {created.name}: every {every}, signals {list(signals)}")
# --8<-- [end:schedule]
