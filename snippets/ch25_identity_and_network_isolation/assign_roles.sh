#!/usr/bin/env bash
# The training identity of chapter 25 and what it may reach, then what two colleagues may do in the
# lab workspace. Set the variables to your own names first.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
LOCATION="${LOCATION:-eastus}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"
# The workspace's storage account (az ml workspace show --query storage_account)
STORAGE="${STORAGE:-stmlwdp100labs}"
REGISTRY="${REGISTRY:-crmlwdp100labs}"    # a container registry with your own base images
DATA_SCIENTIST="${DATA_SCIENTIST:-ada@contoso.com}"
COMPUTE_OPERATOR="${COMPUTE_OPERATOR:-grace@contoso.com}"

SUBSCRIPTION="$(az account show --query id --output tsv)"
IN_GROUP="/subscriptions/$SUBSCRIPTION/resourceGroups/$GROUP/providers"

# --8<-- [start:identity]
az group create --name "$GROUP" --location "$LOCATION"  # the group of chapter 5: nothing changes
az identity create --name id-dp100-training --resource-group "$GROUP" --location "$LOCATION"
TRAINING="$(az identity show --name id-dp100-training --resource-group "$GROUP" \
  --query principalId --output tsv)"
# --8<-- [end:identity]

# --8<-- [start:identity-roles]
# Read blobs (a data-plane role: Reader or Contributor on the account would not do) and pull images.
az role assignment create --role "Storage Blob Data Reader" \
  --assignee-object-id "$TRAINING" --assignee-principal-type ServicePrincipal \
  --scope "$IN_GROUP/Microsoft.Storage/storageAccounts/$STORAGE"
az role assignment create --role AcrPull \
  --assignee-object-id "$TRAINING" --assignee-principal-type ServicePrincipal \
  --scope "$IN_GROUP/Microsoft.ContainerRegistry/registries/$REGISTRY"
# --8<-- [end:identity-roles]

# --8<-- [start:people]
# Everything in the workspace but compute and the workspace itself; compute and nothing else.
az role assignment create --role "AzureML Data Scientist" --assignee "$DATA_SCIENTIST" \
  --scope "$IN_GROUP/Microsoft.MachineLearningServices/workspaces/$WORKSPACE"
az role assignment create --role "AzureML Compute Operator" --assignee "$COMPUTE_OPERATOR" \
  --scope "$IN_GROUP/Microsoft.MachineLearningServices/workspaces/$WORKSPACE"
# --8<-- [end:people]
