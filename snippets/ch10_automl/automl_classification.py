# --8<-- [start:client]
from azure.ai.ml import Input, MLClient, automl
from azure.ai.ml.automl import ColumnTransformer
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())
# --8<-- [end:client]

# --8<-- [start:input]
# AutoML reads MLTable: a registered data asset, as here, or the path of an MLTable folder.
my_training_data_input = Input(type=AssetTypes.MLTABLE, path="azureml:input-data-automl:1")
# --8<-- [end:input]

# --8<-- [start:job]
classification_job = automl.classification(
    compute="cpu-cluster",
    experiment_name="auto-ml-class-dev",
    training_data=my_training_data_input,
    target_column_name="Diabetic",
    primary_metric="accuracy",
    n_cross_validations=5,
    enable_model_explainability=True,
)
# --8<-- [end:job]

# --8<-- [start:featurization]
# "auto" is the default; "off" skips featurization; "custom" lets you adjust it.
classification_job.set_featurization(
    mode="custom",
    transformer_params={
        "imputer": [ColumnTransformer(fields=["BMI"], parameters={"strategy": "median"})],
    },
    blocked_transformers=["LabelEncoder"],
)
# --8<-- [end:featurization]

# --8<-- [start:limits]
classification_job.set_limits(
    timeout_minutes=60,  # the whole job
    trial_timeout_minutes=20,  # each trial
    max_trials=5,
    enable_early_termination=True,
    max_concurrent_trials=2,  # no more than the cluster's node count
)
# --8<-- [end:limits]

# --8<-- [start:training]
# Skip two algorithms; allowed_training_algorithms would instead keep only the ones listed.
classification_job.set_training(blocked_training_algorithms=["KNN", "LinearSVM"])
# --8<-- [end:training]

# --8<-- [start:submit]
returned_job = ml_client.jobs.create_or_update(classification_job)
print("Monitor your job at", returned_job.studio_url)

# Print the job's log here until it finishes (optional).
ml_client.jobs.stream(returned_job.name)
# --8<-- [end:submit]
