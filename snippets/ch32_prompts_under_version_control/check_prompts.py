"""A CI gate: every .prompty file under the folders given loads and renders, with what a run needs.

Usage: python check_prompts.py prompts/   (exit status 1, with the reasons, when a file fails)
"""

import os
import re
import sys
from pathlib import Path

import prompty
import yaml

# The gate never calls a model: a placeholder lets ${env:AZURE_OPENAI_ENDPOINT} resolve in CI.
os.environ.setdefault("AZURE_OPENAI_ENDPOINT", "https://prompt-check.openai.azure.com")
TEMPLATE_VARIABLE = re.compile(r"{{\s*(\w+)")
KEYLESS = (prompty.FoundryConnection, prompty.ReferenceConnection)


# --8<-- [start:problems]
def problems(path: Path) -> list[str]:
    try:
        agent = prompty.load(path)
    except (ValueError, yaml.YAMLError) as error:  # broken YAML, an untrusted endpoint, ...
        return [f"does not load: {' '.join(str(error).split())}"]  # one line per problem
    found, model = [], agent.model or prompty.Model()
    if not model.id:
        found.append("model.id (the deployment name) is missing")
    if not isinstance(model.connection, KEYLESS):
        found.append("model.connection must be kind foundry (Entra ID) or reference: no keys")
    front_matter = yaml.safe_load(path.read_text(encoding="utf-8").split("---", 2)[1]) or {}
    if "apiKey" in ((front_matter.get("model") or {}).get("connection") or {}):
        found.append("model.connection holds an apiKey: a key in Git is a leaked key, used or not")
    if agent.template and agent.template.format and agent.template.format.strict is False:
        found.append("template.format.strict is false: an input could open a message of its own")
    declared = {prop.name for prop in agent.inputs or []}
    undeclared = set(TEMPLATE_VARIABLE.findall(agent.instructions or "")) - declared
    if undeclared:
        found.append(f"the template uses inputs it does not declare: {sorted(undeclared)}")
        return found
    roles = [message.role for message in prompty.prepare(agent, dict.fromkeys(declared, "x"))]
    if roles[:1] != ["system"] or roles[-1:] != ["user"]:
        found.append(f"messages should run system ... user, not {roles}")
    return found
# --8<-- [end:problems]


# --8<-- [start:main]
if __name__ == "__main__":
    failed = 0
    for folder in sys.argv[1:]:
        for path in sorted(Path(folder).rglob("*.prompty")):
            for problem in problems(path):
                print(f"{path}: {problem}")
                failed = 1
    sys.exit(failed)
# --8<-- [end:main]
