from azure.ai.ml import MLClient
from azure.ai.ml.entities import (
    ComputeInstance,
    ComputeSchedules,
    ComputeStartStopSchedule,
    CronTrigger,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:instance]
# Stop the instance at 19:00 UTC on weekdays, whether or not it is busy.
evening_stop = ComputeStartStopSchedule(
    trigger=CronTrigger(expression="0 19 * * 1-5", time_zone="UTC"),
    action="stop",
)

instance = ComputeInstance(
    name="ci-dp100-notes",  # unique within the Azure region
    size="STANDARD_DS3_v2",
    idle_time_before_shutdown_minutes=30,  # stop after 30 idle minutes
    schedules=ComputeSchedules(compute_start_stop=[evening_stop]),
)
ml_client.begin_create_or_update(instance).result()
# --8<-- [end:instance]
