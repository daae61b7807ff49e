"""Monitor the study helper's answers daily: generation quality (judged by a model) and token use.

The records to judge are a folder of JSON Lines, one request a line: the question, the context
sent with it and the answer (a prompt flow deployment's data collector writes them for you; an
app hosted elsewhere writes them itself, as production/requests.jsonl shows).
"""

import os

from azure.ai.ml import Input, MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import (
    AlertNotification,
    AzureOpenAIConnection,
    BaselineDataRange,
    Data,
    GenerationSafetyQualityMonitoringMetricThreshold,
    GenerationSafetyQualitySignal,
    GenerationTokenStatisticsSignal,
    LlmData,
    MonitorDefinition,
    MonitorSchedule,
    RecurrencePattern,
    RecurrenceTrigger,
    ServerlessSparkCompute,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:inputs]
# The judge: an Azure OpenAI deployment, reached through a workspace connection (Entra ID, no key)
judge = ml_client.connections.create_or_update(AzureOpenAIConnection(
    name="aoai-judge", azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"]
))
requests = ml_client.data.create_or_update(Data(
    name="study-helper-requests", version="1", type=AssetTypes.URI_FOLDER, path="production"
))
production = LlmData(
    input_data=Input(type="uri_folder", path=f"azureml:{requests.name}:{requests.version}"),
    data_column_names={  # which column holds what the metrics read
        "prompt_column": "question", "context_column": "context", "completion_column": "answer",
    },
    data_window=BaselineDataRange(lookback_window_size="P7D", lookback_window_offset="P0D"),
)
# --8<-- [end:inputs]

# --8<-- [start:signals]
pass_rate = 0.8  # alert when fewer than 80 % of sampled answers score at least 3 out of 5
signals = {
    "generation_quality": GenerationSafetyQualitySignal(
        connection_id=judge.id,
        production_data=[production],
        metric_thresholds=GenerationSafetyQualityMonitoringMetricThreshold(
            groundedness={"aggregated_groundedness_pass_rate": pass_rate},
            relevance={"aggregated_relevance_pass_rate": pass_rate},
            coherence={"aggregated_coherence_pass_rate": pass_rate},
            fluency={"aggregated_fluency_pass_rate": pass_rate},
        ),
        properties={"aoai_deployment_name": "gpt-4.1"},  # the judge's deployment
        sampling_rate=0.1,  # judge one request in ten: every judgement costs tokens
        alert_enabled=True,
    ),
    "token_usage": GenerationTokenStatisticsSignal(production_data=production),
}
# --8<-- [end:signals]

# --8<-- [start:schedule]
monitor = MonitorSchedule(
    name="study-helper-monitor",
    trigger=RecurrenceTrigger(
        frequency="day", interval=1, schedule=RecurrencePattern(hours=6, minutes=0)
    ),
    create_monitor=MonitorDefinition(
        compute=ServerlessSparkCompute(instance_type="standard_e4s_v3", runtime_version="3.4"),
        monitoring_signals=signals,
        alert_notification=AlertNotification(emails=["genai-team@contoso.com"]),
    ),
)
created = ml_client.schedules.begin_create_or_update(monitor).result()
print(f"{created.name}: {sorted(created.create_monitor.monitoring_signals)}")
# --8<-- [end:schedule]
