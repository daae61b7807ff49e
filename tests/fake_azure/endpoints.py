"""Online and batch endpoints: what Azure adds to them, and the requests sent to their scoring URIs.

Control plane (ARM, ``.../onlineEndpoints/{e}[/deployments/{d}]`` and ``.../batchEndpoints/...``;
REST models in ``azure/ai/ml/_restclient/arm_ml_service/models/_models.py``):

- an endpoint is answered with its ``scoringUri`` (``https://{name}.{region}.inference.ml.azure.com/score``,
  ``/jobs`` for a batch endpoint) and, online, its ``swaggerUri``; a batch endpoint with its
  ``defaults`` (``BatchEndpointDefaults``, ``deploymentName`` null until one is set; that it names
  one of the endpoint's deployments is a rule of ``rules.py``, as are the traffic rules);
- ``POST .../listKeys`` answers ``EndpointAuthKeys``, ``POST .../token`` ``EndpointAuthToken``,
  ``POST .../deployments/{d}/getLogs`` ``DeploymentLogs`` (``{"content": ...}``).

Data plane (the scoring URI; what ``online_endpoints.invoke`` and ``batch_endpoints.invoke`` POST,
``_online_endpoint_operations.py`` / ``_batch_endpoint_operations.py``): an online endpoint checks
the bearer credential, picks the deployment named by the ``azureml-model-deployment`` header or by
its traffic, and passes the body to that deployment's server (``scoring.py``); a batch endpoint
starts a job of its deployment (header, else its default one) and answers the job.
Status codes: Learn, "Troubleshooting online endpoints deployment and scoring", HTTP status codes.
"""

from __future__ import annotations

import time
import uuid

from tests.fake_azure import jobs
from tests.fake_azure.arm import ResourceStore, key_of, kind_of
from tests.fake_azure.http import audience_of

INFERENCE_DOMAIN = "inference.ml.azure.com"
DEPLOYMENT_HEADER = "azureml-model-deployment"
AML_AUDIENCE = "https://ml.azure.com"  # Azure Machine Learning's resource, the audience of its Entra tokens
# What a managed online deployment gets for the settings it leaves out (Learn, "CLI (v2) managed online
# deployment YAML schema": request_settings, liveness_probe, readiness_probe, scale_settings defaults).
PROBE = {"initialDelay": "PT10S", "period": "PT10S", "timeout": "PT2S", "successThreshold": 1, "failureThreshold": 30}
ONLINE_DEPLOYMENT_DEFAULTS = {
    "scaleSettings": {"scaleType": "Default"},
    "requestSettings": {"requestTimeout": "PT5S", "maxConcurrentRequestsPerInstance": 1, "maxQueueWait": "PT0.5S"},
    "livenessProbe": PROBE,
    "readinessProbe": PROBE,
    "egressPublicNetworkAccess": "Enabled",
}
# Input types as a batch request names them (the 2020-09 data plane: BatchJobSchema._JOB_DATA_TYPE_MAP),
# and as a job does.
JOB_INPUT_TYPES = {"UriFile": "uri_file", "UriFolder": "uri_folder", "MLTable": "mltable", "Literal": "literal",
                   "MLFlowModel": "mlflow_model", "CustomModel": "custom_model", "TritonModel": "triton_model"}


class Refused(Exception):
    """The endpoint's answer to a request it does not score: status, error code, message."""

    def __init__(self, status: int, code: str, message: str):
        super().__init__(message)
        self.status, self.code, self.message = status, code, message


# --- control plane ---------------------------------------------------------------------------
def accepted(path: str, body: dict, region: str) -> None:
    """What Azure adds to an endpoint or an online deployment it creates or updates."""
    kind = kind_of(key_of(path))
    properties = body.setdefault("properties", {})
    name = path.rstrip("/").rsplit("/", 1)[-1]
    host = f"https://{name}.{region}.{INFERENCE_DOMAIN}"
    if kind == "batchendpoints":
        properties["scoringUri"] = f"{host}/jobs"
        properties["defaults"] = properties.get("defaults") or {"deploymentName": None}
    elif kind == "onlineendpoints":
        properties["scoringUri"] = f"{host}/score"
        properties["swaggerUri"] = f"{host}/swagger.json"
        properties["traffic"] = properties.get("traffic") or {}
        properties["mirrorTraffic"] = properties.get("mirrorTraffic") or {}
    elif kind == "onlineendpoints/deployments":
        for setting, default in ONLINE_DEPLOYMENT_DEFAULTS.items():
            properties[setting] = properties.get(setting) or default


def keys(endpoint: dict) -> dict:
    """``EndpointAuthKeys``: stable for the endpoint, and plainly not secrets."""
    name = endpoint["name"]
    return {"primaryKey": f"fake-primary-key-{name}", "secondaryKey": f"fake-secondary-key-{name}"}


