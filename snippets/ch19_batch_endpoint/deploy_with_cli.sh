#!/usr/bin/env bash
# Create the batch endpoint and its deployment from YAML, then score a folder of files.
set -euo pipefail

group="rg-dp100-labs"
workspace="mlw-dp100-labs"

# --8<-- [start:endpoint]
az ml batch-endpoint create --file batch_endpoint.yml \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:endpoint]

# --8<-- [start:deployment]
# --set-default makes this the deployment that jobs use when they name none
az ml batch-deployment create --file batch_deployment.yml --set-default \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:deployment]

# --8<-- [start:invoke]
job_name=$(az ml batch-endpoint invoke --name diabetes-batch \
  --input azureml:diabetes-batch-data:1 \
  --resource-group "$group" --workspace-name "$workspace" \
  --query name --output tsv)

az ml job stream --name "$job_name" \
  --resource-group "$group" --workspace-name "$workspace"

az ml job download --name "$job_name" --output-name score --download-path ./results \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:invoke]
