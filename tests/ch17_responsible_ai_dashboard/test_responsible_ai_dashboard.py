"""Chapter 17: the RAI components from the azureml registry and the dashboard pipeline (fake Azure)."""

import json

import pytest
from azure.ai.ml import load_component
from azure.ai.ml.entities import CommandComponent, PipelineJob
from azure.ai.ml.exceptions import UnexpectedKeywordError

from tests.fake_azure import registries

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
# The snippet's variables holding the components it fetched
FETCHED = ("rai_constructor", "rai_explanation", "rai_causal", "rai_counterfactual", "rai_erroranalysis", "rai_gather")
DASHBOARD = "${{parent.jobs.construct.outputs.rai_insights_dashboard}}"


@pytest.fixture
def dashboard_inputs(run_snippet):
    """What the pipeline names: the cluster (chapter 8), the model and its two MLTable data
    assets (registered by chapter 23's script, which the page includes before the pipeline)."""
    run_snippet("ch08_compute_targets/compute_cluster.py")
    run_snippet("ch23_debug_with_rai_dashboard/register_rai_inputs.py")


def registry_clients(workspace):
    return [c for c in workspace.clients if c._operation_scope.registry_name]


def component_gets(workspace):
    return [call.kwargs for call in workspace.sent("components", "get")]


def component_hosts(workspace):
    """The hosts the component reads went to."""
    return {url.split("/")[2] for method, url in workspace.azure.requests if "/components/" in url}


def latest_in_registry(workspace, name):
    """The component's latest version, as the azureml registry keeps it."""
    container = workspace.azure.registries["azureml"].get(registries.path_of("azureml", f"components/{name}"))
    return container["properties"]["latestVersion"]


def registry_id(workspace, name):
    return f"azureml://registries/azureml/components/{name}/versions/{latest_in_registry(workspace, name)}"


def binding(node, name):
    """What a node input of a submitted (round-tripped) pipeline is bound to."""
    value = node.inputs[name]._data
    return value.path if hasattr(value, "path") else value


def test_components_come_from_the_azureml_registry(workspace, run_snippet, capsys):
    script = run_snippet("ch17_responsible_ai_dashboard/get_rai_components.py")

    (registry,) = registry_clients(workspace)
    assert registry is script["registry_client"]
    assert registry._operation_scope.registry_name == "azureml"
    assert registry._operation_scope.workspace_name is None
    assert component_gets(workspace) == [{"name": name, "label": "latest"} for name in NAMES]
    # registry discovery sent the client to the registry's own front end; the workspace was not asked
    assert component_hosts(workspace) == {"cert-eastus.experiments.azureml.net"}

    assert list(script["components"]) == NAMES
    for name, component in script["components"].items():
        assert isinstance(component, CommandComponent)
        assert component.id == registry_id(workspace, name)  # the newest version, named the registry's way
    printed = capsys.readouterr().out.splitlines()
    assert [line for line in printed if line.startswith("rai_")] == [
        f"{name}: version {latest_in_registry(workspace, name)}" for name in NAMES]


def test_pipeline_wires_constructor_insights_and_gather(workspace, dashboard_inputs, run_snippet):
    script = run_snippet("ch17_responsible_ai_dashboard/rai_pipeline.py")

    (registry,) = registry_clients(workspace)
    assert registry is script["registry_client"]
    assert component_gets(workspace) == [{"name": name, "label": "latest"} for name in NAMES]

    (sent,) = workspace.created("jobs")
    assert isinstance(sent, PipelineJob)
    assert sent.experiment_name == "rai-diabetes"
    assert sent.compute == workspace.get("compute", "cpu-cluster").id  # the SDK resolved the name to the cluster
    # each step runs the registry component it was built from, which the SDK sends by its registry id
    fetched = {script[variable].name: script[variable] for variable in FETCHED}
    assert all(isinstance(component, CommandComponent) for component in fetched.values())
    assert {step: node.component for step, node in sent.jobs.items()} == {
        step: fetched[name].id for step, name in STEP_COMPONENTS.items()
    }

    # pipeline inputs: the label column and two MLTable data assets
    assert sent.inputs["target_column_name"]._data == "high_progression"
    # azureml:diabetes-rai-train:1 and :test:1, which the SDK resolved to the registered data assets
    for name, data in {"train_data": "diabetes-rai-train", "test_data": "diabetes-rai-test"}.items():
        registered = workspace.get("data", data, version="1")
        assert (sent.inputs[name]._data.type, registered.type) == ("mltable", "mltable")
        assert sent.inputs[name]._data.path == registered.id

    # the job as Azure stored it: finished, each step still pointing at its registry component
    job = workspace.get("jobs", script["returned_job"].name)
    assert job.status == "Completed"
    assert {step: node.component for step, node in job.jobs.items()} == {
        step: registry_id(workspace, name) for step, name in STEP_COMPONENTS.items()
    }
    construct = job.jobs["construct"]
    assert binding(construct, "task_type") == "classification"
    assert binding(construct, "target_column_name") == "${{parent.inputs.target_column_name}}"
    assert binding(construct, "train_dataset") == "${{parent.inputs.train_data}}"
    assert binding(construct, "test_dataset") == "${{parent.inputs.test_data}}"
    model = construct.inputs["model_input"]._data
    registered = workspace.get("models", "diabetes-progression-clf", version="1")
    assert (model.type, registered.type) == ("mlflow_model", "mlflow_model")
    assert model.path == registered.id  # azureml:diabetes-progression-clf:1, resolved by the SDK
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


def test_pipeline_is_refused_without_its_registered_inputs(workspace, run_snippet):
    """Azure resolves what a job names when it is submitted: no model or data assets, no job."""
    run_snippet("ch08_compute_targets/compute_cluster.py")
    with pytest.raises(Exception, match="diabetes-progression-clf' version '1' not found") as refused:
        run_snippet("ch17_responsible_ai_dashboard/rai_pipeline.py")
    assert "data asset 'diabetes-rai-train' version '1' not found" in str(refused.value)
    assert workspace.all("jobs") == []


def test_registry_components_keep_their_published_interface(workspace, run_snippet):
    """A misspelt input fails as it would with the real component; case is not significant."""
    script = run_snippet("ch17_responsible_ai_dashboard/get_rai_components.py")
    for name, component in script["components"].items():
        published = load_component(registries.FACTS / "components" / f"{name}.yml")
        assert (set(component.inputs), set(component.outputs)) == (set(published.inputs), set(published.outputs))
    counterfactual = script["components"]["rai_tabular_counterfactual"]
    assert set(counterfactual.outputs) == {"counterfactual"}
    assert set(script["components"]["rai_tabular_insight_gather"].outputs) == {"dashboard", "ux_json"}

    with pytest.raises(UnexpectedKeywordError, match="totl_CFs"):
        counterfactual(rai_insights_dashboard=None, totl_CFs=10)
    node = counterfactual(rai_insights_dashboard=None, total_cfs=10)  # older docs spell it this way
    assert node.inputs["total_CFs"]._data == 10
