#!/usr/bin/env bash
# Install the Azure ML SDK v2 and the identity library it uses to sign in.
set -euo pipefail

pip install azure-ai-ml azure-identity
pip show azure-ai-ml
