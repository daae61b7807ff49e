#!/usr/bin/env bash
# Reach the secure workspace from a virtual network of your own: a private endpoint in it, and the
# private DNS zones that make the workspace's host names resolve to the endpoint's private address.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
SECURE_WORKSPACE="${SECURE_WORKSPACE:-mlw-dp100-secure}"
VNET="${VNET:-vnet-dp100-clients}"
SUBNET="${SUBNET:-snet-endpoints}"

SUBSCRIPTION="$(az account show --query id --output tsv)"
GROUP_ID="/subscriptions/$SUBSCRIPTION/resourceGroups/$GROUP"
WORKSPACE_ID="$GROUP_ID/providers/Microsoft.MachineLearningServices/workspaces/$SECURE_WORKSPACE"

# --8<-- [start:endpoint]
# The clients' network (a VPN, ExpressRoute or a jump box reaches it), then the endpoint in it.
az network vnet create --name "$VNET" --resource-group "$GROUP" \
  --address-prefixes 10.20.0.0/16 --subnet-name "$SUBNET" --subnet-prefixes 10.20.1.0/24
az network private-endpoint create --name pe-mlw-dp100-secure --resource-group "$GROUP" \
  --vnet-name "$VNET" --subnet "$SUBNET" \
  --private-connection-resource-id "$WORKSPACE_ID" --group-id amlworkspace \
  --connection-name mlw-dp100-secure
# --8<-- [end:endpoint]

# --8<-- [start:dns]
az network private-dns zone create --name privatelink.api.azureml.ms --resource-group "$GROUP"
az network private-dns zone create --name privatelink.notebooks.azure.net --resource-group "$GROUP"
az network private-dns link vnet create --name api-link --zone-name privatelink.api.azureml.ms \
  --resource-group "$GROUP" --virtual-network "$VNET" --registration-enabled false
az network private-dns link vnet create --name notebooks-link \
  --zone-name privatelink.notebooks.azure.net --resource-group "$GROUP" --virtual-network "$VNET" --registration-enabled false
# The zone group writes the endpoint's A records into both zones, and keeps them up to date.
az network private-endpoint dns-zone-group create --name default --endpoint-name pe-mlw-dp100-secure \
  --resource-group "$GROUP" --private-dns-zone privatelink.api.azureml.ms --zone-name api
az network private-endpoint dns-zone-group add --name default --endpoint-name pe-mlw-dp100-secure \
  --resource-group "$GROUP" --private-dns-zone privatelink.notebooks.azure.net --zone-name notebooks
# --8<-- [end:dns]
