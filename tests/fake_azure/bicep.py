"""What the fake `az deployment group` reads of a Bicep file and a ``.bicepparam`` file, without a Bicep compiler.

It reads the declarations Azure checks parameter values against (``param`` with ``@allowed``,
``@minLength``, ``@maxLength`` and a default, ``var``, ``resource``, ``module``, ``output``), one a
line as Bicep writes them, and works out an output's value where it can: a string built from
parameters and variables (``'mlw-${projectName}'``, ``toLower()``, ``take()``), a resource's ``name``
and ``id``, and the ``principalId`` Azure gives a system-assigned identity. ``uniqueString()`` and
anything else stays unknown (``None``): the fake `az` then refuses a ``--query`` that needs it.
Rules and messages: Azure Resource Manager's template validation
(https://learn.microsoft.com/azure/azure-resource-manager/templates/common-deployment-errors) and
Bicep's parameter decorators (https://learn.microsoft.com/azure/azure-resource-manager/bicep/parameters).
"""

from __future__ import annotations

import ast
import itertools
import re
import uuid
from dataclasses import dataclass, field
from pathlib import Path

PARAM = re.compile(r"^param (?P<name>\w+) (?P<type>\w+)(?: = (?P<default>.+))?$")
VAR = re.compile(r"^var (?P<name>\w+) = (?P<value>.+)$")
RESOURCE = re.compile(r"^resource (?P<symbol>\w+) '(?P<type>[^@']+)@(?P<version>[^']+)' = .*\{$")
MODULE = re.compile(r"^module (?P<symbol>\w+) '(?P<path>[^']+)' = .*\{$")
OUTPUT = re.compile(r"^output (?P<name>\w+) (?P<type>\w+) = (?P<value>.+)$")
USING = re.compile(r"^using '(?P<path>[^']+)'$")
ASSIGNED = re.compile(r"^param (?P<name>\w+) = (?P<value>.+)$")
INTERPOLATED = re.compile(r"\$\{(\w+)\}")
BODY_SETTING = re.compile(r"^'?(?P<key>[\w.-]+)'?: (?P<value>.+)$")
DECORATOR = re.compile(r"^@(?P<name>\w+)\((?P<argument>.*)\)$", re.S)
MODEL_DEPLOYMENT = "Microsoft.CognitiveServices/accounts/deployments"


@dataclass
class Parameter:
    name: str
    type: str
    default: str | None = None  # the expression
    allowed: list | None = None
    min_length: int | None = None
    max_length: int | None = None


@dataclass
class Template:
    path: Path
    parameters: dict[str, Parameter] = field(default_factory=dict)
    variables: dict[str, str] = field(default_factory=dict)
    # symbol -> type, version, name, identity?, depends_on (symbols), body ({"sku.name": "'S0'", ...}:
    # the resource's literal settings by dotted path, as written, arrays of objects left out)
    resources: dict[str, dict] = field(default_factory=dict)
    modules: dict[str, Template] = field(default_factory=dict)
    outputs: dict[str, tuple[str, str]] = field(default_factory=dict)  # name -> (type, expression)

    def resource_types(self) -> list[str]:
        """Every resource type the deployment creates, its modules' included."""
        inner = [kind for module in self.modules.values() for kind in module.resource_types()]
        return [resource["type"] for resource in self.resources.values()] + inner


def _literal(text: str):
    """A Bicep literal as Python: 'string', 12, true/false, or a list of them."""
    text = text.strip()
    if text in ("true", "false"):
        return text == "true"
    if text.startswith("["):
        return [_literal(item) for item in text.strip("[]").split()]
    return ast.literal_eval(text)


