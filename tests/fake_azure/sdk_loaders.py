"""`az ml <kind> create --file X`: the SDK loader the ml extension reads X with (``load_<kind>(source=X,
params_override=[...])``, the extension's custom/<kind>.py), used by the replay (cli_replay.py)."""

from pathlib import Path

import azure.ai.ml as aml
import yaml
from azure.ai.ml.entities._load_functions import (
    load_model_batch_deployment,
    load_pipeline_component_batch_deployment,
    load_schedule,
)


def load_batch_deployment(source: Path | None, params_override: list[dict]):
    """Like the CLI, read a batch deployment with the schema its `type` names."""
    kind = yaml.safe_load(Path(source).read_text()).get("type") if source else None
    loader = {"model": load_model_batch_deployment, "pipeline": load_pipeline_component_batch_deployment}
    return loader.get(kind, aml.load_batch_deployment)(source, params_override=params_override)


LOADERS = {
    "batch-deployment": load_batch_deployment,
    "batch-endpoint": aml.load_batch_endpoint,
    "component": aml.load_component,
    "compute": aml.load_compute,
    "data": aml.load_data,
    "datastore": aml.load_datastore,
    "environment": aml.load_environment,
    "job": aml.load_job,
    "model": aml.load_model,
    "online-deployment": aml.load_online_deployment,
    "online-endpoint": aml.load_online_endpoint,
    "registry": aml.load_registry,
    "schedule": load_schedule,
    "workspace": aml.load_workspace,
}
