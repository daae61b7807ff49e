from azure.ai.ml import MLClient, load_job
from azure.ai.ml.constants import TimeZone
from azure.ai.ml.entities import CronTrigger, JobSchedule, RecurrencePattern, RecurrenceTrigger
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:cron]
# The job each schedule creates: the pipeline defined in YAML
pipeline_job = load_job(source="pipeline_job.yml")

# Cron: minute hour day-of-month month day-of-week -> every Monday at 06:00
cron_trigger = CronTrigger(
    expression="0 6 * * 1",
    time_zone=TimeZone.W_EUROPE_STANDARD_TIME,  # the default is UTC
)
weekly_schedule = JobSchedule(
    name="diabetes-pipeline-weekly",
    trigger=cron_trigger,
    create_job=pipeline_job,
)
weekly_schedule = ml_client.schedules.begin_create_or_update(weekly_schedule).result()
print(f"Created {weekly_schedule.name}")
# --8<-- [end:cron]

# --8<-- [start:recurrence]
# Recurrence: every day at 02:30 and 14:30 (UTC)
daily_trigger = RecurrenceTrigger(
    frequency="day",
    interval=1,
    schedule=RecurrencePattern(hours=[2, 14], minutes=30),
)
# Every second week, on Monday and Thursday at 07:00
biweekly_trigger = RecurrenceTrigger(
    frequency="week",
    interval=2,
    schedule=RecurrencePattern(hours=7, minutes=0, week_days=["monday", "thursday"]),
)
for name, trigger in [("diabetes-pipeline-daily", daily_trigger), ("diabetes-pipeline-biweekly", biweekly_trigger)]:
    schedule = JobSchedule(name=name, trigger=trigger, create_job=pipeline_job)
    created = ml_client.schedules.begin_create_or_update(schedule).result()
    print(f"Created {created.name}")
# --8<-- [end:recurrence]
