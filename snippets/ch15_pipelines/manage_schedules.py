from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:manage]
# List the enabled schedules of the workspace
for schedule in ml_client.schedules.list():
    print(schedule.name, schedule.trigger.type)

# Pause a schedule: no new jobs until you enable it again
ml_client.schedules.begin_disable(name="diabetes-pipeline-daily").result()
ml_client.schedules.begin_enable(name="diabetes-pipeline-daily").result()

# Delete a schedule: disable it first (jobs it already started are kept)
ml_client.schedules.begin_disable(name="diabetes-pipeline-biweekly").result()
ml_client.schedules.begin_delete(name="diabetes-pipeline-biweekly").result()
# --8<-- [end:manage]
