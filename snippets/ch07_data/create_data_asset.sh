#!/usr/bin/env bash
set -euo pipefail

# Register the data asset described in data_asset.yml, then look at it.
az ml data create --file data_asset.yml \
  --resource-group rg-dp100-labs --workspace-name mlw-dp100-labs

az ml data show --name diabetes-csv --version 2 \
  --resource-group rg-dp100-labs --workspace-name mlw-dp100-labs
