#!/usr/bin/env bash
# Submit the command job in job.yml to an Azure ML workspace with the Azure CLI.
set -euo pipefail

: "${RESOURCE_GROUP:?Set RESOURCE_GROUP to the resource group of the workspace}"
: "${WORKSPACE:?Set WORKSPACE to the Azure ML workspace name}"

cd "$(dirname "$0")"  # job.yml and src/ sit next to this script

job_name=$(az ml job create --file job.yml \
  --resource-group "$RESOURCE_GROUP" --workspace-name "$WORKSPACE" \
  --query name --output tsv)
echo "Submitted training job: $job_name"
