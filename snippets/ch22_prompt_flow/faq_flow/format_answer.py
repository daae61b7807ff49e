from promptflow.core import tool


@tool
def format_answer(match: dict) -> str:
    """Turn the retrieved entry into the reply the user sees."""
    if match["answer"] is None:
        return "Sorry, the FAQ has no answer to that question yet."
    return f"{match['answer']} (FAQ topic: {match['topic']})"
