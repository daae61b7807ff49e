"""The recording `az`, `pip` and `pf` that the shell-snippet tests put first on PATH (tests/fake_azure/bin).

Each call is appended to the JSON-lines file that FAKE_CLI_LOG names, as ``{"argv", "cwd"}``.
`az` checks its arguments with the static checker's own ``parse`` (tests/fake_azure/az.py), reads
any ``--file`` with the SDK loader the ml extension uses, and keeps what this run created in the
JSON file that FAKE_CLI_STATE names: a later command may only name what exists. Nothing here
reaches the network; `pip install` installs nothing.
"""

from __future__ import annotations

import importlib.metadata
import json
import os
import re
import sys
from dataclasses import asdict, dataclass, field
from pathlib import Path

import yaml

from tests.fake_azure.az import HELP, Call, configured_defaults, parse

LOG, STATE = "FAKE_CLI_LOG", "FAKE_CLI_STATE"
REGION = "eastus"  # where the site's workspace lives (snippets/ch05_workspace/workspace.yml)
# Arguments that say how to run the command, not what the created object holds.
NOT_FIELDS = {"--file", "--resource-group", "--workspace-name", "--subscription", "--output", "--query", "--set"}
# Commands that name no existing object of their group's kind.
NAME_NOTHING = {"create", "list", "validate"}


class CliError(Exception):
    """What the real tool would print on stderr before it exits with ``code``."""

    def __init__(self, message: str, code: int = 1):
        super().__init__(message)
        self.code = code


@dataclass
class State:
    """What this run has set up: `az configure` defaults and the objects created, kind -> key -> fields."""

    defaults: dict[str, str] = field(default_factory=dict)
    created: dict[str, dict[str, dict]] = field(default_factory=dict)

    @classmethod
    def load(cls) -> State:
        path = Path(os.environ[STATE])
        return cls(**json.loads(path.read_text())) if path.exists() else cls()

    def save(self) -> None:
        Path(os.environ[STATE]).write_text(json.dumps(asdict(self), indent=2))

    def add(self, kind: str, key: str, fields: dict) -> dict:
        self.created.setdefault(kind, {})[key] = fields
        return fields

    def find(self, kind: str, key: str, version: str | None = None) -> dict:
        fields = self.created.get(kind, {}).get(key)
        if fields is None or (version is not None and str(fields.get("version", version)) != version):
            what = f"{kind.replace('-', ' ')} '{key}'" + (f" version {version}" if fields else "")
            raise CliError(f"{what} not found (not created in this run)")
        return fields

    def new_job_name(self) -> str:
        return f"fake-job-{len(self.created.get('job', {})) + 1}"


def record(program: str, argv: list[str]) -> None:
    with open(os.environ[LOG], "a") as log:
        log.write(json.dumps({"argv": [program, *argv], "cwd": os.getcwd()}) + "\n")


def run(program: str, answer, argv: list[str]) -> int:
    """Record the call, then print ``answer(argv)`` or the error as the real tool would."""
    record(program, argv)
    try:
        print(answer(argv), end="")
    except CliError as error:
        print(f"ERROR: {error}", file=sys.stderr)
        return error.code
    return 0


# --- az ---------------------------------------------------------------------------------------
def az(argv: list[str]) -> str:
    state = State.load()
    call = parse(argv, set(state.defaults))
    if call.errors:
        raise CliError("\n".join(call.errors), code=2)
    if HELP in call.options:
        return f"Group or command: {call.name} (the fake az's help)\n"
    state.defaults.update(configured_defaults(call))
    name = call.value("--name")
    result = _ml(call, state) if call.group.startswith("az ml ") else {"name": name} if name else None
    state.save()
    return _render(result, call)


def _ml(call: Call, state: State):
    kind, verb = call.kind, call.command
    if verb == "create":
        return _create(call, state)
    if verb == "list":
        wanted = call.value("--name")
        return [fields for fields in state.created.get(kind, {}).values() if wanted in (None, fields["name"])]
    if verb in NAME_NOTHING:
        return {}
    key = call.value("--name")
    if kind.endswith("-deployment"):
        endpoint = call.value("--endpoint-name")
        state.find(kind.replace("deployment", "endpoint"), endpoint)
        key = f"{endpoint}/{key}"
    fields = state.find(kind, key, call.value("--version"))
    if verb == "invoke":
        return _invoke(call, state, fields)
    if verb == "stream":
        return f"RunId: {key}\nStatus: Completed\n"
    if verb == "get-logs":
        return f"(the fake az's log of deployment {key})\n"
    if verb == "delete":
        del state.created[kind][key]
    return None if verb in ("download", "delete") else fields


