#!/usr/bin/env bash
# Create the workspace described in workspace.yml (needs the Azure CLI ml extension).
set -euo pipefail

az group create --name rg-dp100-labs --location eastus
az ml workspace create --file workspace.yml --resource-group rg-dp100-labs
