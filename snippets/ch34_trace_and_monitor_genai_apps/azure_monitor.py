"""Send the study helper's traces to Application Insights, where Foundry's tracing views read them.

    python azure_monitor.py "Does a compute cluster scale to zero?"

APPLICATIONINSIGHTS_CONNECTION_STRING: the resource's connection string (its overview page, or
the Foundry project's connected resource). It says where to send; the credential says who sends.
"""

import os
import sys

from azure.identity import DefaultAzureCredential
from azure.monitor.opentelemetry.exporter import AzureMonitorTraceExporter
from opentelemetry.sdk.resources import Resource
from opentelemetry.sdk.trace import TracerProvider
from opentelemetry.sdk.trace.export import BatchSpanProcessor
from traced_app import StudyHelper, model_client

# --8<-- [start:exporter]
provider = TracerProvider(resource=Resource.create({"service.name": "study-helper"}))
exporter = AzureMonitorTraceExporter(
    connection_string=os.environ["APPLICATIONINSIGHTS_CONNECTION_STRING"],
    credential=DefaultAzureCredential(),  # Entra ID: works with local authentication disabled
    tracer_provider=provider,  # whose resource (the service's name) the exporter reports
)
provider.add_span_processor(BatchSpanProcessor(exporter))  # sends in batches, off the request path
# --8<-- [end:exporter]

# --8<-- [start:run]
helper = StudyHelper(model_client(), provider.get_tracer("study-helper"))
for question in sys.argv[1:]:
    print(helper.answer(question))
provider.shutdown()  # sends the spans still in the batch before the process ends
# --8<-- [end:run]