def _create(call: Call, state: State) -> dict:
    kind = call.kind
    given = {name.lstrip("-").replace("-", "_"): values[0]
             for name, values in call.options.items() if len(values) == 1 and name not in NOT_FIELDS}
    fields = {**_read(kind, call.value("--file")), **given}
    if kind == "job":
        fields.setdefault("name", state.new_job_name())
    if not fields.get("name"):
        raise CliError(f"{call.name}: give --name or a name in the YAML file")
    key = fields["name"]
    if kind.endswith("-deployment"):
        endpoint = state.find(kind.replace("deployment", "endpoint"), fields.get("endpoint_name"))
        key = f"{endpoint['name']}/{key}"
        if "--all-traffic" in call.options:
            endpoint["traffic"] = {fields["name"]: 100}
        if "--set-default" in call.options:
            endpoint["defaults"] = {"deployment_name": fields["name"]}
    if kind == "online-endpoint":
        fields["scoring_uri"] = f"https://{fields['name']}.{REGION}.inference.ml.azure.com/score"
    return state.add(kind, key, fields)


def _read(kind: str, file: str | None) -> dict:
    """The YAML file's fields, once the SDK's loader for ``kind`` has accepted it."""
    if file is None:
        return {}
    from tests.fake_azure.sdk_loaders import LOADERS  # here, not at the top: the SDK takes seconds to import

    try:
        LOADERS[kind](Path(file))
    except Exception as error:  # whatever the SDK raises is what the reader would see
        raise CliError(f"{type(error).__name__}: {error}") from error
    return yaml.safe_load(Path(file).read_text())


def _invoke(call: Call, state: State, endpoint: dict):
    if call.kind == "batch-endpoint":
        return state.add("job", name := state.new_job_name(), {"name": name, "status": "Completed"})
    deployment = call.value("--deployment-name") or next(iter(endpoint.get("traffic", {})), None)
    state.find("online-deployment", f"{endpoint['name']}/{deployment}")
    request = call.value("--request-file")
    if request and not Path(request).is_file():
        raise CliError(f"request file '{request}' not found")
    return f'"(the fake az\'s answer from deployment {deployment})"\n'


def _render(result, call: Call) -> str:
    """What az prints: ``--query`` (dotted names only) picks a value; tsv prints bare values."""
    query = call.value("--query")
    if query:
        if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", query):
            raise CliError(f"the fake az answers --query with dotted names only, not '{query}'")
        for part in query.split("."):
            result = result.get(part) if isinstance(result, dict) else None
    output = call.value("--output") or "json"
    if result is None or output == "none":
        return ""
    if isinstance(result, str) and not query:
        return result
    if output == "tsv":
        rows = result if isinstance(result, list) else [result]
        return "".join("\t".join(map(str, row.values() if isinstance(row, dict) else [row])) + "\n" for row in rows)
    return json.dumps(result, indent=2) + "\n"


# --- pip and pf ----------------------------------------------------------------------------
def pip(argv: list[str]) -> str:
    """`pip show` answers from the packages installed here; `pip install` downloads nothing."""
    command, *names = argv or [""]
    if command == "install":
        return f"(the fake pip installs nothing: {' '.join(names)})\n"
    if command != "show":
        raise CliError(f"the fake pip knows install and show, not '{command}'")
    try:
        return "".join(f"Name: {name}\nVersion: {importlib.metadata.version(name)}\n" for name in names)
    except importlib.metadata.PackageNotFoundError as missing:
        raise CliError(f"Package(s) not found: {missing}") from missing


def pf(argv: list[str]) -> str:
    """`pf flow test`, `pf run create` and `pf run show-metrics`: the flows, data and runs they name must exist."""
    state = State.load()
    flags = _flags(argv)
    for flow in flags.get("--flow", []):
        if not (Path(flow) / "flow.dag.yaml").is_file():
            raise CliError(f"no flow.dag.yaml in '{flow}'")
    for data in flags.get("--data", []):
        if not Path(data).is_file():
            raise CliError(f"data file '{data}' not found")
    for run_name in flags.get("--run", []) + (flags.get("--name", []) if argv[:2] == ["run", "show-metrics"] else []):
        state.find("pf-run", run_name)
    if argv[:2] == ["run", "create"]:
        for name in flags.get("--name", []):
            state.add("pf-run", name, {"name": name})
    state.save()
    return f"(the fake pf ran: {' '.join(argv[:2])})\n"


def _flags(argv: list[str]) -> dict[str, list[str]]:
    flags, current = {}, None
    for word in argv:
        if word.startswith("--"):
            current = flags.setdefault(word, [])
        elif current is not None:
            current.append(word)
    return flags