def read_template(path: Path) -> Template:
    template = Template(path)
    lines = path.read_text().splitlines()
    decorators: list[str] = []
    symbol, depth, keys, arrays = None, 0, [], 0  # the resource whose body is being read, and where in it
    for number, line in enumerate(lines, start=1):
        text = line.split(" //")[0].rstrip()
        if symbol:
            arrays = _read_body_line(template.resources[symbol], text.strip(), keys, arrays)
            depth += text.count("{") - text.count("}")
            symbol = symbol if depth > 0 else None
            continue
        if text.startswith("@"):
            decorators.append(text)
        elif decorators and decorators[-1].count("(") > decorators[-1].count(")"):  # a decorator goes on
            decorators[-1] += "\n" + text
        elif match := PARAM.match(text):
            template.parameters[match["name"]] = _parameter(match, decorators)
            decorators = []
        elif match := VAR.match(text):
            template.variables[match["name"]] = match["value"]
        elif match := RESOURCE.match(text):
            symbol, depth, keys, arrays = match["symbol"], 1, [], 0
            template.resources[symbol] = {"type": match["type"], "version": match["version"], "line": number,
                                          "depends_on": [], "body": {}, "loop": "[for " in text,
                                          "one_at_a_time": "@batchSize(1)" in decorators}
            decorators = []
        elif match := MODULE.match(text):
            template.modules[match["symbol"]] = read_template(path.parent / match["path"])
        elif match := OUTPUT.match(text):
            template.outputs[match["name"]] = (match["type"], match["value"])
    for resource in template.resources.values():
        resource.update(name=resource["body"].get("name"),
                        identity=resource["body"].get("identity.type") == "'SystemAssigned'")
    return template


def _read_body_line(resource: dict, text: str, path: list[str], arrays: int) -> int:
    """One line of a resource's body: a setting, an object opened or closed, a ``dependsOn`` entry.
    ``path`` holds the keys of the objects open; ``arrays`` counts the arrays open, and is returned."""
    after = arrays + text.count("[") - text.count("]")
    if arrays:  # inside an array: only dependsOn's symbols are kept
        if path == ["dependsOn"] and text != "]":
            resource["depends_on"].append(text)
        if after == 0 and text == "]":
            path.pop()
    elif setting := BODY_SETTING.match(text):
        if setting["value"] in ("{", "["):
            path.append(setting["key"])
        else:
            resource["body"][".".join([*path, setting["key"]])] = setting["value"]
    elif text.startswith("}") and path:
        path.pop()
    return after


def _parameter(match: re.Match, decorators: list[str]) -> Parameter:
    parameter = Parameter(match["name"], match["type"], match["default"])
    for decorator in decorators:
        found = DECORATOR.match(decorator)
        if found["name"] == "allowed":
            parameter.allowed = _literal(" ".join(found["argument"].split()))
        elif found["name"] == "minLength":
            parameter.min_length = int(found["argument"])
        elif found["name"] == "maxLength":
            parameter.max_length = int(found["argument"])
    return parameter


def read_parameters_file(path: Path) -> tuple[Path, dict]:
    """A ``.bicepparam`` file: the template its ``using`` names and the values it gives."""
    using, values = None, {}
    for line in path.read_text().splitlines():
        text = line.split(" //")[0].strip()
        if match := USING.match(text):
            using = (path.parent / match["path"]).resolve()
        elif match := ASSIGNED.match(text):
            values[match["name"]] = _literal(match["value"])
    return using, values


def problems(template: Template, values: dict) -> list[str]:
    """What Azure Resource Manager answers when the values do not fit the template's parameters."""
    found = []
    unknown = sorted(set(values) - set(template.parameters))
    if unknown:
        found.append("InvalidTemplate: the following parameters were supplied, but do not correspond to any "
                     f"parameters defined in the template: '{', '.join(unknown)}'")
    for name, parameter in template.parameters.items():
        if name not in values:
            if parameter.default is None:
                found.append(f"InvalidTemplate: the value for the template parameter '{name}' is not provided")
            continue
        value = values[name]
        if parameter.allowed is not None and value not in parameter.allowed:
            found.append(f"InvalidTemplate: the provided value '{value}' for the template parameter '{name}' is "
                         f"not valid. The parameter value is not part of the allowed value(s): "
                         f"'{','.join(map(str, parameter.allowed))}'")
        if parameter.min_length is not None and len(str(value)) < parameter.min_length:
            found.append(f"InvalidTemplate: the provided value for the template parameter '{name}' is shorter "
                         f"than the minimum length {parameter.min_length}")
        if parameter.max_length is not None and len(str(value)) > parameter.max_length:
            found.append(f"InvalidTemplate: the provided value for the template parameter '{name}' is longer "
                         f"than the maximum length {parameter.max_length}")
    return found


