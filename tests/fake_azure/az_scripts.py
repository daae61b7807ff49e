"""Find every `az` command in a shell script with bashlex (a bash parser), in pipelines,
``&&``/``||`` lists, ``$(...)`` and the bodies of if, for and functions, and check each one
with ``az.parse``. (Apart from az.py: the fake `az` needs no bashlex, a third of a second to import.)
"""

from __future__ import annotations

from pathlib import Path

import bashlex

from tests.fake_azure.az import Call, Expanded, configured_defaults, parse

COMPOUNDS = {"if", "for", "while", "until", "function"}


class _AzCommandFinder(bashlex.ast.nodevisitor):
    """Collects each command whose first word is `az`, in the order the shell runs them
    (a ``$(...)`` inside a command before the command itself)."""

    def __init__(self, text: str):
        self.text = text
        self.found: list[tuple[int, list[str], bool]] = []  # (offset, words after az, conditional)
        self.compound_depth = 0

    def visitnode(self, node):
        self.compound_depth += node.kind in COMPOUNDS

    def visitnodeend(self, node):
        self.compound_depth -= node.kind in COMPOUNDS
        words = [part for part in node.parts if part.kind == "word"] if node.kind == "command" else []
        if words and words[0].word == "az":
            self.found.append((node.pos[0], [self._word(w) for w in words[1:]], self.compound_depth > 0))

    def _word(self, node) -> str:
        """The word as the shell passes it, or its source text when it expands at run time."""
        return Expanded(self.text[slice(*node.pos)]) if node.parts else node.word


def az_calls(script: Path) -> list[Call]:
    """Every `az` command in ``script``, parsed; `az configure --defaults` counts for those after it.
    A script bashlex can't parse gives one call with that error."""
    text = script.read_text()
    try:
        trees = bashlex.parse(text)
    except (bashlex.errors.ParsingError, NotImplementedError) as error:
        line = text.count("\n", 0, getattr(error, "position", 0)) + 1
        message = f"bashlex can't parse the script, so its az lines can't be checked: {error}"
        return [Call([], line=line, errors=[message])]
    finder = _AzCommandFinder(text)
    for tree in trees:
        finder.visit(tree)
    calls, defaults = [], set()
    for offset, words, conditional in finder.found:
        call = parse(words, defaults)
        call.line, call.conditional = text.count("\n", 0, offset) + 1, conditional
        defaults |= set(configured_defaults(call))
        calls.append(call)
    return calls


def check_script(script: Path, root: Path) -> list[str]:
    """The errors in ``script``'s az commands, each as ``file:line: what Azure CLI would answer``."""
    shown = script.relative_to(root) if script.is_relative_to(root) else script
    return [f"{shown}:{call.line}: {error}" for call in az_calls(script) for error in call.errors]
