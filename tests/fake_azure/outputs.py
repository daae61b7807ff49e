"""A finished job registers each output it was given a name for as an asset of that name.

``Output(name=..., version=...)``: "The name to be used to register the output as a Data or
Model asset" (the SDK's docstring, ``azure/ai/ml/entities/_inputs_outputs/output.py``); on the
wire the output's ``assetName`` and ``assetVersion``. Without a version the asset gets its next
one. A fine-tuning job's ``registered_model`` output is one (``create_finetuning_job`` names it
after ``output_model_name_prefix``), which is how its model reaches the workspace's models.
"""

from __future__ import annotations

from tests.fake_azure import assets
from tests.fake_azure.arm import ResourceStore

MODEL_OUTPUTS = {"mlflow_model", "custom_model", "triton_model"}
# Where an output without a path is written: the default datastore, under the job and output names
# (Learn, "Manage inputs and outputs of pipeline": azureml://datastores/${{default_datastore}}/paths/azureml/${{name}}/${{output_name}}/).
DEFAULT_PATH = "azureml://datastores/workspaceblobstore/paths/azureml/{job}/{output}/"


def register_named(job: dict, store: ResourceStore, workspace_path: str) -> None:
    for output, spec in (job["properties"].get("outputs") or {}).items():
        if spec.get("assetName"):
            _register(job["name"], output, spec, store, workspace_path)


def _register(job: str, output: str, spec: dict, store: ResourceStore, workspace_path: str) -> None:
    kind = spec["jobOutputType"]
    collection = "models" if kind in MODEL_OUTPUTS else "data"
    container = f"{workspace_path}/{collection}/{spec['assetName']}"
    version = spec.get("assetVersion") or (store.get(container) or {}).get("properties", {}).get("nextVersion", "1")
    uri = spec.get("uri") or DEFAULT_PATH.format(job=job, output=output)
    if collection == "models":
        properties = {"modelType": kind, "modelUri": uri, "jobName": job, "flavors": {}}
    else:
        properties = {"dataType": kind, "dataUri": uri}
    path = f"{container}/versions/{version}"
    store.put(path, {"properties": {**properties, "isAnonymous": False, "isArchived": False}})
    assets.versioned(store, path)
