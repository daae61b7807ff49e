"""Chapter 17: the RAI components from the azureml registry and the dashboard pipeline (fake workspace)."""

import json

import pytest
from azure.ai.ml.entities import CommandComponent, PipelineJob
from azure.ai.ml.exceptions import UnexpectedKeywordError

NAMES = [
    "rai_tabular_insight_constructor",
    "rai_tabular_explanation",
    "rai_tabular_causal",
    "rai_tabular_counterfactual",
    "rai_tabular_erroranalysis",
    "rai_tabular_insight_gather",
]
STEP_COMPONENTS = {
    "construct": "rai_tabular_insight_constructor",
    "explain": "rai_tabular_explanation",
    "causal": "rai_tabular_causal",
    "counterfactual": "rai_tabular_counterfactual",
    "error_analysis": "rai_tabular_erroranalysis",
    "rai_tabular_insight_gather": "rai_tabular_insight_gather",  # no variable: named after its component
}
DASHBOARD = "${{parent.jobs.construct.outputs.rai_insights_dashboard}}"


def registry_clients(workspace):
    return [c for c in workspace.clients if c._operation_scope.registry_name]


def component_gets(client):
    return [call.kwargs for call in client.components.get.call_args_list]


def binding(node, name):
    """What a node input of a submitted (round-tripped) pipeline is bound to."""
    value = node.inputs[name]._data
    return value.path if hasattr(value, "path") else value


def test_components_come_from_the_azureml_registry(rai_components, workspace, run_snippet, capsys):
    script = run_snippet("ch17_responsible_ai_dashboard/get_rai_components.py")

    assert workspace.registries == ["azureml"]
    (registry,) = registry_clients(workspace)
    assert registry is script["registry_client"]
    assert registry._operation_scope.workspace_name is None
    assert component_gets(registry) == [{"name": name, "label": "latest"} for name in NAMES]
    assert script["ml_client"].components.get.call_count == 0  # nothing asked of the workspace
    assert script["components"] == rai_components
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if line.startswith("rai_")] == [f"{name}: version 0.22.0" for name in NAMES]


def test_pipeline_wires_constructor_insights_and_gather(rai_components, workspace, run_snippet):
    script = run_snippet("ch17_responsible_ai_dashboard/rai_pipeline.py")

    assert workspace.registries == ["azureml"]
    (registry,) = registry_clients(workspace)
    assert component_gets(registry) == [{"name": name, "label": "latest"} for name in NAMES]

    (sent,) = workspace.created("jobs")
    assert isinstance(sent, PipelineJob)
    assert (sent.compute, sent.experiment_name) == ("cpu-cluster", "rai-diabetes")
    # each step runs the registry component it was built from
    assert {step: node.component for step, node in sent.jobs.items()} == {
        step: rai_components[name] for step, name in STEP_COMPONENTS.items()
    }
    assert all(isinstance(node.component, CommandComponent) for node in sent.jobs.values())

    # pipeline inputs: the label column and two MLTable data assets
    assert sent.inputs["target_column_name"]._data == "high_progression"
    train, test = sent.inputs["train_data"]._data, sent.inputs["test_data"]._data
    assert (train.type, train.path) == ("mltable", "azureml:diabetes-rai-train:1")
    assert (test.type, test.path) == ("mltable", "azureml:diabetes-rai-test:1")

    # the job as the SDK validated and stored it
    job = workspace.get("jobs", script["returned_job"].name)
    construct = job.jobs["construct"]
    assert binding(construct, "task_type") == "classification"
    assert binding(construct, "target_column_name") == "${{parent.inputs.target_column_name}}"
    assert binding(construct, "train_dataset") == "${{parent.inputs.train_data}}"
    assert binding(construct, "test_dataset") == "${{parent.inputs.test_data}}"
    model = construct.inputs["model_input"]._data
    assert (model.type, model.path.removeprefix("azureml:")) == ("mlflow_model", "diabetes-progression-clf:1")
    assert binding(construct, "model_info") == "diabetes-progression-clf:1"
    assert json.loads(binding(construct, "categorical_column_names")) == ["sex"]

    for step in ("explain", "causal", "counterfactual", "error_analysis"):
        assert binding(job.jobs[step], "rai_insights_dashboard") == DASHBOARD
    assert json.loads(binding(job.jobs["causal"], "treatment_features")) == ["bmi", "bp"]
    assert int(binding(job.jobs["counterfactual"], "total_CFs")) == 10
    assert binding(job.jobs["counterfactual"], "desired_class") == "opposite"

    gather = job.jobs["rai_tabular_insight_gather"]
    slots = ("constructor", "insight_1", "insight_2", "insight_3", "insight_4")
    assert {name: binding(gather, name) for name in slots} == {
        "constructor": DASHBOARD,
        "insight_1": "${{parent.jobs.explain.outputs.explanation}}",
        "insight_2": "${{parent.jobs.causal.outputs.causal}}",
        "insight_3": "${{parent.jobs.counterfactual.outputs.counterfactual}}",
        "insight_4": "${{parent.jobs.error_analysis.outputs.error_analysis}}",
    }

    (stream,) = workspace.sent("jobs", "stream")
    assert stream.args == (script["returned_job"].name,)


def test_seeded_components_keep_the_registry_interface(rai_components, workspace, run_snippet):
    """A misspelt input fails as it would with the real component; case is not significant."""
    script = run_snippet("ch17_responsible_ai_dashboard/get_rai_components.py")
    counterfactual = script["components"]["rai_tabular_counterfactual"]
    assert set(counterfactual.outputs) == {"counterfactual"}
    assert set(script["components"]["rai_tabular_insight_gather"].outputs) == {"dashboard", "ux_json"}

    with pytest.raises(UnexpectedKeywordError, match="totl_CFs"):
        counterfactual(rai_insights_dashboard=None, totl_CFs=10)
    node = counterfactual(rai_insights_dashboard=None, total_cfs=10)  # older docs spell it this way
    assert node.inputs["total_CFs"]._data == 10
