"""Latency, throughput, token usage and cost, computed from the spans traced_app.py wrote.

    python report.py spans.jsonl prices.json
"""

import json
import math
import sys
from collections import defaultdict
from datetime import datetime


def seconds(timestamp: str) -> float:
    return datetime.fromisoformat(timestamp).timestamp()  # OpenTelemetry writes ISO 8601, UTC


def read_spans(path: str) -> list[dict]:
    with open(path, encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


# --8<-- [start:percentile]
def percentile(values: list[float], q: float) -> float:
    """The nearest-rank percentile: the smallest value with at least q % of the values at or
    below it. p95 of 20 requests is the 19th fastest; with fewer, it is the slowest."""
    ordered = sorted(values)
    return ordered[max(1, math.ceil(q / 100 * len(ordered))) - 1]
# --8<-- [end:percentile]


# --8<-- [start:latency]
def latency(spans: list[dict]) -> dict:
    requests = [s for s in spans if s["parent_id"] is None]  # one root span per user request
    durations = [seconds(s["end_time"]) - seconds(s["start_time"]) for s in requests]
    window = (max(seconds(s["end_time"]) for s in requests)
              - min(seconds(s["start_time"]) for s in requests))
    first_token, tokens_per_second = [], []
    for span in spans:
        first = [e for e in span["events"] if e["name"] == "first_token"]
        if span["attributes"].get("gen_ai.operation.name") != "chat" or not first:
            continue
        start, end, then = (seconds(span["start_time"]), seconds(span["end_time"]),
                            seconds(first[0]["timestamp"]))
        first_token.append(then - start)  # what a user waits before text appears
        if end > then:  # generation speed once the answer has started
            produced = span["attributes"]["gen_ai.usage.output_tokens"]
            tokens_per_second.append(produced / (end - then))
    return {
        "requests": len(requests),
        "errors": sum(s["status"]["status_code"] == "ERROR" for s in requests),
        "p50_seconds": percentile(durations, 50),
        "p95_seconds": percentile(durations, 95),
        "requests_per_second": len(requests) / window if window else float("nan"),
        "p50_time_to_first_token": percentile(first_token, 50) if first_token else None,
        "mean_output_tokens_per_second": (sum(tokens_per_second) / len(tokens_per_second)
                                          if tokens_per_second else None),
    }
# --8<-- [end:latency]


# --8<-- [start:tokens]
def token_usage(spans: list[dict]) -> dict[str, dict[str, int]]:
    """Input and output tokens per model, as the service counted them (its usage is the bill)."""
    usage = defaultdict(lambda: {"input": 0, "output": 0, "calls": 0})
    for span in spans:
        attributes = span["attributes"]
        if "gen_ai.usage.input_tokens" in attributes:
            model = usage[attributes["gen_ai.response.model"]]
            model["input"] += attributes["gen_ai.usage.input_tokens"]
            model["output"] += attributes["gen_ai.usage.output_tokens"]
            model["calls"] += 1
    return dict(usage)
# --8<-- [end:tokens]


# --8<-- [start:cost]
def cost(usage: dict[str, dict[str, int]], prices: dict[str, dict[str, float]]) -> float:
    """The spend at your prices per million tokens; a price is found by the model's name
    (gpt-4.1-mini prices gpt-4.1-mini-2025-04-14). A model without a price is an error."""
    total = 0.0
    for model, tokens in usage.items():
        names = [name for name in prices if model.startswith(name)]
        if not names:
            raise KeyError(f"no price for {model}: add it to your price table")
        price = prices[max(names, key=len)]
        total += (tokens["input"] * price["input"] + tokens["output"] * price["output"]) / 1e6
    return total
# --8<-- [end:cost]


if __name__ == "__main__":
    spans = read_spans(sys.argv[1])
    with open(sys.argv[2], encoding="utf-8") as file:
        prices = {name: p for name, p in json.load(file).items() if not name.startswith("_")}
    for name, value in latency(spans).items():
        print(f"{name}: {value:.4g}" if isinstance(value, float) else f"{name}: {value}")
    usage = token_usage(spans)
    for model, tokens in usage.items():
        print(f"{model}: {tokens['calls']} calls, {tokens['input']} in, {tokens['output']} out")
    print(f"cost: {cost(usage, prices):.6f}")
