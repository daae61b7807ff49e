import json

from azure.ai.ml import Input, MLClient, dsl
from azure.ai.ml.constants import AssetTypes
from azure.identity import DefaultAzureCredential

credential = DefaultAzureCredential()
ml_client = MLClient.from_config(credential=credential)
registry_client = MLClient(
    credential=credential,
    subscription_id=ml_client.subscription_id,
    resource_group_name=ml_client.resource_group_name,
    registry_name="azureml",
)


def latest(name):
    """The newest version of a built-in component from the azureml registry."""
    return registry_client.components.get(name=name, label="latest")


rai_constructor = latest("rai_tabular_insight_constructor")
rai_explanation = latest("rai_tabular_explanation")
rai_causal = latest("rai_tabular_causal")
rai_counterfactual = latest("rai_tabular_counterfactual")
rai_erroranalysis = latest("rai_tabular_erroranalysis")
rai_gather = latest("rai_tabular_insight_gather")

# --8<-- [start:pipeline]
MODEL = "diabetes-progression-clf:1"  # a registered MLflow model (name:version)


@dsl.pipeline(
    compute="cpu-cluster",
    experiment_name="rai-diabetes",
    description="Responsible AI dashboard for the diabetes progression classifier",
)
def rai_dashboard_pipeline(target_column_name, train_data, test_data):
    # 1. An empty dashboard that knows the model, the data and the task
    construct = rai_constructor(
        title="Diabetes progression classifier",
        task_type="classification",
        model_info=MODEL,
        model_input=Input(type=AssetTypes.MLFLOW_MODEL, path=f"azureml:{MODEL}"),
        train_dataset=train_data,
        test_dataset=test_data,
        target_column_name=target_column_name,
        categorical_column_names=json.dumps(["sex"]),  # lists travel as JSON strings
    )
    dashboard = construct.outputs.rai_insights_dashboard

    # 2. One step per insight; each starts from the constructor's output
    explain = rai_explanation(comment="Global and local feature importance", rai_insights_dashboard=dashboard)
    causal = rai_causal(rai_insights_dashboard=dashboard, treatment_features=json.dumps(["bmi", "bp"]))
    counterfactual = rai_counterfactual(rai_insights_dashboard=dashboard, total_CFs=10, desired_class="opposite")
    error_analysis = rai_erroranalysis(rai_insights_dashboard=dashboard, max_depth=3)

    # 3. Gather everything into the dashboard you open in the studio
    rai_gather(
        constructor=dashboard,
        insight_1=explain.outputs.explanation,
        insight_2=causal.outputs.causal,
        insight_3=counterfactual.outputs.counterfactual,
        insight_4=error_analysis.outputs.error_analysis,
    )


# --8<-- [end:pipeline]


# --8<-- [start:submit]
pipeline_job = rai_dashboard_pipeline(
    target_column_name="high_progression",
    train_data=Input(type=AssetTypes.MLTABLE, path="azureml:diabetes-rai-train:1"),
    test_data=Input(type=AssetTypes.MLTABLE, path="azureml:diabetes-rai-test:1"),
)
returned_job = ml_client.jobs.create_or_update(pipeline_job)
print(f"Submitted {returned_job.name}: {returned_job.studio_url}")
ml_client.jobs.stream(returned_job.name)
# --8<-- [end:submit]
