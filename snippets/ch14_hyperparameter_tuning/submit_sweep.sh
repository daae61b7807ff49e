#!/usr/bin/env bash
# Submit sweep_job.yml with the Azure CLI (ml extension), then follow its log.
set -euo pipefail

group="rg-dp100-labs"
workspace="mlw-dp100-labs"

# --8<-- [start:submit]
job_name=$(az ml job create --file sweep_job.yml \
  --resource-group "$group" --workspace-name "$workspace" \
  --query name --output tsv)
echo "Submitted $job_name"

az ml job stream --name "$job_name" \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:submit]

# --8<-- [start:download]
# After the sweep: download the best trial's outputs and the sweep's logs
az ml job download --name "$job_name" --all \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:download]
