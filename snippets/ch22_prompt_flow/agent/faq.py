"""The FAQ that chapter 22's agent and workflow look answers up in (in real life, an index)."""

FAQ = {
    "compute instance": "Stop it from the Compute page of the studio, "
    "or schedule it to shut down when idle.",
    "compute cluster": "Set the minimum number of nodes to 0 "
    "so the cluster scales down when no job runs.",
    "data asset": "Register the file or folder with a name and version, "
    "then use it as azureml:name:version.",
    "online endpoint": "Create a managed online endpoint, add a deployment, "
    "then send it all of the traffic.",
}


def look_up(words: set[str]) -> str | None:
    """The topic whose words all appear among ``words``, with its answer; None when none does."""
    topic = max(FAQ, key=lambda t: len(set(t.split()) & words))
    return f"{topic}: {FAQ[topic]}" if set(topic.split()) <= words else None
