#!/usr/bin/env bash
# Set up a workspace and a compute cluster with the Azure CLI (v2 ml extension).
set -euo pipefail

# --8<-- [start:extension]
az extension add -n ml -y   # add the ml extension; -y skips the prompt
az ml -h                    # list the command groups it adds
# --8<-- [end:extension]

# --8<-- [start:workspace]
az group create --name rg-dp100-labs --location eastus
az ml workspace create --name mlw-dp100-labs --resource-group rg-dp100-labs
# --8<-- [end:workspace]

# --8<-- [start:compute]
az ml compute create --name cpu-cluster --type AmlCompute \
    --size STANDARD_DS3_v2 --min-instances 0 --max-instances 2 \
    --idle-time-before-scale-down 120 --tier low_priority \
    --resource-group rg-dp100-labs --workspace-name mlw-dp100-labs
# --8<-- [end:compute]
