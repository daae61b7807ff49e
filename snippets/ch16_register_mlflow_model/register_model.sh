#!/usr/bin/env bash
# Register the model described in model.yml, then inspect and tidy its versions.
set -euo pipefail

group="rg-dp100-labs"
workspace="mlw-dp100-labs"

# --8<-- [start:create]
az ml model create --file model.yml \
  --resource-group "$group" --workspace-name "$workspace"

# Every version of the model, then the newest one
az ml model list --name diabetes-classifier \
  --resource-group "$group" --workspace-name "$workspace" --output table
az ml model show --name diabetes-classifier --label latest \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:create]

# --8<-- [start:archive]
az ml model archive --name diabetes-classifier --version 1 \
  --resource-group "$group" --workspace-name "$workspace"
# --8<-- [end:archive]
