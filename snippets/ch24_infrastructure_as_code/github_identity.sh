#!/usr/bin/env bash
# Give GitHub Actions an identity in Microsoft Entra ID to sign in as with OpenID
# Connect: an app registration, its service principal, one role on one resource
# group, and a federated credential that trusts one GitHub environment. No secret.
set -euo pipefail

GROUP="rg-diabetes-dev"

# --8<-- [start:app]
APP_ID=$(az ad app create --display-name github-diabetes-mlops \
  --query appId --output tsv)
PRINCIPAL_ID=$(az ad sp create --id "$APP_ID" --query id --output tsv)
# --8<-- [end:app]

# --8<-- [start:role]
# Contributor on the dev resource group only: enough to deploy and run jobs there.
SCOPE=$(az group create --name "$GROUP" --location eastus --query id --output tsv)
az role assignment create --assignee-object-id "$PRINCIPAL_ID" \
  --assignee-principal-type ServicePrincipal \
  --role Contributor --scope "$SCOPE" --output none
# --8<-- [end:role]

# --8<-- [start:trust]
# Trust the tokens GitHub issues to jobs of the dev environment, and nothing else.
az ad app federated-credential create --id "$APP_ID" \
  --parameters federated-credential.json --output none
# --8<-- [end:trust]

# --8<-- [start:variables]
# Store these as GitHub variables (Settings > Secrets and variables > Actions).
echo "AZURE_CLIENT_ID=${APP_ID}"
echo "AZURE_TENANT_ID=$(az account show --query tenantId --output tsv)"
echo "AZURE_SUBSCRIPTION_ID=$(az account show --query id --output tsv)"
# --8<-- [end:variables]
