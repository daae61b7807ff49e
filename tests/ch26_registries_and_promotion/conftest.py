"""Chapter 26 fixtures: the dev workspace with what the chapter shares, and workspaces to promote to."""

from __future__ import annotations

import mlflow
import pytest
from azure.ai.ml import MLClient
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import Model
from azure.identity import DefaultAzureCredential
from sklearn.datasets import make_classification
from sklearn.linear_model import LogisticRegression

from tests.fake_azure.workspace import SUBSCRIPTION, FakeWorkspace

REGISTRY = "reg-contoso-ml"
TEST = ("rg-mlops-test", "mlw-diabetes-test")
PROD = ("rg-mlops-prod", "mlw-diabetes-prod")


def client_of(group: str, name: str) -> MLClient:
    return MLClient(DefaultAzureCredential(), SUBSCRIPTION, group, name)


def registry_client() -> MLClient:
    return MLClient(DefaultAzureCredential(), registry_name=REGISTRY)


def target(monkeypatch, group: str, name: str) -> None:
    """What a release stage sets for the workspace it deploys to (the scripts read these)."""
    monkeypatch.setenv("AZURE_SUBSCRIPTION_ID", SUBSCRIPTION)
    monkeypatch.setenv("AZURE_RESOURCE_GROUP", group)
    monkeypatch.setenv("AZURE_ML_WORKSPACE", name)


@pytest.fixture
def dev(workspace, run_snippet, tmp_path, capsys) -> FakeWorkspace:
    """The dev workspace with chapter 9's environment and an MLflow model ``diabetes-classifier:1`` (the
    one chapter 16 registers, saved here from a small logistic regression instead of a training job),
    and the registry of this chapter."""
    run_snippet("ch09_environments/environment_from_conda.py")
    features, labels = make_classification(n_samples=40, n_features=4, random_state=0)
    mlflow.sklearn.save_model(LogisticRegression().fit(features, labels), tmp_path / "model")
    workspace.reader.models.create_or_update(Model(
        name="diabetes-classifier", version="1", type=AssetTypes.MLFLOW_MODEL, path=tmp_path / "model",
        tags={"algorithm": "logistic-regression"}))
    run_snippet("ch26_registries_and_promotion/create_registry.py")
    capsys.readouterr()
    return workspace


@pytest.fixture
def shared(dev, run_snippet, capsys) -> FakeWorkspace:
    """The dev workspace once the chapter has shared its model and environment and made its component."""
    run_snippet("ch26_registries_and_promotion/share_to_registry.py")
    run_snippet("ch26_registries_and_promotion/create_in_registry.py")
    capsys.readouterr()
    return dev
