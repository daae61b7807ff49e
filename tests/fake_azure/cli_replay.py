"""Replay, in the test's process, the `az ml` calls a shell snippet made, against the fake Azure.

The fake `az` (cli_fakes.py) checks each call against the CLI reference and records it, without
the SDK. The replay then does what the ml extension does for each call (Azure/azure-cli-extensions,
src/machinelearningservices/azext_mlv2/manual/custom/<group>.py): read ``--file`` with the SDK's
loader, the fields given as arguments overriding the file's (``params_override``), and send the
object through a real ``MLClient``'s operations; other commands call the matching operation. So
references and the service's rules apply to a script's YAML as they do to a Python snippet's
objects. Each ``--query`` answer the fake `az` printed is checked against what Azure returned.
"""

from __future__ import annotations

import contextlib
import json
from dataclasses import dataclass, field

from azure.ai.ml import Input, MLClient
from azure.ai.ml.constants._endpoint import EndpointGetLogsFields
from azure.ai.ml.entities._builders.base_node import BaseNode
from azure.core.polling import LROPoller
from azure.identity import DefaultAzureCredential

from tests.fake_azure.az import HELP, Call, configured_defaults, parse
from tests.fake_azure.cli_fakes import render
from tests.fake_azure.sdk_loaders import LOADERS
from tests.fake_azure.workspace import SUBSCRIPTION

OPERATIONS = {
    "batch-deployment": "batch_deployments", "batch-endpoint": "batch_endpoints", "component": "components",
    "compute": "compute", "data": "data", "datastore": "datastores", "environment": "environments",
    "job": "jobs", "model": "models", "online-deployment": "online_deployments",
    "online-endpoint": "online_endpoints", "schedule": "schedules", "workspace": "workspaces",
    "registry": "registries",
}
# The method each kind is created with (the others: create_or_update).
CREATE = {"batch-deployment": "begin_create_or_update", "batch-endpoint": "begin_create_or_update",
          "compute": "begin_create_or_update", "online-deployment": "begin_create_or_update",
          "online-endpoint": "begin_create_or_update", "schedule": "begin_create_or_update",
          "workspace": "begin_create", "registry": "begin_create"}
# Arguments of `create` the extension passes to the loader as fields (compute.py lowercases --type).
FIELDS = {"--name": "name", "--endpoint-name": "endpoint_name", "--type": "type", "--size": "size",
          "--min-instances": "min_instances", "--max-instances": "max_instances",
          "--idle-time-before-scale-down": "idle_time_before_scale_down", "--tier": "tier"}
# Arguments of `create` that say where and how to run it (--set and the flags: below).
HOW = {"--file", "--resource-group", "--workspace-name", "--subscription", "--output", "--query", "--set",
       "--all-traffic", "--set-default", "--stream"}


class ReplayError(Exception):
    """A replayed call that Azure (the fake) or the SDK refused: the script line, the call, the error."""


def named(call: Call, **keywords: str) -> dict:
    """The keyword arguments the given options supply (keyword -> option; a flag gives True)."""
    return {keyword: (call.options[option] or [True])[0] for keyword, option in keywords.items()
            if option in call.options}


def finished(result):
    """What the extension returns once a long-running operation is done (it waits unless --no-wait)."""
    return result.result() if isinstance(result, LROPoller) else result


# --- create ------------------------------------------------------------------------------------
def create(client: MLClient, call: Call):
    unknown = set(call.options) - set(FIELDS) - HOW
    if unknown:
        raise ReplayError(f"the replay does not know how the extension passes {', '.join(sorted(unknown))}")
    overrides = [{FIELDS[option]: values[0].lower() if option == "--type" else values[0]}
                 for option, values in call.options.items() if option in FIELDS]
    overrides += [dict([setting.split("=", 1)]) for setting in call.options.get("--set", [])]
    entity = LOADERS[call.kind](call.value("--file"), params_override=overrides)
    method = getattr(getattr(client, OPERATIONS[call.kind]), CREATE.get(call.kind, "create_or_update"))
    created = finished(method(entity))
    for flag, then in AFTER_CREATE.items():
        if flag in call.options:
            then(client, created)
    return created


def all_traffic(client: MLClient, deployment) -> None:
    """``--all-traffic``: once the deployment is provisioned, the endpoint sends it 100 % (online_deployment.py)."""
    endpoint = client.online_endpoints.get(deployment.endpoint_name)
    endpoint.traffic = {deployment.name: 100}
    finished(client.online_endpoints.begin_create_or_update(endpoint))


def set_default(client: MLClient, deployment) -> None:
    """``--set-default``: the endpoint's default deployment becomes this one (batch_deployment.py)."""
    endpoint = client.batch_endpoints.get(deployment.endpoint_name)
    endpoint.defaults = {"deployment_name": deployment.name}
    finished(client.batch_endpoints.begin_create_or_update(endpoint))


AFTER_CREATE = {
    "--all-traffic": all_traffic,
    "--set-default": set_default,
    "--stream": lambda client, job: client.jobs.stream(job.name),
}


