#!/usr/bin/env bash
# Register the environment in environment.yml, then show its newest version.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"

az ml environment create --file environment.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml environment show --name sklearn-mlflow --label latest \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"
