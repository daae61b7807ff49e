"""Chapter 5 fixtures: a workspace seeded with its four built-in datastores."""

import pytest
from azure.ai.ml.entities import AzureBlobDatastore, AzureFileDatastore

from tests.fake_workspace import FakeWorkspace

ACCOUNT = "stmlwdp100labs"


@pytest.fixture
def builtin_datastores(workspace) -> FakeWorkspace:
    """Add the datastores a new workspace starts with."""
    workspace.add("datastores", AzureBlobDatastore(
        name="workspaceartifactstore", account_name=ACCOUNT, container_name="azureml"))
    workspace.add("datastores", AzureFileDatastore(
        name="workspaceworkingdirectory", account_name=ACCOUNT, file_share_name="code-391ff5ac"))
    workspace.add("datastores", AzureBlobDatastore(
        name="workspaceblobstore", account_name=ACCOUNT, container_name="azureml-blobstore-391ff5ac"))
    workspace.add("datastores", AzureFileDatastore(
        name="workspacefilestore", account_name=ACCOUNT, file_share_name="azureml-filestore-391ff5ac"))

    return workspace
