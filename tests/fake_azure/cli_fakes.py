"""The recording `az`, `pip` and `pf` that the shell-snippet tests put first on PATH (tests/fake_azure/bin).

Each call is appended to the JSON-lines file that FAKE_CLI_LOG names, as ``{"argv", "cwd", "printed"}``.
`az` checks its arguments with the static checker's own ``parse`` (tests/fake_azure/az.py) and
answers from what this run created, read from the ``--file`` YAML as plain YAML and the arguments
(not ``--set``; kept in the JSON file that FAKE_CLI_STATE names), so that ``$(az ... --query name
-o tsv)`` gives the script a value.
It does not import the SDK (seconds per process) and enforces none of Azure ML's rules: the test
replays each recorded `az ml` call against the fake Azure (tests/fake_azure/cli_replay.py), which
also checks every ``--query`` answer printed here. Resource groups, Bicep deployments, Entra ID and
role assignments, which the replay does not reach, are answered and checked by cli_arm.py.
Nothing here reaches the network; `pip install`
installs nothing.
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

from tests.fake_azure import cli_arm
from tests.fake_azure.az import HELP, Call, configured_defaults, parse

LOG, STATE = "FAKE_CLI_LOG", "FAKE_CLI_STATE"
REGION = "eastus"  # where the site's workspace lives (snippets/ch05_workspace/workspace.yml)
# Arguments that say how to run the command, not what the created object holds.
NOT_FIELDS = {"--file", "--resource-group", "--workspace-name", "--subscription", "--output", "--query", "--set"}


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

    def get(self, kind: str, key: str, version: str | None = None) -> dict | None:
        fields = self.created.get(kind, {}).get(key)
        if fields is None or (version is not None and str(fields.get("version", version)) != version):
            return None
        return fields

    def new_job_name(self) -> str:
        return f"fake-job-{len(self.created.get('job', {})) + 1}"


def run(program: str, answer, argv: list[str]) -> int:
    """Print ``answer(argv)`` or the error as the real tool would; record the call and what it printed."""
    try:
        printed, code = answer(argv), 0
    except CliError as error:
        printed, code = "", error.code
        print(f"ERROR: {error}", file=sys.stderr)
    with open(os.environ[LOG], "a") as log:
        log.write(json.dumps({"argv": [program, *argv], "cwd": os.getcwd(), "printed": printed}) + "\n")
    print(printed, end="")
    return code


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
    if call.group.startswith("az ml "):
        result = _ml(call, state)
    elif (call.group, call.command) in cli_arm.ANSWERS:  # resource groups, deployments, Entra ID, roles
        try:
            result = cli_arm.answer(call, state)
        except cli_arm.Refusal as refusal:
            raise CliError(str(refusal), refusal.code) from refusal
    else:
        result = {"name": name} if name else None
    state.save()
    query = call.value("--query")
    if query and picked(result, query) is None:
        raise CliError(f"{call.name}: the fake az can't answer --query {query}: it knows only what this "
                       f"script's YAML files and arguments gave the objects it created")
    return render(result, call)


def _ml(call: Call, state: State):
    """The created object's fields, what this run knows of the object named, or a placeholder line."""
    kind, verb = call.kind, call.command
    if verb == "create":
        return _create(call, state)
    if verb == "invoke" and kind == "batch-endpoint":  # starts a job
        return state.add("job", name := state.new_job_name(), {"name": name})
    key = call.value("--name")
    if verb == "list":
        return [fields for fields in state.created.get(kind, {}).values() if key in (None, fields["name"])]
    if kind.endswith("-deployment"):
        key = f"{call.value('--endpoint-name')}/{key}"
    if verb in ("invoke", "stream", "get-logs"):
        return f"(the fake az's {verb} of {key}: the test replays it against the fake Azure)\n"
    if verb == "delete":
        state.created.get(kind, {}).pop(key, None)
    return state.get(kind, key, call.value("--version")) if verb == "show" else None


def _create(call: Call, state: State) -> dict:
    kind = call.kind
    given = {name.lstrip("-").replace("-", "_"): values[0]
             for name, values in call.options.items() if len(values) == 1 and name not in NOT_FIELDS}
    fields = {**_read(call.value("--file")), **given}
    if kind == "job":
        fields.setdefault("name", state.new_job_name())
    if not fields.get("name"):
        raise CliError(f"{call.name}: give --name or a name in the YAML file")
    key = fields["name"]
    if kind.endswith("-deployment"):
        key = f"{fields.get('endpoint_name')}/{key}"
    if kind == "online-endpoint":
        fields["scoring_uri"] = f"https://{fields['name']}.{REGION}.inference.ml.azure.com/score"
    return state.add(kind, key, fields)


def _read(file: str | None) -> dict:
    """The YAML file's fields, as plain YAML (the replay reads it with the SDK's loader)."""
    if file is None:
        return {}
    try:
        return yaml.safe_load(Path(file).read_text()) or {}
    except (OSError, yaml.YAMLError) as error:
        raise CliError(f"can't read --file {file}: {error}") from error


def picked(result, query: str):
    """The value a ``--query`` of dotted names picks from ``result``."""
    if not re.fullmatch(r"[A-Za-z_]\w*(\.[A-Za-z_]\w*)*", query):
        raise CliError(f"the fake az answers --query with dotted names only, not '{query}'")
    for part in query.split("."):
        result = result.get(part) if isinstance(result, dict) else None
    return result


def render(result, call: Call) -> str:
    """What az prints: ``--query`` picks a value; tsv prints bare values."""
    query = call.value("--query")
    if query:
        result = picked(result, query)
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
        if state.get("pf-run", run_name) is None:
            raise CliError(f"pf run '{run_name}' not found (not created in this run)")
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
