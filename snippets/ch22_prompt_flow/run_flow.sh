#!/usr/bin/env bash
# Test, batch-run and evaluate the flows with the promptflow CLI (pip install promptflow).
# ${data.…} and ${run.…} below are promptflow's column mappings, not shell variables:
# shellcheck disable=SC2016
set -euo pipefail

# --8<-- [start:test]
pf flow test --flow faq_flow --inputs question="How do I stop a compute instance?"
# --8<-- [end:test]

# --8<-- [start:batch]
pf run create --flow faq_flow --data test_lines.jsonl \
  --column-mapping question='${data.question}' \
  --name faq_batch_run --stream

pf run create --flow eval_flow --data test_lines.jsonl --run faq_batch_run \
  --column-mapping answer='${run.outputs.answer}' ground_truth='${data.ground_truth}' \
  --name faq_eval_run --stream

pf run show-metrics --name faq_eval_run
# --8<-- [end:batch]
