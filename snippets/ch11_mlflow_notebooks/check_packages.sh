#!/usr/bin/env bash
# Show each MLflow package in the current environment; install the ones that are missing.
set -euo pipefail

for package in mlflow azureml-mlflow; do
  if ! pip show "$package"; then
    pip install "$package"
  fi
done
