"""Chapter 5 fixtures: Azure as the chapter finds it, before it creates the workspace."""

import pytest

from tests.fake_azure.workspace import GROUP, NAME, FakeWorkspace


@pytest.fixture
def no_workspace_yet(workspace) -> FakeWorkspace:
    """The resource group exists (the chapter creates it first: `az group create` in create_workspace.sh,
    or the portal); the workspace does not, until a snippet of the chapter creates it."""
    workspace.azure.arm.delete(workspace.azure.workspace_path(GROUP, NAME))
    return workspace
