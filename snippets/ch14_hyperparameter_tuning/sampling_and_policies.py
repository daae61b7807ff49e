import math

from azure.ai.ml import MLClient, command
from azure.ai.ml.sweep import Choice, LogUniform, MedianStoppingPolicy, TruncationSelectionPolicy, Uniform
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# The same trial as in sweep_job.py
train_job = command(
    code="./src",
    command="python train.py --learning_rate ${{inputs.learning_rate}} --n_estimators ${{inputs.n_estimators}}",
    inputs={"learning_rate": 0.1, "n_estimators": 100},
    environment="azureml:AzureML-sklearn-1.5@latest",
    compute="cpu-cluster",
)

# --8<-- [start:grid]
# Grid: Choice values only; every combination is tried once (3 x 3 = 9 trials)
grid_sweep = train_job(
    learning_rate=Choice(values=[0.01, 0.1, 0.3]),
    n_estimators=Choice(values=[50, 100, 150]),
).sweep(
    sampling_algorithm="grid",
    primary_metric="val_accuracy",
    goal="Maximize",
    max_total_trials=9,
    max_concurrent_trials=3,
)
# A cautious policy: stop trials below the median of the running averages
grid_sweep.early_termination = MedianStoppingPolicy(evaluation_interval=1, delay_evaluation=5)
# --8<-- [end:grid]

# --8<-- [start:random]
# Random: any distribution. LogUniform's bounds are natural logarithms,
# so this samples learning rates between 0.001 and 0.3, evenly on a log scale.
random_sweep = train_job(
    learning_rate=LogUniform(min_value=math.log(0.001), max_value=math.log(0.3)),
    n_estimators=Choice(values=[50, 100, 150]),
).sweep(
    sampling_algorithm="random",
    primary_metric="val_accuracy",
    goal="Maximize",
    max_total_trials=20,
    max_concurrent_trials=4,
)
# An aggressive policy: cancel the worst 20 % of trials at every report
random_sweep.early_termination = TruncationSelectionPolicy(
    truncation_percentage=20, evaluation_interval=1, delay_evaluation=5
)
# --8<-- [end:random]

# --8<-- [start:bayesian]
# Bayesian: Choice, Uniform and QUniform only, and no early termination policy.
# Plan at least 20 trials per hyperparameter; few at a time learn more from earlier ones.
bayesian_sweep = train_job(
    learning_rate=Uniform(min_value=0.01, max_value=0.3),
    n_estimators=Choice(values=[50, 100, 150]),
).sweep(
    sampling_algorithm="bayesian",
    primary_metric="val_accuracy",
    goal="Maximize",
    max_total_trials=40,
    max_concurrent_trials=2,
)
# --8<-- [end:bayesian]

# --8<-- [start:submit]
for sweep in (grid_sweep, random_sweep, bayesian_sweep):
    submitted = ml_client.jobs.create_or_update(sweep, experiment_name="gbc-hyperparameter-tuning")
    print(f"{submitted.name}: {submitted.studio_url}")
# --8<-- [end:submit]
