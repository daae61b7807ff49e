#!/usr/bin/env bash
# Create the endpoint and its blue deployment from YAML, then test and inspect them.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"
ENDPOINT="diabetes-endpoint"

# --8<-- [start:endpoint]
az ml online-endpoint create --file endpoint.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"
# --8<-- [end:endpoint]

# --8<-- [start:deployment]
# The environment the deployment names: the model's training versions (serving-env.yml)
az ml environment create --file serving-environment.yml \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

# --all-traffic sends 100 % of the endpoint's traffic to this deployment
az ml online-deployment create --file blue-deployment.yml --all-traffic \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"
# --8<-- [end:deployment]

# --8<-- [start:use]
az ml online-endpoint invoke --name "$ENDPOINT" --request-file sample-request.json \
  --deployment-name blue --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml online-endpoint show --name "$ENDPOINT" --query scoring_uri --output tsv \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"

az ml online-deployment get-logs --name blue --endpoint-name "$ENDPOINT" --lines 50 \
  --resource-group "$GROUP" --workspace-name "$WORKSPACE"
# --8<-- [end:use]
