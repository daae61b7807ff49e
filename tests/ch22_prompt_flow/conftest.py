"""Keep promptflow offline and out of the home folder while chapter 22's flows run."""

import json

import pytest


@pytest.fixture(autouse=True)
def promptflow_home(tmp_path_factory, monkeypatch):
    """A private PF_HOME_DIRECTORY with telemetry, tracing and the version check turned off.

    Only promptflow-core is installed, which reads none of these files; they are here so
    that the tests stay offline and quiet if promptflow-devkit is ever installed too.
    """
    home = tmp_path_factory.mktemp("promptflow-home")
    (home / "pf.yaml").write_text("telemetry:\n  enabled: false\ntrace:\n  destination: none\n")
    (home / "pf_version_check.json").write_text(json.dumps({"last_check_time": "2999-01-01T00:00:00.000000"}))
    monkeypatch.setenv("PF_HOME_DIRECTORY", str(home))
    monkeypatch.setenv("PF_DISABLE_TRACING", "true")
    return home
