"""Evaluate the chat app over the test set: code-based, AI-assisted and custom metrics."""

import json
import os

from azure.ai.evaluation import (
    AzureOpenAIModelConfiguration,
    CoherenceEvaluator,
    F1ScoreEvaluator,
    FluencyEvaluator,
    GroundednessEvaluator,
    RelevanceEvaluator,
    RougeScoreEvaluator,
    RougeType,
    evaluate,
)
from azure.identity import DefaultAzureCredential
from chat_app import answer


# --8<-- [start:custom]
class WordBudgetEvaluator:
    """A custom, code-based evaluator: any callable that takes named columns and returns a dict."""

    def __init__(self, max_words: int):
        self.max_words = max_words

    def __call__(self, *, response: str) -> dict:
        words = len(response.split())
        return {"words": words, "within_budget": 1.0 if words <= self.max_words else 0.0}
# --8<-- [end:custom]


# --8<-- [start:judge]
judge_model = AzureOpenAIModelConfiguration(
    azure_endpoint=os.environ["AZURE_OPENAI_ENDPOINT"],
    azure_deployment="gpt-4.1",  # the judge: a different deployment from the app's model
    api_version="2024-10-21",
)
credential = DefaultAzureCredential()  # passed to each evaluator, not put in the configuration
ai_assisted = {
    "groundedness": GroundednessEvaluator(judge_model, credential=credential, threshold=4),
    "relevance": RelevanceEvaluator(judge_model, credential=credential, threshold=4),
    "coherence": CoherenceEvaluator(judge_model, credential=credential, threshold=4),
    "fluency": FluencyEvaluator(judge_model, credential=credential, threshold=4),
}
# --8<-- [end:judge]

# --8<-- [start:evaluate]
code_based = {
    "f1": F1ScoreEvaluator(threshold=0.5),
    "rouge": RougeScoreEvaluator(RougeType.ROUGE_L, f1_score_threshold=0.5),
    "budget": WordBudgetEvaluator(max_words=25),
}
response, truth = "${target.response}", "${data.ground_truth}"
mapping = {  # evaluator input -> a column of the test set (data) or of the target's output
    "f1": {"response": response, "ground_truth": truth},
    "rouge": {"response": response, "ground_truth": truth},
    "budget": {"response": response},
    "groundedness": {"response": response, "context": "${data.context}"},
    "relevance": {"query": "${data.query}", "response": response},
    "coherence": {"query": "${data.query}", "response": response},
    "fluency": {"response": response},
}
result = evaluate(
    data="test_set.jsonl",  # one JSON object a line: query, context, ground_truth
    target=answer,  # called with each row's query and context
    evaluators={**code_based, **ai_assisted},
    evaluator_config={name: {"column_mapping": columns} for name, columns in mapping.items()},
    evaluation_name="chat-app-pr-check",
    output_path="evaluation_results.json",
)
print(json.dumps(result["metrics"], indent=2, sort_keys=True))
# --8<-- [end:evaluate]
