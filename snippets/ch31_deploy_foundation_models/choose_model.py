"""Pick a model for a use case: filter on the hard constraints, then take the cheapest that is good enough.

Every number below is a MADE-UP EXAMPLE in the shape the model catalog's leaderboards and model cards
give them (quality index, price per million tokens, latency, throughput, context window, regions).
Copy the real figures for your shortlist from the catalog on the day you choose.
"""

from typing import NamedTuple


# --8<-- [start:table]
class Candidate(NamedTuple):
    name: str
    quality: float  # a leaderboard quality index, 0-1 (higher is better)
    input_price: float  # per million input tokens
    output_price: float  # per million output tokens
    seconds_to_first_token: float
    tokens_per_second: float
    context_window: int  # tokens
    modalities: frozenset
    regions: frozenset
    deployments: frozenset  # "serverless", "managed-compute", "provisioned"


TEXT, IMAGE = "text", "image"
EXAMPLE_CANDIDATES = [  # made-up example numbers, not any model's real figures
    Candidate("large-multimodal", 0.90, 2.50, 10.00, 0.6, 80, 128_000, frozenset({TEXT, IMAGE}),
              frozenset({"eastus2", "swedencentral"}), frozenset({"serverless", "provisioned"})),
    Candidate("small-multimodal", 0.78, 0.15, 0.60, 0.4, 120, 128_000, frozenset({TEXT, IMAGE}),
              frozenset({"eastus2", "swedencentral", "westeurope"}), frozenset({"serverless", "provisioned"})),
    Candidate("open-small-text", 0.71, 0.13, 0.52, 0.3, 150, 16_000, frozenset({TEXT}),
              frozenset({"eastus2", "westeurope"}), frozenset({"serverless", "managed-compute"})),
    Candidate("open-large-text", 0.84, 0.70, 0.90, 0.9, 45, 128_000, frozenset({TEXT}),
              frozenset({"eastus2", "westeurope"}), frozenset({"serverless", "managed-compute"})),
]
# --8<-- [end:table]


# --8<-- [start:pick]
class Needs(NamedTuple):
    min_quality: float
    max_seconds_to_first_token: float
    prompt_tokens: int  # the longest prompt the app sends, and the answer it expects
    completion_tokens: int
    modalities: frozenset
    region: str  # where the data must be processed
    deployment: str


def cost_per_thousand_requests(model: Candidate, needs: Needs) -> float:
    return 1_000 * (needs.prompt_tokens * model.input_price + needs.completion_tokens * model.output_price) / 1e6


def pick(candidates: list[Candidate], needs: Needs) -> Candidate:
    """The cheapest candidate that meets every hard constraint; ties go to the higher quality."""
    fitting = [
        model for model in candidates
        if model.quality >= needs.min_quality
        and model.seconds_to_first_token <= needs.max_seconds_to_first_token
        and model.context_window >= needs.prompt_tokens + needs.completion_tokens
        and needs.modalities <= model.modalities
        and needs.region in model.regions
        and needs.deployment in model.deployments
    ]
    if not fitting:
        raise LookupError("no candidate meets every constraint: relax one, or widen the shortlist")
    return min(fitting, key=lambda model: (cost_per_thousand_requests(model, needs), -model.quality))
# --8<-- [end:pick]


if __name__ == "__main__":
    # --8<-- [start:use]
    # Answer questions about photos of invoices, in Europe, as a serverless API, within a second.
    needs = Needs(min_quality=0.75, max_seconds_to_first_token=1.0, prompt_tokens=3_000, completion_tokens=300,
                  modalities=frozenset({TEXT, IMAGE}), region="swedencentral", deployment="serverless")
    choice = pick(EXAMPLE_CANDIDATES, needs)
    print(f"{choice.name}: {cost_per_thousand_requests(choice, needs):.2f} per 1,000 requests")
    # --8<-- [end:use]
