#!/usr/bin/env bash
# Create the cluster described in compute_cluster.yml, then list the workspace's compute.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"

az ml compute create --file compute_cluster.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml compute list --resource-group "$GROUP" --workspace-name "$WORKSPACE" --output table
