"""Run a pipeline of registry components in another workspace: the test workspace, say."""

import os

from azure.ai.ml import Input, MLClient
from azure.ai.ml.dsl import pipeline
from azure.identity import DefaultAzureCredential

# --8<-- [start:clients]
credential = DefaultAzureCredential()
# The workspace the release stage targets: a GitHub environment sets these three (test, then prod)
ml_client = MLClient(
    credential,
    os.environ["AZURE_SUBSCRIPTION_ID"],
    os.environ["AZURE_RESOURCE_GROUP"],
    os.environ["AZURE_ML_WORKSPACE"],
)
# No subscription or group: registry discovery finds them from the name
registry_client = MLClient(credential, registry_name="reg-contoso-ml")
# --8<-- [end:clients]

# --8<-- [start:pipeline]
prep_data = registry_client.components.get("prep_diabetes_data", version="1")


@pipeline(default_compute="serverless")  # compute and data belong to the workspace that runs the job
def prepare(patients):
    prep = prep_data(input_data=patients)
    return {"prepared": prep.outputs.output_data}


patients_csv = "azureml://datastores/workspaceblobstore/paths/diabetes/diabetes.csv"
job = prepare(patients=Input(type="uri_file", path=patients_csv))
submitted = ml_client.jobs.create_or_update(job, experiment_name="registry-components")
print(submitted.name, submitted.jobs["prep"].component)
# --8<-- [end:pipeline]
