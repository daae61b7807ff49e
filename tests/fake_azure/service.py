"""The fake Azure: one object answering every HTTP request the SDKs send, from memory."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from tests.fake_azure import assets, catalog, http, jobs, origin, references
from tests.fake_azure.arm import ResourceStore, kind_of, key_of
from tests.fake_azure.blob import BlobStore

REGION = "eastus"
ARM_HOST = "management.azure.com"
ACTION = re.compile(r"^(?P<resource>.+)/(?P<action>[A-Za-z]+)$")
# Actions are the last segment of a POST path; everything else is a resource.
ACTIONS = {"startpendingupload", "listsecrets", "listkeys", "token", "getlogs", "start", "stop", "restart",
           "cancel", "regeneratekeys", "provisionmanagednetwork"}


@dataclass
class FakeAzure:
    arm: ResourceStore = field(default_factory=ResourceStore)
    blobs: BlobStore = field(default_factory=BlobStore)
    registries: dict[str, ResourceStore] = field(default_factory=dict)
    requests: list = field(default_factory=list)

    def handle(self, prepared):
        request = http.Request(prepared)
        self.requests.append((request.method, request.url))
        if request.host == ARM_HOST:
            return self.arm_request(prepared, request)
        if request.host.endswith(".blob.core.windows.net"):
            return self.blobs.handle(prepared, request)
        if request.host.endswith(".api.azureml.ms"):
            return self.workspace_api(prepared, request)
        return http.error(prepared, 404, "HostNotFound", f"the fake Azure has no service at {request.host}")

    # --- what exists before any snippet runs ---------------------------------------------------
    def workspace_path(self, group: str, name: str) -> str:
        return f"/subscriptions/*/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}"

    def workspace(self, group: str, name: str) -> dict:
        return self.arm.get(self.workspace_path(group, name))

    def add_workspace(self, group: str, name: str, location: str = REGION) -> None:
        """A workspace as Azure creates it: its discovery and MLflow URLs, and its four built-in datastores."""
        path = self.workspace_path(group, name)
        self.arm.put(path, {"location": location, "kind": "Default", "properties": {
            "friendlyName": name,
            "discoveryUrl": f"https://{location}.api.azureml.ms/discovery",
            "mlFlowTrackingUri": f"azureml://{location}.api.azureml.ms/mlflow/v1.0{path}",
        }})
        for datastore in self.blobs.builtin_datastores(name):
            self.arm.put(f"{path}/datastores/{datastore['name']}", {"properties": datastore["properties"]})
        for curated in catalog.curated_environments():  # a workspace lists them as AzureML-<name>
            container = f"{path}/environments/{curated['workspace_name']}"
            self.arm.put(f"{container}/versions/{curated['version']}",
                         {"properties": {"image": curated["image"], "isAnonymous": False}})
            self._update_container(container)

    # --- Azure Resource Manager ---------------------------------------------------------------
    def arm_request(self, prepared, request):
        path = request.path
        last = path.rstrip("/").rsplit("/", 1)[-1].lower()
        if request.method == "POST" and last in ACTIONS:
            return self.action(prepared, request, path.rstrip("/").rsplit("/", 1)[0], last)
        if "/operationresults/" in path.lower():  # every operation the fake starts has finished
            return http.response(prepared, 200, {"status": "Succeeded"})
        if request.method == "PUT":
            return self.put(prepared, path, request.json())
        if request.method == "GET":
            found = self.arm.get(path)
            if found is not None:
                return http.response(prepared, 200, found)
            if self._is_collection(path):
                return http.response(prepared, 200, {"value": self._listed(path, request.query)})
            return self.not_found(prepared, path)
        if request.method == "DELETE":
            removed = self.arm.delete(path)
            return http.response(prepared, 200 if removed else 204)
        return http.error(prepared, 405, "MethodNotAllowed", f"{request.method} {path}")

    def put(self, prepared, path: str, body: dict):
        kind = kind_of(key_of(path))
        problems = references.missing(body, self.arm, self.registries)
        if problems:
            return self.refused(prepared, 404, "ResourceNotFound", problems)
        if conflict := assets.refused_change(self.arm, path, body):
            return self.refused(prepared, 409, "UserError", [conflict])
        document = self.arm.put(path, body)
        assets.versioned(self.arm, path)
        if kind == "jobs":
            jobs.accepted(document, path.rsplit("/jobs/", 1)[0])
            return http.response(prepared, 201, jobs.as_just_submitted(document))
        return http.response(prepared, 200, document)

    def _update_container(self, container_path: str) -> None:
        """Azure keeps a container per asset name, with its latest and next version."""
        versions = [doc["name"] for doc in self.arm.children(f"{container_path}/versions")]
        numbers = [int(v) for v in versions if v.isdigit()]
        existing = self.arm.get(container_path) or {"properties": {}}
        properties = {**existing["properties"], "latestVersion": versions[-1],
                      "nextVersion": str(max(numbers, default=0) + 1), "isArchived": False}
        self.arm.put(container_path, {"properties": properties})

    def _is_collection(self, path: str) -> bool:
        segments = [s for s in key_of(path).split("/") if s]
        return len(segments) % 2 == 1  # /subscriptions/*/resourcegroups/rg/.../computes

    def _listed(self, path: str, query: dict) -> list[dict]:
        found = self.arm.children(path)
        if "createdtime desc" in query.get("$orderby", "").lower():
            found = sorted(found, key=lambda doc: doc["systemData"]["createdAt"], reverse=True)
        if "$top" in query:
            found = found[: int(query["$top"])]
        return found

    def not_found(self, prepared, path: str):
        return self.refused(prepared, 404, "ResourceNotFound", [f"{references.describe(key_of(path))} not found"])

    def refused(self, prepared, status: int, code: str, problems: list[str]):
        """Azure's answer to a request it will not carry out, naming the snippet line that sent it."""
        return http.error(prepared, status, code, "; ".join(origin.explained(p) for p in problems))

    def action(self, prepared, request, resource_path: str, action: str):
        if action == "startpendingupload":
            return http.response(prepared, 200, self.blobs.pending_upload(resource_path))
        if action == "listsecrets":
            return http.response(prepared, 200, {"secretsType": "AccountKey", "key": "ZmFrZS1rZXk="})
        if action in ("start", "stop", "restart"):
            return self.compute_power(prepared, resource_path, action)
        return http.error(prepared, 400, "UnsupportedAction", f"the fake does not answer '{action}' yet")

    def compute_power(self, prepared, path: str, action: str):
        compute = self.arm.get(path)
        if compute is None:
            return self.not_found(prepared, path)
        kind = compute["properties"].get("computeType")
        if kind != "ComputeInstance":
            return http.error(prepared, 400, "BadRequest", f"'{action}' is supported only for compute instances, "
                              f"not for {kind} '{compute['name']}'")
        state = {"start": "Running", "stop": "Stopped", "restart": "Running"}[action]
        compute["properties"].setdefault("properties", {})["state"] = state
        return http.response(prepared, 202, headers={"Location": f"https://{ARM_HOST}{path}/operationResults/done"})

    # --- the workspace's regional API (discovery, run history) -------------------------------
    def workspace_api(self, prepared, request):
        if request.path.endswith("/discovery"):
            base = f"https://{REGION}.api.azureml.ms"
            return http.response(prepared, 200, {"api": base, "catalog": base, "experimentation": base,
                                                 "history": base, "mfe": base, "gallery": base})
        if "/history/v1.0/" in request.path and request.path.endswith("/details"):
            job_path = request.path.split("/history/v1.0", 1)[1].rsplit("/runs/", 1)
            job = self.arm.get(f"{job_path[0]}/jobs/{job_path[1].split('/')[0]}")
            if job is None:
                return self.not_found(prepared, request.path.rsplit("/details", 1)[0])
            return http.response(prepared, 200, jobs.run_details(job))
        return http.error(prepared, 404, "NotFound", f"{request.method} {request.path}")


def new_id() -> str:
    return str(uuid.uuid4())
