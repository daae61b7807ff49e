"""The azureml registry's RAI components, seeded into the fake as real CommandComponents."""

from pathlib import Path

import pytest
from azure.ai.ml import load_component

COMPONENTS = Path(__file__).parent / "components"


@pytest.fixture
def rai_components(workspace):
    """The six RAI components, as real CommandComponents with the registry's interfaces."""
    seeded = {}
    for path in sorted(COMPONENTS.glob("*.yml")):
        component = load_component(path)
        workspace.add("components", component)
        seeded[component.name] = component
    return seeded
