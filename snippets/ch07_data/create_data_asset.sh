#!/usr/bin/env bash
# Register the data asset described in data_asset.yml, then look at it.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"

az ml data create --file data_asset.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml data show --name diabetes-data --version 1 \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"
