"""Check `az` command lines against facts/az_commands.yml, the table of the commands the site uses.

``parse`` checks one command line; the fake ``az`` checks each call it gets with it, the replay
reads each recorded call with it, and az_scripts.py each `az` line of a shell script.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

import yaml

# libyaml reads it in a tenth of the time: the fake az reads it once per call
TABLE = yaml.load((Path(__file__).parent / "facts" / "az_commands.yml").read_text(), Loader=yaml.CSafeLoader)
GROUPS = TABLE["groups"]
EXTENSION = f"ml extension {TABLE['ml_extension']['version']}"
HELP = "--help"


class Expanded(str):
    """A word the shell works out at run time (``"$GROUP"``, ``$(...)``): its source text."""


@dataclass(frozen=True)
class Argument:
    names: tuple[str, ...]  # the long name first, as the reference lists them
    required: bool = False
    default: str | None = None  # the `az configure --defaults` key that can supply it

    @property
    def shown(self) -> str:
        return "/".join(self.names)


@dataclass
class Call:
    """One `az` command line (the words after `az`), read against the table."""

    words: list[str]
    group: str = "az"
    command: str = ""
    options: dict[str, list[str]] = field(default_factory=dict)  # long name -> the words after it
    errors: list[str] = field(default_factory=list)
    line: int = 0  # in the script it comes from
    conditional: bool = False  # inside an if, a loop or a function: it may run any number of times

    @property
    def name(self) -> str:
        return f"{self.group} {self.command}".strip()

    @property
    def kind(self) -> str:
        """``online-endpoint`` for ``az ml online-endpoint ...``."""
        return self.group.removeprefix("az ml ")

    def value(self, name: str) -> str | None:
        return (self.options.get(name) or [None])[0]


def _argument(spec: str, required: bool) -> Argument:
    *names, last = spec.split()
    if last.startswith("="):
        return Argument(tuple(names), required, last[1:])
    return Argument((*names, last), required)


@cache
def arguments(group: str, command: str) -> dict[str, Argument]:
    """Each spelling (``--name``, ``-n``) of each argument that ``az <group> <command>`` accepts."""
    spec = GROUPS[group]["commands"][command]
    accepted = [_argument(text, True) for text in spec.get("required", [])]
    accepted += [_argument(text, False) for text in spec["optional"]]
    accepted += [_argument(text, False) for text in TABLE["global_arguments"]]
    accepted += [_argument(text, False) for text in GROUPS[group].get("global_arguments", [])]
    return {name: argument for argument in accepted for name in argument.names}


def _members(path: str) -> str:
    """The commands and subgroups of group ``path`` that the reference has, tabled or not."""
    group = GROUPS[path]
    subgroups = (g.rpartition(" ")[2] for g in GROUPS if g.rpartition(" ")[0] == path)
    return ", ".join(sorted({*group["commands"], *group.get("not_tabled", []), *subgroups}))


def _unknown(path: str, word: str) -> str:
    source = EXTENSION if path.startswith("az ml") else "the reference" if "not_tabled" in GROUPS[path] else "the table"
    return f"'{path} {word}' is not an {path} command ({source} has: {_members(path)})"


def _is_flag(word: str) -> bool:
    return word.startswith("-")


def parse(words: list[str], defaults: set[str] = frozenset()) -> Call:
    """Read ``az <words>`` as Azure CLI would; ``defaults`` are the keys `az configure` has set."""
    call = Call(list(words))
    rest = list(words)
    while rest and not _is_flag(rest[0]) and not call.command:
        word = rest.pop(0)
        if isinstance(word, Expanded):
            call.errors.append(f"'{call.group} {word}': the shell sets this word at run time, so it can't be checked")
            return call
        if f"{call.group} {word}" in GROUPS:
            call.group = f"{call.group} {word}"
        elif word in GROUPS[call.group]["commands"]:
            call.command = word
        elif word in GROUPS[call.group].get("not_tabled", []):
            call.errors.append(f"'{call.group} {word}' is in the reference but not in tests/fake_azure/facts/"
                               f"az_commands.yml: add it from {GROUPS[call.group]['source']}")
            return call
        else:
            call.errors.append(_unknown(call.group, word))
            return call
    if not call.command:
        if rest and all(word in ("-h", HELP) for word in rest):
            call.options[HELP] = []
        else:
            call.errors.append(f"'{call.group}' is a command group: name one of its commands ({_members(call.group)})")
        return call
    _read_arguments(call, rest, defaults)
    return call


def _read_arguments(call: Call, words: list[str], defaults: set[str]) -> None:
    accepted = arguments(call.group, call.command)
    current = None  # the long name the next values belong to; "" after an unknown argument
    for word in words:
        spelling, equals, value = word.partition("=")
        if isinstance(word, Expanded) and (current is None or _is_flag(word)) and not accepted.get(spelling):
            call.errors.append(f"{call.name}: the shell sets '{word}' at run time, so it can't be checked")
            current = ""
        elif _is_flag(word):
            argument = accepted.get(spelling)
            if argument is None:
                call.errors.append(f"{call.name}: unrecognized argument {spelling}")
                current = ""
                continue
            current = argument.names[0]
            call.options.setdefault(current, []).extend([value] if equals else [])
        elif current is None:
            call.errors.append(f"{call.name}: unrecognized argument {word}")
        elif current:
            call.options[current].append(word)
    if HELP in call.options:
        return
    output = call.value("--output")
    if output and not isinstance(output, Expanded) and output not in TABLE["output_formats"]:
        call.errors.append(f"{call.name}: argument --output/-o: invalid choice: '{output}' "
                           f"(choose from {', '.join(TABLE['output_formats'])})")
    missing = [a.shown for a in dict.fromkeys(accepted.values())
               if a.required and a.names[0] not in call.options and a.default not in defaults]
    if missing:
        call.errors.append(f"{call.name}: the following arguments are required: {', '.join(missing)}")
    one_of = GROUPS[call.group]["commands"][call.command].get("one_of")
    if one_of and sum(name in call.options for name in one_of["arguments"]) != 1:
        call.errors.append(f"{call.name}: {one_of['message']}")


def configured_defaults(call: Call) -> dict[str, str]:
    """What ``az configure --defaults KEY=VALUE ...`` stores (nothing for any other command)."""
    if call.name != "az configure":
        return {}
    return dict(word.partition("=")[::2] for word in call.options.get("--defaults", []))
