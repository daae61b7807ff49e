from azure.ai.ml import Input, MLClient, load_component
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.dsl import pipeline
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:load]
# Each YAML file becomes a component function you can call like a Python function
prep_data = load_component(source="prep_data.yml")
train_model = load_component(source="train_model.yml")
# --8<-- [end:load]


# --8<-- [start:pipeline]
@pipeline(
    display_name="diabetes-pipeline",
    description="Prepare the diabetes data, then train a classifier",
    default_compute="cpu-cluster",  # every step runs here unless it says otherwise
)
def diabetes_pipeline(pipeline_input_data, reg_rate=0.01):
    prep_step = prep_data(input_data=pipeline_input_data)
    prep_step.compute = "serverless"  # a step's own compute overrides the default
    train_step = train_model(
        training_data=prep_step.outputs.output_data,  # step 1's output feeds step 2
        reg_rate=reg_rate,
    )
    return {
        "prepared_data": prep_step.outputs.output_data,
        "trained_model": train_step.outputs.model_output,
    }
# --8<-- [end:pipeline]


# --8<-- [start:build]
pipeline_job = diabetes_pipeline(
    pipeline_input_data=Input(type=AssetTypes.URI_FILE, path="azureml:diabetes-data:1"),
    reg_rate=0.1,
)

# Optional: where and how the pipeline's outputs are stored
pipeline_job.settings.default_datastore = "workspaceblobstore"
pipeline_job.outputs.trained_model.mode = "upload"
# --8<-- [end:build]

# --8<-- [start:submit]
returned_job = ml_client.jobs.create_or_update(pipeline_job, experiment_name="diabetes-pipeline")
print(f"Submitted {returned_job.name}; studio link: {returned_job.studio_url}")
ml_client.jobs.stream(returned_job.name)  # waits until every step has finished
# --8<-- [end:submit]
