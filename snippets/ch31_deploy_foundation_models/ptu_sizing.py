"""Size a provisioned throughput deployment and compare its monthly cost with pay-as-you-go.

The method and the per-model figures are Microsoft's: Learn, "Determine PTU sizing for a workload"
(learn.microsoft.com/azure/foundry/openai/how-to/provisioned-throughput-sizing, checked 2026-12-01).
The prices further down are made-up examples: read today's on the Azure pricing pages.
"""

import math
from typing import NamedTuple


# --8<-- [start:figures]
class Throughput(NamedTuple):
    input_tpm_per_ptu: int  # input tokens per minute one PTU processes
    output_ratio: int  # one output token counts as this many input tokens
    minimum: dict  # smallest deployment, PTUs, by deployment type
    increment: dict  # PTUs a deployment grows or shrinks by, by deployment type


# The deployment types by their SKU names: Global, Data Zone and Regional Provisioned
GLOBAL, DATA_ZONE, REGIONAL = "GlobalProvisionedManaged", "DataZoneProvisionedManaged", "ProvisionedManaged"
MODELS = {  # Microsoft's published figures (Learn, provisioned-throughput-sizing)
    "gpt-5.2": Throughput(3_400, 8, {GLOBAL: 15, DATA_ZONE: 15, REGIONAL: 50}, {GLOBAL: 5, DATA_ZONE: 5, REGIONAL: 50}),
    "gpt-4.1": Throughput(3_000, 4, {GLOBAL: 15, DATA_ZONE: 15, REGIONAL: 50}, {GLOBAL: 5, DATA_ZONE: 5, REGIONAL: 50}),
    "gpt-4o-mini": Throughput(37_000, 4, {GLOBAL: 15, DATA_ZONE: 15, REGIONAL: 25},
                              {GLOBAL: 5, DATA_ZONE: 5, REGIONAL: 25}),
    "Llama-3.3-70B-Instruct": Throughput(8_450, 4, {GLOBAL: 100, DATA_ZONE: 100}, {GLOBAL: 100, DATA_ZONE: 100}),
}
# --8<-- [end:figures]


# --8<-- [start:sizing]
def ptus_needed(model: str, deployment_type: str, peak_rpm: float, prompt_tokens: float,
                completion_tokens: float, cache_rate: float = 0.0) -> tuple[float, int]:
    """(PTUs the peak needs, PTUs you can deploy): rounded up to the increment, never below the minimum."""
    figures = MODELS[model]
    if deployment_type not in figures.minimum:
        raise ValueError(f"{model} has no {deployment_type} deployment type")
    if not 0 <= cache_rate <= 1:
        raise ValueError("cache_rate is a fraction between 0 and 1")
    input_tpm = peak_rpm * prompt_tokens * (1 - cache_rate)  # cached prompt tokens cost no capacity
    output_tpm = peak_rpm * completion_tokens
    normalized_tpm = input_tpm + figures.output_ratio * output_tpm
    raw = normalized_tpm / figures.input_tpm_per_ptu
    step = figures.increment[deployment_type]
    return raw, max(figures.minimum[deployment_type], math.ceil(raw / step) * step)
# --8<-- [end:sizing]


# --8<-- [start:cost]
HOURS_PER_MONTH = 730  # Azure's pricing pages bill a month as 730 hours


def monthly_costs(ptus: int, price_per_ptu_hour: float, average_rpm: float, prompt_tokens: float,
                  completion_tokens: float, input_price_per_million: float,
                  output_price_per_million: float) -> tuple[float, float]:
    """(provisioned, pay-as-you-go) for a month: PTUs bill every hour whether used or not;
    pay-as-you-go bills the tokens the average traffic actually sends."""
    provisioned = ptus * price_per_ptu_hour * HOURS_PER_MONTH
    requests = average_rpm * 60 * HOURS_PER_MONTH
    pay_as_you_go = requests * (prompt_tokens * input_price_per_million
                                + completion_tokens * output_price_per_million) / 1_000_000
    return provisioned, pay_as_you_go
# --8<-- [end:cost]


if __name__ == "__main__":
    # --8<-- [start:example]
    # A support assistant: 1,000 requests a minute at peak, 600 on average, 200 tokens in, 20 out.
    raw, deployable = ptus_needed("gpt-5.2", DATA_ZONE, peak_rpm=1_000, prompt_tokens=200, completion_tokens=20)
    print(f"gpt-5.2, Data Zone Provisioned: {raw:.2f} PTUs needed, deploy {deployable}")

    # EXAMPLE prices, not Azure's: USD 1.00 per PTU-hour; USD 1.75 / 14.00 per million input / output tokens
    provisioned, paygo = monthly_costs(deployable, 1.00, average_rpm=600, prompt_tokens=200, completion_tokens=20,
                                       input_price_per_million=1.75, output_price_per_million=14.00)
    cheaper = "provisioned" if provisioned < paygo else "pay-as-you-go"
    print(f"per month: provisioned {provisioned:,.0f}, pay-as-you-go {paygo:,.0f} -> {cheaper}")
    # --8<-- [end:example]
