"""Print the connection string of the Application Insights resource a Foundry project traces to.

    export APPLICATIONINSIGHTS_CONNECTION_STRING="$(python project_tracing.py)"

PROJECT_ENDPOINT: https://<resource>.services.ai.azure.com/api/projects/<project>
"""

import os

from azure.ai.projects import AIProjectClient
from azure.identity import DefaultAzureCredential

# --8<-- [start:connection_string]
with AIProjectClient(endpoint=os.environ["PROJECT_ENDPOINT"],
                     credential=DefaultAzureCredential()) as project:
    # the resource connected under Tracing in the portal: a connection of type AppInsights
    print(project.telemetry.get_application_insights_connection_string())
# --8<-- [end:connection_string]
