#!/usr/bin/env bash
# Create the identity-based datastore described in datastore_identity.yml, then show it.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"

az ml datastore create --file datastore_identity.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml datastore show --name blob_identity_example \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"