def token(endpoint: dict) -> dict:
    """``EndpointAuthToken`` of an ``aml_token`` endpoint (valid for an hour, renewable after half of it)."""
    now = int(time.time())
    return {"accessToken": f"fake-aml-token-{endpoint['name']}", "tokenType": "Bearer",
            "expiryTimeUtc": now + 3600, "refreshAfterTimeUtc": now + 1800}


# --- data plane -------------------------------------------------------------------------------
def endpoint_at(store: ResourceStore, host: str) -> dict | None:
    """The endpoint whose scoring URI is on ``host``."""
    documents = store.of_kind("onlineendpoints") + store.of_kind("batchendpoints")
    return next((doc for doc in documents if doc["properties"].get("scoringUri", "").split("/")[2] == host), None)


def check_credential(endpoint: dict, authorization: str | None) -> None:
    """401 unless the bearer is what the endpoint's auth mode accepts: one of its keys, its
    token, or a Microsoft Entra token for Azure Machine Learning."""
    mode = (endpoint["properties"].get("authMode") or "Key").lower()
    bearer = (authorization or "").removeprefix("Bearer ")
    if mode == "key":
        accepted = set(keys(endpoint).values())
    elif mode == "amltoken":
        accepted = {token(endpoint)["accessToken"]}
    else:
        accepted = {bearer} if audience_of(bearer) == AML_AUDIENCE else set()
    if bearer not in accepted:
        raise Refused(401, "Unauthorized", f"the credential sent is not valid for endpoint '{endpoint['name']}' "
                      f"(auth mode {endpoint['properties'].get('authMode')})")


def deployment_named(store: ResourceStore, endpoint: dict, name: str | None) -> dict:
    """The deployment ``name`` of the endpoint, which must exist."""
    deployment = store.get(f"{endpoint['id']}/deployments/{name}") if name else None
    if deployment is None:
        raise Refused(404, "NotFound", f"endpoint '{endpoint['name']}' has no deployment '{name}'")
    return deployment


def routed(store: ResourceStore, endpoint: dict, requested: str | None) -> dict:
    """The deployment that answers: the one the header names, else one with live traffic.

    Azure spreads requests at random in the traffic's proportions; the fake sends each request
    to the deployment with the largest share (the rules on traffic values are ``rules.py``'s).
    """
    if requested:
        return deployment_named(store, endpoint, requested)
    traffic = {name: share for name, share in (endpoint["properties"].get("traffic") or {}).items() if share > 0}
    if not traffic:
        raise Refused(404, "NotFound", f"endpoint '{endpoint['name']}' has no deployment with positive traffic; "
                      f"set its traffic or name a deployment in the '{DEPLOYMENT_HEADER}' header")
    return deployment_named(store, endpoint, max(sorted(traffic), key=traffic.get))


def batch_job(store: ResourceStore, endpoint: dict, requested: str | None, request: dict) -> dict:
    """Start a job of the batch deployment that answers (the header's, else the default one) on the
    inputs of ``request`` (the SDK's ``{"properties": {"inputData": ...}}``); the stored job.

    The job is a pipeline job in the workspace, in an experiment named after the endpoint, with
    the output ``score`` where the deployment writes its predictions.
    """
    name = requested or (endpoint["properties"].get("defaults") or {}).get("deploymentName")
    if not name:
        raise Refused(400, "BadRequest", f"batch endpoint '{endpoint['name']}' has no default deployment; "
                      f"make one the default or name it in the '{DEPLOYMENT_HEADER}' header")
    deployment = deployment_named(store, endpoint, name)
    inputs = (request.get("properties") or {}).get("inputData") or {}
    workspace_path = endpoint["id"].rsplit("/batchEndpoints/", 1)[0]
    job_name = f"batchjob-{uuid.uuid4()}"
    document = store.put(f"{workspace_path}/jobs/{job_name}", {"properties": {
        "jobType": "Pipeline", "displayName": job_name, "experimentName": endpoint["name"],
        "computeId": deployment["properties"].get("compute"), "jobs": {}, "properties": {}, "tags": {},
        "inputs": {key: _job_input(spec) for key, spec in inputs.items()},
        "outputs": {"score": {"jobOutputType": "uri_folder", "mode": "ReadWriteMount",
                              "uri": f"azureml://datastores/workspaceblobstore/paths/azureml/{job_name}/score/"}},
    }})
    jobs.accepted(document, workspace_path)
    return document


def _job_input(spec: dict) -> dict:
    """A batch request's input (``{"jobInputType": "UriFolder", "uri": ...}``) as a job input."""
    return {**spec, "jobInputType": JOB_INPUT_TYPES[spec["jobInputType"]]}