# --- the other commands ------------------------------------------------------------------------
def invoke_batch(client: MLClient, call: Call):
    """``--input azureml:<name>:<version>`` becomes an Input of that data asset's type and id, a
    local path a uri_folder Input (batch_endpoint.py)."""
    given = named(call, deployment_name="--deployment-name")
    source = call.value("--input")
    if source and source.startswith("azureml:"):
        data = client.data.get(*source.removeprefix("azureml:").split(":"))
        given["input"] = Input(type=data.type, path=data.id)
    elif source:
        given["input"] = Input(type="uri_folder", path=source)
    return client.batch_endpoints.invoke(endpoint_name=call.value("--name"), **given)


def get_logs(client: MLClient, call: Call) -> str:
    lines = int(call.value("--lines") or EndpointGetLogsFields.LINES)
    return client.online_deployments.get_logs(call.value("--name"), call.value("--endpoint-name"), lines,
                                              **named(call, container_type="--container"))


def operations(client: MLClient, call: Call):
    return getattr(client, OPERATIONS[call.kind])


NAMES = {"name": "--name", "version": "--version", "label": "--label", "endpoint_name": "--endpoint-name"}
# (kind, command) -> what the extension calls; "*": any kind.
COMMANDS = {
    ("*", "create"): create,
    ("*", "show"): lambda client, call: operations(client, call).get(**named(call, **NAMES)),
    ("*", "list"): lambda client, call: list(operations(client, call).list(
        **named(call, name="--name", endpoint_name="--endpoint-name"))),
    ("*", "delete"): lambda client, call: finished(operations(client, call).begin_delete(
        **named(call, name="--name", endpoint_name="--endpoint-name"))),
    ("model", "archive"): lambda client, call: client.models.archive(
        **named(call, name="--name", version="--version", label="--label")),
    ("job", "stream"): lambda client, call: client.jobs.stream(call.value("--name")),
    ("job", "download"): lambda client, call: client.jobs.download(**named(
        call, name="--name", download_path="--download-path", output_name="--output-name", all="--all")),
    ("online-endpoint", "invoke"): lambda client, call: client.online_endpoints.invoke(
        endpoint_name=call.value("--name"), **named(call, request_file="--request-file",
                                                    deployment_name="--deployment-name")),
    ("online-deployment", "get-logs"): get_logs,
    ("batch-endpoint", "invoke"): invoke_batch,
}


def as_printed(result):
    """What the extension prints for a result: each entity's ``_to_dict()`` (a job node's as a job:
    job.py), as JSON."""
    if isinstance(result, list):
        return [as_printed(item) for item in result]
    if isinstance(result, BaseNode):
        result = result._to_job()
    return json.loads(json.dumps(result._to_dict(), default=str)) if hasattr(result, "_to_dict") else result


@dataclass
class Replay:
    """Replays one script's calls in order: `az configure` defaults carry over, as do the names
    Azure gave to what the fake `az` had named itself (a job's)."""

    defaults: dict[str, str] = field(default_factory=dict)
    aliases: dict[str, str] = field(default_factory=dict)
    clients: dict[tuple, MLClient] = field(default_factory=dict)

    def __call__(self, entry: dict, where: str):
        """Replay one entry of the fake `az`'s log (``argv``, ``cwd``, ``printed``); ``where`` is its script line."""
        argv = [self.aliases.get(word, word) for word in entry["argv"][1:]]
        call = parse(argv, set(self.defaults))
        self.defaults.update(configured_defaults(call))
        if not call.group.startswith("az ml ") or HELP in call.options:
            return None
        command = COMMANDS.get((call.kind, call.command)) or COMMANDS.get(("*", call.command))
        if command is None:
            raise ReplayError(f"{where}: the replay does not run '{call.name}' yet: add it to COMMANDS")
        try:
            with contextlib.chdir(entry["cwd"]):
                result = command(self.client(call), call)
        except Exception as error:
            raise ReplayError(f"{where}: az {' '.join(argv)}\n{type(error).__name__}: {error}") from error
        self.check_answer(call, entry["printed"], result, where)
        return result

    def client(self, call: Call) -> MLClient:
        """A client of the call's resource group and workspace (a workspace command's: of its group only)."""
        group = call.value("--resource-group") or self.defaults.get("group")
        workspace = call.value("--workspace-name") or self.defaults.get("workspace")
        if call.kind in ("workspace", "registry"):  # made in a resource group, not in a workspace
            workspace = None
        if (group, workspace) not in self.clients:
            self.clients[group, workspace] = MLClient(DefaultAzureCredential(), SUBSCRIPTION, group, workspace)
        return self.clients[group, workspace]

    def check_answer(self, call: Call, printed: str, result, where: str) -> None:
        """A ``--query`` answer must be Azure's, but for the name of what the call made: the fake `az`
        made one up (a job's), and later calls that name it are replayed with Azure's."""
        if call.value("--query") is None:
            return
        answer = render(as_printed(result), call)
        if call.value("--query") == "name" and call.command in ("create", "invoke"):
            self.aliases[printed.strip()] = answer.strip()
        elif answer != printed:
            raise ReplayError(f"{where}: the fake az printed {printed!r}, but Azure's answer is {answer!r}")
