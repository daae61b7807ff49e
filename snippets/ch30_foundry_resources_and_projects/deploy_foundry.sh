#!/usr/bin/env bash
# Deploy foundry.bicep: a resource group, the clients' network, then the Foundry resource, its
# project, the developer's role and the private endpoint in one deployment.
set -euo pipefail

GROUP="${GROUP:-rg-ai300-foundry}"
FOUNDRY="${FOUNDRY:-aif-ai300}"

SUBSCRIPTION="$(az account show --query id --output tsv)"
# The developer who builds in the project: here, you (the Entra ID object id of the signed-in user).
DEVELOPER_ID="$(az ad signed-in-user show --query id --output tsv)"
VNET_ID="/subscriptions/$SUBSCRIPTION/resourceGroups/$GROUP/providers/Microsoft.Network/virtualNetworks/vnet-ai300"

# --8<-- [start:deploy]
az group create --name "$GROUP" --location eastus2
az network vnet create --name vnet-ai300 --resource-group "$GROUP" \
  --address-prefixes 10.30.0.0/16 --subnet-name snet-endpoints --subnet-prefixes 10.30.1.0/24
az deployment group create --resource-group "$GROUP" --name foundry \
  --template-file foundry.bicep \
  --parameters foundryName="$FOUNDRY" developerPrincipalId="$DEVELOPER_ID" \
    clientsVnetId="$VNET_ID" endpointsSubnetId="$VNET_ID/subnets/snet-endpoints" \
  --output none
PROJECT_ENDPOINT=$(az deployment group show --resource-group "$GROUP" --name foundry \
  --query properties.outputs.projectEndpoint.value --output tsv)
echo "Project endpoint: $PROJECT_ENDPOINT"
# --8<-- [end:deploy]
