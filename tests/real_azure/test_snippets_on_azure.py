"""A chosen set of snippets, run against a real workspace with the fake off (``make test-azure``).

Only snippets that cost nothing to run and leave nothing behind: reads, a cluster that scales
to zero (deleted), a data asset and an environment (archived: Azure keeps asset versions).
"""

import pytest
import requests
from azure.ai.ml import MLClient
from azure.identity import DefaultAzureCredential

pytestmark = pytest.mark.real_azure


def test_the_fake_is_off():
    assert requests.adapters.HTTPAdapter.send.__module__ == "requests.adapters"
    assert DefaultAzureCredential.get_token.__module__.startswith("azure.identity")
    assert MLClient.__init__.__module__.startswith("azure.ai.ml")


def test_list_datastores(run_on_azure, capsys):
    run_on_azure("ch05_workspace/list_datastores.py")
    # Azure creates these with every workspace; the default is the blob store.
    out = capsys.readouterr().out
    assert "workspaceblobstore" in out and "workspaceartifactstore" in out
    assert "Default datastore: workspaceblobstore" in out


def test_compute_cluster(run_on_azure, ml_client, clean_up, suffix):
    name = f"cpu-{suffix}"[:24]
    clean_up(lambda: ml_client.compute.begin_delete(name).result())
    run_on_azure("ch08_compute_targets/compute_cluster.py", {"cpu-cluster": name})
    cluster = ml_client.compute.get(name)
    assert (cluster.type, cluster.min_instances, cluster.provisioning_state) == ("amlcompute", 0, "Succeeded")


def test_data_asset(run_on_azure, ml_client, clean_up, suffix):
    name = f"diabetes-data-{suffix}"
    clean_up(lambda: ml_client.data.archive(name))
    run_on_azure("ch07_data/data_asset_uri_file.py", {"diabetes-data": name})
    asset = ml_client.data.get(name, version="1")
    assert asset.type == "uri_file" and asset.path.endswith("/paths/diabetes/diabetes.csv")


def test_environment_from_conda(run_on_azure, ml_client, clean_up, suffix):
    name = f"sklearn-mlflow-{suffix}"
    clean_up(lambda: ml_client.environments.archive(name))
    run_on_azure("ch09_environments/environment_from_conda.py", {"sklearn-mlflow": name})
    environment = ml_client.environments.get(name, label="latest")
    assert "python" in str(environment.conda_file["dependencies"])
