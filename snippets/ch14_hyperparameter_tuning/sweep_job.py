from azure.ai.ml import MLClient, command
from azure.ai.ml.sweep import BanditPolicy, Choice, RandomSamplingAlgorithm, Uniform
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:command]
# An ordinary command job: the hyperparameters are inputs with default values
train_job = command(
    code="./src",
    command="python train.py --learning_rate ${{inputs.learning_rate}} --n_estimators ${{inputs.n_estimators}}",
    inputs={"learning_rate": 0.1, "n_estimators": 100},
    environment="azureml:AzureML-sklearn-1.5@latest",
    compute="cpu-cluster",
)
# --8<-- [end:command]

# --8<-- [start:search_space]
# Calling the job replaces the fixed inputs with distributions: the search space
job_for_sweep = train_job(
    learning_rate=Uniform(min_value=0.01, max_value=0.3),
    n_estimators=Choice(values=[50, 100, 150]),
)
# --8<-- [end:search_space]

# --8<-- [start:sweep]
sweep_job = job_for_sweep.sweep(
    compute="cpu-cluster",
    sampling_algorithm=RandomSamplingAlgorithm(seed=42, rule="sobol"),
    primary_metric="val_accuracy",  # exactly the name train.py logs
    goal="Maximize",
)
sweep_job.experiment_name = "gbc-hyperparameter-tuning"
sweep_job.display_name = "gbc-random-sweep"
# --8<-- [end:sweep]

# --8<-- [start:early_termination]
# From the 5th report on, cancel trials that fall too far behind the best one
sweep_job.early_termination = BanditPolicy(slack_factor=0.1, evaluation_interval=1, delay_evaluation=5)
# --8<-- [end:early_termination]

# --8<-- [start:limits]
sweep_job.set_limits(
    max_total_trials=20,  # trials in all
    max_concurrent_trials=4,  # trials running at the same time
    timeout=3600,  # seconds for the whole sweep
    trial_timeout=600,  # seconds for one trial
)
# --8<-- [end:limits]

# --8<-- [start:submit]
returned_job = ml_client.jobs.create_or_update(sweep_job)
print(f"Submitted {returned_job.name}; studio link: {returned_job.studio_url}")
ml_client.jobs.stream(returned_job.name)  # prints the log until the sweep ends
# --8<-- [end:submit]
