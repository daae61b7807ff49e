#!/usr/bin/env bash
# Deploy infra/main.bicep for one environment (dev by default): preview, deploy,
# then read the outputs.
set -euo pipefail

ENVIRONMENT="${ENVIRONMENT:-dev}"
GROUP="rg-diabetes-${ENVIRONMENT}"

# --8<-- [start:group]
az group create --name "$GROUP" --location eastus \
  --tags project=diabetes environment="$ENVIRONMENT"
# --8<-- [end:group]

# --8<-- [start:what-if]
# What would change? Nothing is deployed yet.
az deployment group what-if --resource-group "$GROUP" \
  --template-file infra/main.bicep --parameters "infra/main.${ENVIRONMENT}.bicepparam"
# --8<-- [end:what-if]

# --8<-- [start:create]
az deployment group create --resource-group "$GROUP" --name "workspace-${ENVIRONMENT}" \
  --template-file infra/main.bicep --parameters "infra/main.${ENVIRONMENT}.bicepparam" \
  --output none
# --8<-- [end:create]

# --8<-- [start:outputs]
az deployment group show --resource-group "$GROUP" --name "workspace-${ENVIRONMENT}" \
  --query properties.outputs
WORKSPACE=$(az deployment group show --resource-group "$GROUP" \
  --name "workspace-${ENVIRONMENT}" \
  --query properties.outputs.workspaceName.value --output tsv)
echo "Workspace ${WORKSPACE} is ready in ${GROUP}"
# --8<-- [end:outputs]
