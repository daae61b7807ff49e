#!/usr/bin/env bash
# Submit the AutoML job defined in YAML (needs the Azure CLI "ml" extension).
set -euo pipefail

az ml job create \
  --file automl_classification_job.yml \
  --resource-group rg-dp100-labs \
  --workspace-name mlw-dp100-labs \
  --stream
