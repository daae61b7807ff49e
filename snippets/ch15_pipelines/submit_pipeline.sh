#!/usr/bin/env bash
# Submit pipeline_job.yml with the Azure CLI (ml extension), then follow its log.
set -euo pipefail

group="rg-dp100-labs"
workspace="mlw-dp100-labs"

# --8<-- [start:submit]
job_name=$(az ml job create --file pipeline_job.yml \
  --resource-group "$group" --workspace-name "$workspace" \
  --query name --output tsv)
echo "Submitted pipeline $job_name"

az ml job stream --name "$job_name" \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:submit]
