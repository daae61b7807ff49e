#!/usr/bin/env bash
# Create (or update) the cluster defined in compute.yml.
set -euo pipefail

# Store the defaults once so later az ml commands can omit them.
az configure --defaults group=rg-dp100-labs workspace=mlw-dp100-labs

az ml compute create --file compute.yml
az ml compute show --name cpu-cluster --output table
