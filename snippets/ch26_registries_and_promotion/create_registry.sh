#!/usr/bin/env bash
# Create the registry described in registry.yml, in the resource group of the platform team.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"

az ml registry create --file registry.yml --resource-group "$GROUP"
az ml registry show --name reg-contoso-ml --resource-group "$GROUP" --output yaml
