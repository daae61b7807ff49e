"""The fake Azure: one object answering every HTTP request the SDKs send, from memory."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field
from urllib.parse import unquote

from tests.fake_azure import (
    assets,
    catalog,
    data_collection,
    datastores,
    deployments,
    endpoints,
    enforce,
    feature_stores,
    foundry_projects,
    http,
    identities,
    jobs,
    managed_network,
    models,
    origin,
    outputs,
    references,
    registries,
    rules,
    runner,
    schedules,
    schemas,
    scoring,
    serverless,
    sweeps,
)
from tests.fake_azure.arm import WORKSPACE_PART, ResourceStore, key_of, kind_of
from tests.fake_azure.blob import ACCOUNT, BlobStore

REGION = "eastus"
ARM_HOST = "management.azure.com"
SUBSCRIPTION_IN_URL = re.compile(r"/subscriptions/([^/*]+)/")
ACTION = re.compile(r"^(?P<resource>.+)/(?P<action>[A-Za-z]+)$")
# Actions are the last segment of a POST path; everything else is a resource.
ACTIONS = {"startpendingupload", "listsecrets", "listkeys", "token", "getlogs", "start", "stop", "restart",
           "cancel", "regeneratekeys", "provisionmanagednetwork"}


@dataclass
class FakeAzure:
    arm: ResourceStore = field(default_factory=ResourceStore)
    blobs: BlobStore = field(default_factory=BlobStore)
    registries: dict[str, ResourceStore] = field(default_factory=dict)
    job_errors: dict[str, str] = field(default_factory=dict)  # job name -> what its script said last
    requests: list = field(default_factory=list)
    writes: list = field(default_factory=list)  # (path, body) of each ARM PUT, in order: what Azure was asked to store
    servers: scoring.Servers = field(default_factory=scoring.Servers)  # online deployments' inference servers

    def __post_init__(self):
        self.servers.registries = self.registries  # a deployment may serve a registry's model
        self.add_registry("azureml", registries.azureml_assets())
        self.add_registry("azureml-meta", registries.catalog_models("azureml-meta"))

    def handle(self, prepared):
        """Answer one request; documents name the subscription the client asked for."""
        answer = self._answer(prepared)
        if subscription := SUBSCRIPTION_IN_URL.search(prepared.url):
            named = f"/subscriptions/{unquote(subscription[1])}/".encode()
            answer._content = answer.content.replace(b"/subscriptions/*/", named)
            answer.headers["Content-Length"] = str(len(answer._content))
        return answer

    def _answer(self, prepared):
        request = http.Request(prepared)
        self.requests.append((request.method, request.url))
        if request.host == ARM_HOST:
            return self.arm_request(prepared, request)
        if request.host == schemas.HOST:
            return schemas.handle(prepared, request)
        if request.host.endswith(".blob.core.windows.net"):
            return self.blobs.handle(prepared, request)
        if request.host.endswith(".api.azureml.ms"):
            return self.workspace_api(prepared, request)
        if request.host.endswith(".experiments.azureml.net"):
            return self.registry_request(prepared, request)
        if request.host.endswith(f".{endpoints.INFERENCE_DOMAIN}"):
            return self.scoring_request(prepared, request)
        if request.host.endswith(foundry_projects.HOST_SUFFIX):
            return foundry_projects.handle(prepared, request, self.arm)
        return http.error(prepared, 404, "HostNotFound", f"the fake Azure has no service at {request.host}")

    # --- what exists before any snippet runs ---------------------------------------------------
    def workspace_path(self, group: str, name: str) -> str:
        return f"/subscriptions/*/resourceGroups/{group}/providers/Microsoft.MachineLearningServices/workspaces/{name}"

    def workspace(self, group: str, name: str) -> dict:
        return self.arm.get(self.workspace_path(group, name))

    def add_workspace(self, group: str, name: str, location: str = REGION, tags: dict | None = None,
                      **properties) -> dict:
        """A workspace as Azure creates it, in its resource group: its discovery and MLflow URLs, and its
        four built-in datastores on its storage account. ``properties`` are the ones its creator chose
        (``friendlyName``, ``description``, ``storageAccount``, ...: what the workspace template sets)."""
        if self.arm.get(f"/subscriptions/*/resourceGroups/{group}") is None:
            self.arm.put(f"/subscriptions/*/resourceGroups/{group}", {"location": location})
        path = self.workspace_path(group, name)
        storage = f"/subscriptions/*/resourceGroups/{group}/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}"
        workspace = self.arm.put(path, {"location": location, "kind": "Default", "tags": tags or {}, "properties": {
            "friendlyName": name, "storageAccount": storage, "workspaceId": registries.workspace_id(path), **properties,
            "discoveryUrl": f"https://{location}.api.azureml.ms/discovery",
            "mlFlowTrackingUri": f"azureml://{location}.api.azureml.ms/mlflow/v1.0{path}",
        }})
        account = workspace["properties"]["storageAccount"].rsplit("/", 1)[-1]
        for datastore in self.blobs.builtin_datastores(account):
            self.arm.put(f"{path}/datastores/{datastore['name']}", {"properties": datastore["properties"]})
        for curated in catalog.curated_environments():  # a workspace lists them as AzureML-<name>
            version = f"{path}/environments/{curated['workspace_name']}/versions/{curated['version']}"
            self.arm.put(version, {"properties": {"image": curated["image"], "isAnonymous": False}})
            assets.versioned(self.arm, version)
        return workspace

    def add_registry(self, name: str, documents) -> None:
        """A registry holding ``documents`` (asset path, REST body), as ``registries.azureml_assets()`` lists them."""
        self.registries[name] = registries.new_store(documents)

    # --- Azure Resource Manager ---------------------------------------------------------------
    def arm_request(self, prepared, request):
        path = deployments.canonical(request.path)
        last = path.rstrip("/").rsplit("/", 1)[-1].lower()
        if request.method == "POST" and last in ACTIONS:
            return self.action(prepared, request, path.rstrip("/").rsplit("/", 1)[0], last)
        if managed_network.is_outbound_rule(path):
            return managed_network.outbound_rule(prepared, request, self.arm, self.refused)
        if request.method == "GET" and managed_network.is_provision_result(path):
            return managed_network.provision_result(prepared, self.arm, path)
        if request.method == "PATCH" and kind_of(key_of(path)) == "workspaces":
            workspace, problems = managed_network.patched(self.arm, path, request.json())
            if problems:
                return self.refused(prepared, 400, "BadRequest", problems)
            return http.response(prepared, 200, workspace)
        if "/operationresults/" in path.lower():  # every operation the fake starts has finished
            return http.response(prepared, 200, {"status": "Succeeded"})
        if request.method == "PUT":
            self.writes.append((path, request.json()))
            return self.put(prepared, path, request.json())
        if request.method == "GET":
            found = self.arm.get(path)
            if found is not None:
                return http.response(prepared, 200, datastores.as_read(sweeps.finished(found, self.arm)))
            if self._is_collection(path):
                listed = datastores.listed(self._listed(path, request.query), request.query)
                listed = [datastores.as_read(sweeps.finished(doc, self.arm)) for doc in listed]
                return http.response(prepared, 200, {"value": listed})
            return self.not_found(prepared, path)
        if request.method == "DELETE":
            if refusal := schedules.refused_delete(self.arm, path):
                return self.refused(prepared, 400, "UserError", [refusal])
            removed = self.arm.delete(path)
            return http.response(prepared, 200 if removed else 204)
        return http.error(prepared, 405, "MethodNotAllowed", f"{request.method} {path}")

    def put(self, prepared, path: str, body: dict):
        if registries.is_registry(path):
            return self.create_registry(prepared, path, body)
        kind = kind_of(key_of(path))
        if kind == "deployments":
            return self.deploy(prepared, path, body)
        if refusal := self.refusal(path, body):
            return self.refused(prepared, *refusal)
        body = self.completed(path, body)
        document, broken = enforce.checked_put(self.arm, path, body)
        if broken:
            return self.refused(prepared, 400, "UserError", broken)
        assets.versioned(self.arm, path)
        feature_stores.keep_features(path, document, self.arm)
        if kind == "jobs":
            jobs.accepted(document, path.rsplit("/jobs/", 1)[0])
            if error := runner.run(document, path.rsplit("/jobs/", 1)[0], self.arm, self.blobs):
                self.job_errors[document["name"]] = error
            outputs.register_named(document, self.arm, path.rsplit("/jobs/", 1)[0])
            return http.response(prepared, 201, jobs.as_just_submitted(document))
        return http.response(prepared, 200, datastores.as_read(document))

    def refusal(self, path: str, body: dict) -> tuple[int, str, list[str]] | None:
        """The first rule a PUT body breaks, in the order Azure checks them: what it names must exist,
        then where and how it may be used, then whether an existing version may change. The rules about
        the resource's own fields are in ``rules.py``, checked once the resource is complete."""
        is_cluster = (body.get("properties") or {}).get("computeType") == "AmlCompute"
        changed = assets.refused_change(self.arm, path, body)
        checks = [
            (404, "ResourceNotFound", lambda: self.missing_parent(path)
             + references.missing(body, self.arm, self.registries)
             + feature_stores.missing_entities(path, body, self.arm) + identities.missing(body, self.arm)),
            (400, "UserError", lambda: registries.out_of_region(path, body, self.arm)),
            (400, "BadRequest", lambda: identities.broken(body, is_cluster=is_cluster)),
            (409, "UserError", lambda: [changed] if changed else []),
            (400, "UserError", lambda: serverless.refused(path, body, self.arm, body.get("location") or REGION)),
        ]
        return next(((status, code, problems) for status, code, check in checks if (problems := check())), None)

    def completed(self, path: str, body: dict) -> dict:
        """The body with what Azure adds to a resource it accepts, before the rules read it back."""
        if kind_of(key_of(path)) == "computes" and body.get("identity"):
            body = {**body, "identity": identities.resolved(body["identity"], self.arm)}
        if serverless.is_serverless(path):
            serverless.accepted(path, body, REGION)
        if kind_of(key_of(path)) == "models/versions":
            models.registered(body, path.rsplit("/models/", 1)[0], self.arm, self.blobs)
        endpoints.accepted(path, body, REGION)
        data_collection.accepted(body)
        schedules.accepted(path, body)
        return body

    def create_registry(self, prepared, path: str, body: dict):
        """A registry of the reader's own (``registries.py``): a store of its own, found by discovery."""
        document, problems = registries.created(self.arm, self.registries, path, body)
        if problems:
            return self.refused(prepared, 400, "UserError", problems)
        return http.response(prepared, 200, document)

    def missing_parent(self, path: str) -> list[str]:
        """A workspace's child resource (an endpoint's deployment, a workspace's compute) is created
        only in a parent that exists, except an asset version, whose first version creates its container."""
        parent = path.rstrip("/").rsplit("/", 2)[0]
        if kind_of(key_of(path)).endswith("/versions") or not WORKSPACE_PART.search(parent):
            return []
        return [] if self.arm.get(parent) else [f"{references.describe(key_of(parent))} not found"]

    def deploy(self, prepared, path: str, body: dict):
        """An ARM template deployment to a resource group (``deployments.py``), finished at once."""
        try:
            return http.response(prepared, 201, deployments.deploy(self.arm, path, body, self.add_workspace))
        except deployments.Refused as refusal:
            return self.refused(prepared, refusal.status, refusal.code, [refusal.message])

    def _is_collection(self, path: str) -> bool:
        segments = [s for s in key_of(path).split("/") if s]
        return len(segments) % 2 == 1  # /subscriptions/*/resourcegroups/rg/.../computes

    def _listed(self, path: str, query: dict, store: ResourceStore | None = None) -> list[dict]:
        if "hash" in query:  # a code snapshot already uploaded, under any name: Azure reuses it
            return [doc for doc in (store or self.arm).of_kind("codes/versions")
                    if (doc["properties"].get("properties") or {}).get("hash_sha256") == query["hash"]]
        found = (store or self.arm).children(path)
        view = query.get("listviewtype", "ActiveOnly")
        if schedules.is_schedule(path):
            found = schedules.listed(found, view)
        elif view != "All":
            archived = view == "ArchivedOnly"
            found = [doc for doc in found if bool(doc.get("properties", {}).get("isArchived")) == archived]
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
            return self.list_secrets(prepared, resource_path)
        if action in ("start", "stop", "restart"):
            return self.compute_power(prepared, resource_path, action)
        if action in ("listkeys", "token", "getlogs"):
            return self.endpoint_action(prepared, request, resource_path, action)
        if action == "provisionmanagednetwork":
            return managed_network.provision(prepared, request, self.arm, resource_path, self.refused, REGION)
        return http.error(prepared, 400, "UnsupportedAction", f"the fake does not answer '{action}' yet")

    def list_secrets(self, prepared, path: str):
        datastore = self.arm.get(path)
        if datastore is None:
            return self.not_found(prepared, path)
        if kind_of(key_of(path)) != "datastores":
            return http.error(prepared, 400, "UnsupportedAction", f"the fake does not answer 'listSecrets' of "
                              f"{references.describe(key_of(path))} yet")
        found = datastores.secrets(datastore)
        if found is None:
            kind = datastore["properties"]["credentials"]["credentialsType"]
            return http.error(prepared, 400, "UserError", f"datastore '{datastore['name']}' has no secrets: "
                              f"its credentials are of type {kind}")
        return http.response(prepared, 200, found)

    def compute_power(self, prepared, path: str, action: str):
        compute = self.arm.get(path)
        if compute is None:
            return self.not_found(prepared, path)
        if broken := rules.compute_action(enforce.as_the_sdk_reads_it(path), action):
            return self.refused(prepared, 400, "UserError", broken)
        state = {"start": "Running", "stop": "Stopped", "restart": "Running"}[action]
        compute["properties"].setdefault("properties", {})["state"] = state
        return http.response(prepared, 202, headers={"Location": f"https://{ARM_HOST}{path}/operationResults/done"})

    def endpoint_action(self, prepared, request, path: str, action: str):
        """An online endpoint's keys or token, or the logs of one of its deployments."""
        resource = self.arm.get(path)
        if resource is None:
            return self.not_found(prepared, path)
        if action == "listkeys":
            return http.response(prepared, 200, endpoints.keys(resource))
        if action == "token":
            return http.response(prepared, 200, endpoints.token(resource))
        asked = request.json()
        container = asked.get("containerType") or "InferenceServer"
        content = self.servers.logs(resource, self.arm, self.blobs, container, int(asked.get("tail") or 0))
        return http.response(prepared, 200, {"content": content})

    # --- endpoints' scoring URIs ----------------------------------------------------------------
    def scoring_request(self, prepared, request):
        """A request to an endpoint: scored by an online deployment, or a batch job started."""
        endpoint = endpoints.endpoint_at(self.arm, request.host)
        if endpoint is None:
            return http.error(prepared, 404, "NotFound", f"no endpoint answers at {request.host}")
        requested = request.headers.get(endpoints.DEPLOYMENT_HEADER)
        try:
            endpoints.check_credential(endpoint, request.headers.get("Authorization"))
            if kind_of(key_of(endpoint["id"])) == "batchendpoints":
                return self.batch_invocation(prepared, request, endpoint, requested)
            deployment = endpoints.routed(self.arm, endpoint, requested)
            return http.response(prepared, 200, self.servers.answer(deployment, self.arm, self.blobs, request.body),
                                 headers={"Content-Type": "application/json", "azureml-model-deployment":
                                          deployment["name"]})
        except endpoints.Refused as refusal:
            return self.refused(prepared, refusal.status, refusal.code, [refusal.message])
        except scoring.ModelError as error:
            return self.refused(prepared, 424, "ModelError", [str(error)])

    def batch_invocation(self, prepared, request, endpoint: dict, requested: str | None):
        asked = request.json()
        problems = references.missing(asked, self.arm, self.registries)
        if problems:
            return self.refused(prepared, 404, "ResourceNotFound", problems)
        job = endpoints.batch_job(self.arm, endpoint, requested, asked)
        return http.response(prepared, 200, jobs.as_just_submitted(job))

    # --- registries: discovery, then their assets through the management front end ---------
    def registry_request(self, prepared, request):
        path = registries.asset_path(request.path)
        store = self.registries.get(registries.registry_named_in(path))
        if store is None:
            return self.refused(prepared, 404, "ResourceNotFound", [f"registry of {path} not found"])
        if request.method != "GET" and registries.registry_named_in(path) in registries.MICROSOFT:
            return http.error(prepared, 403, "AuthorizationFailed", f"Microsoft's registries are read-only: "
                              f"{request.method} {path}")
        if request.method != "GET":
            try:
                answer = registries.written(request.method, path, request.json(), self.registries, self.arm,
                                            self.blobs)
            except registries.Refused as refusal:
                return self.refused(prepared, refusal.status, refusal.code, [refusal.message])
            return http.response(prepared, 200, answer)
        found = store.get(path)
        if found is not None:
            return http.response(prepared, 200, found)
        if self._is_collection(path):
            return http.response(prepared, 200, {"value": self._listed(path, request.query, store)})
        return self.not_found(prepared, path)

    # --- the workspace's regional API (discovery, run history) -------------------------------
    def workspace_api(self, prepared, request):
        if request.path.startswith("/registrymanagement/v1.0/registries/"):
            name = request.path.split("/")[4]
            if name not in self.registries:
                return self.refused(prepared, 404, "ResourceNotFound", [f"registry '{name}' not found"])
            if own := registries.document(self.arm, name):
                return http.response(prepared, 200, registries.discovery_of(own))
            return http.response(prepared, 200, registries.discovery(name, REGION))
        if request.path.endswith("/discovery"):
            base = f"https://{REGION}.api.azureml.ms"
            return http.response(prepared, 200, {"api": base, "catalog": base, "experimentation": base,
                                                 "history": base, "mfe": base, "gallery": base})
        if "/history/v1.0/" in request.path and request.path.endswith("/details"):
            job_path = request.path.split("/history/v1.0", 1)[1].rsplit("/runs/", 1)
            job = self.arm.get(f"{job_path[0]}/jobs/{job_path[1].split('/')[0]}")
            if job is None:
                return self.not_found(prepared, request.path.rsplit("/details", 1)[0])
            return http.response(prepared, 200, jobs.run_details(job, self.job_errors.get(job["name"])))
        if request.path.endswith(("/rundata", "/dataversion/batchGetResolvedUris")):
            return self.job_outputs(prepared, request)
        return http.error(prepared, 404, "NotFound", f"{request.method} {request.path}")

    def job_outputs(self, prepared, request):
        """Where a finished job's outputs are: run history lists them, the data plane resolves them."""
        service, inside = request.path.split("/subscriptions/", 1)
        inside = f"/subscriptions/{inside}"
        workspace_path = inside[: WORKSPACE_PART.search(inside).end()]
        if service == "/data/v1.0":
            found = jobs.resolved_outputs(request.json()["values"], self.arm, workspace_path)
            return http.response(prepared, 200, found)
        job_path = f"{workspace_path}/jobs/{request.json()['runId']}"
        job = self.arm.get(job_path)
        return http.response(prepared, 200, jobs.run_data(job, REGION)) if job else self.not_found(prepared, job_path)


def new_id() -> str:
    return str(uuid.uuid4())
