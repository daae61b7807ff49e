#!/usr/bin/env bash
# Create the monitor of monitor_schedule.yml with the Azure CLI, then check it.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"

# --8<-- [start:create]
az ml schedule create --file monitor_schedule.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml schedule show --name diabetes-blue-monitor \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE" --query name --output tsv
# --8<-- [end:create]