def conflicts(template: Template) -> list[str]:
    """Model deployments of one account that Azure Resource Manager would write side by side. An account
    takes one deployment change at a time and refuses the other with ``RequestConflict``
    (Azure/bicep#11211, Azure/azure-dev#9398): one must depend on the other, and a loop of them
    needs ``@batchSize(1)``."""
    deployments = {symbol: resource for symbol, resource in template.resources.items()
                   if resource["type"] == MODEL_DEPLOYMENT}

    def waits_for(symbol: str) -> set[str]:
        direct = set(template.resources[symbol]["depends_on"]) & set(template.resources)
        return direct.union(*(waits_for(other) for other in direct))

    found = []
    for first, second in itertools.combinations(deployments, 2):
        parent = deployments[first]["body"].get("parent")
        if parent == deployments[second]["body"].get("parent") and not (
                first in waits_for(second) or second in waits_for(first)):
            found.append(_conflict(template, parent, [first, second]))
    found += [_conflict(template, resource["body"].get("parent"), [symbol]) for symbol, resource in deployments.items()
              if resource["loop"] and not resource["one_at_a_time"]]
    return found


def _conflict(template: Template, parent: str | None, symbols: list[str]) -> str:
    where = " and ".join(f"{symbol} ({template.path.name}:{template.resources[symbol]['line']})" for symbol in symbols)
    return (f"RequestConflict: Another operation is being performed on the parent resource '{parent}'. "
            f"Please try again later. {where} deploy side by side: make each model deployment of an account "
            "depend on the one before it")


@dataclass
class Evaluation:
    """Expressions of one deployment of ``template`` with ``values``, to a resource group whose id is ``group_id``."""

    template: Template
    values: dict
    group_id: str

    def __call__(self, expression: str):
        expression = expression.strip()
        if expression.startswith("'") and expression.endswith("'") and "'" not in expression[1:-1]:
            parts = [self(name) for name in INTERPOLATED.findall(expression)]
            if any(part is None for part in parts):
                return None
            rest = iter(parts)
            return INTERPOLATED.sub(lambda _: str(next(rest)), expression[1:-1])
        if call := re.fullmatch(r"(toLower|take)\((.+?)(?:, (\d+))?\)", expression):
            inner = self(call[2])
            if inner is None:
                return None
            return inner.lower() if call[1] == "toLower" else inner[: int(call[3])]
        if expression in self.values:
            return self.values[expression]
        if expression in self.template.parameters and self.template.parameters[expression].default:
            return self(self.template.parameters[expression].default)  # ARM takes the default of one not given
        if expression in self.template.variables:
            return self(self.template.variables[expression])
        symbol, _, member = expression.partition(".")
        if symbol in self.template.resources:
            return self._resource(self.template.resources[symbol], member)
        return None

    def _resource(self, resource: dict, member: str):
        name = self(resource["name"])
        if name is None:
            return None
        resource_id = f"{self.group_id}/providers/{resource['type']}/{name}"
        if member == "identity.principalId" and resource.get("identity"):
            return str(uuid.uuid5(uuid.NAMESPACE_URL, resource_id))  # Azure makes one; the fake's is stable
        return {"name": name, "id": resource_id}.get(member)

    def outputs(self) -> dict:
        """The deployment's ``properties.outputs``: those whose value the fake can work out."""
        found = {}
        for name, (kind, expression) in self.template.outputs.items():
            value = self(expression)
            if value is not None:
                found[name] = {"type": kind.capitalize(), "value": value}
        return found
