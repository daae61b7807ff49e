import re

from promptflow.core import tool

STOP_WORDS = set("a an and are can do does for how i in is it my of the to what when which why with".split())


@tool
def clean_question(question: str) -> list[str]:
    """Lower-case the question and keep its meaningful words."""
    words = re.findall(r"[a-z0-9-]+", question.lower())
    return [word for word in words if word not in STOP_WORDS]
