#!/usr/bin/env bash
# Read the endpoint's metrics from Azure Monitor, and alert the team when they climb.
set -euo pipefail

GROUP="${GROUP:-rg-dp100-labs}"
WORKSPACE="${WORKSPACE:-mlw-dp100-labs}"
SUBSCRIPTION=$(az account show --query id --output tsv)
GROUP_ID="/subscriptions/$SUBSCRIPTION/resourceGroups/$GROUP"
WORKSPACE_ID="$GROUP_ID/providers/Microsoft.MachineLearningServices/workspaces/$WORKSPACE"
ENDPOINT_ID="$WORKSPACE_ID/onlineEndpoints/diabetes-endpoint"

# --8<-- [start:endpoint]
# Traffic and latency of the endpoint over the last day, hour by hour, per deployment
az monitor metrics list --resource "$ENDPOINT_ID" \
  --metrics RequestsPerMinute RequestLatency_P99 --aggregation Average Maximum \
  --interval 1h --offset 1d --dimension deployment --output table
# --8<-- [end:endpoint]

# --8<-- [start:deployment]
# What the blue deployment's instances use, over the last hour
az monitor metrics list --resource "$ENDPOINT_ID/deployments/blue" \
  --metrics CpuUtilizationPercentage CpuMemoryUtilizationPercentage DiskUtilization \
  --aggregation Maximum --interval 5m --offset 1h --dimension instanceId --output table
# --8<-- [end:deployment]

# --8<-- [start:alert]
# Who hears about it: an action group that emails the team
az monitor action-group create --name ml-team-alerts --resource-group "$GROUP" \
  --short-name mlteam --action email ml-team ml-team@contoso.com

# Alert when the P99 latency stays above half a second, or the instances run hot
az monitor metrics alert create --name diabetes-endpoint-latency \
  --resource-group "$GROUP" \
  --scopes "$ENDPOINT_ID" --condition "avg RequestLatency_P99 > 500" \
  --window-size 5m --evaluation-frequency 1m --severity 2 --action ml-team-alerts \
  --description "diabetes-endpoint answers slowly"
az monitor metrics alert create --name diabetes-blue-cpu --resource-group "$GROUP" \
  --scopes "$ENDPOINT_ID/deployments/blue" \
  --condition "max CpuUtilizationPercentage > 80" \
  --window-size 15m --evaluation-frequency 5m --severity 3 --action ml-team-alerts \
  --description "blue's instances are busy: scale out"
# --8<-- [end:alert]
