from promptflow.core import tool


@tool
def grade(answer: str, ground_truth: str) -> str:
    """A line is correct when the expected fact appears in the flow's answer."""
    return "correct" if ground_truth.lower() in answer.lower() else "incorrect"
