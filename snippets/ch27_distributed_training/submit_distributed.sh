#!/usr/bin/env bash
# Submit distributed_job.yml with the Azure CLI (ml extension), then again
# with another learning rate.
set -euo pipefail

group="rg-dp100-labs"
workspace="mlw-dp100-labs"

# --8<-- [start:submit]
job_name=$(az ml job create --file distributed_job.yml \
  --resource-group "$group" --workspace-name "$workspace" \
  --query name --output tsv)
echo "Submitted $job_name"

az ml job stream --name "$job_name" \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:submit]

# --8<-- [start:again]
# The same job with a larger learning rate: --set overrides fields of the YAML file
az ml job create --file distributed_job.yml \
  --set inputs.learning_rate=0.5 --set display_name=ddp-lr-0.5 \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:again]
