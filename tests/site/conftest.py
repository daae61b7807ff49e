"""The reader of the site's stories (``tests/site/stories.py``), in the test's fake workspace."""

import pytest

from tests.conftest import fresh_tracking_uri
from tests.site.stories import READER_ENVIRONMENT, Reader


@pytest.fixture
def reader(workspace, run_snippet, tmp_path, monkeypatch) -> Reader:
    """A reader with the environment the scripts read set, and the workspace's MLflow tracking
    server the tests' own (where the jobs' runs and their artifacts go)."""
    workspace.set_tracking_uri(fresh_tracking_uri(tmp_path))
    for variable, value in READER_ENVIRONMENT.items():
        monkeypatch.setenv(variable, value)
    return Reader(workspace, run_snippet, tmp_path)
