from promptflow.core import tool

# A tiny knowledge base. In a real RAG flow, this lookup is a vector index search.
FAQ = {
    "compute instance": "Stop it from the Compute page of the studio, or schedule it to shut down when idle.",
    "compute cluster": "Set the minimum number of nodes to 0 so the cluster scales down when no job runs.",
    "data asset": "Register the file or folder with a name and version, then refer to it as azureml:name:version.",
    "online endpoint": "Create a managed online endpoint, add a deployment, then send it all of the traffic.",
}


@tool
def retrieve_answer(keywords: list[str]) -> dict:
    """Pick the FAQ entry whose topic shares the most words with the question."""
    scores = {topic: len(set(topic.split()) & set(keywords)) for topic in FAQ}
    topic = max(scores, key=scores.get)
    if scores[topic] < 2:  # both words of the topic must appear
        return {"topic": "none", "answer": None}
    return {"topic": topic, "answer": FAQ[topic]}
