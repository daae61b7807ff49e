"""Chapter 7: datastores, data assets, MLTable and a job that reads a data asset."""

import re
import shutil
from pathlib import Path

import mltable
import pytest
from azure.ai.ml import load_data, load_datastore
from azure.ai.ml.constants import AssetTypes
from azure.ai.ml.entities import (
    AccountKeyConfiguration,
    AzureBlobDatastore,
    AzureDataLakeGen2Datastore,
    NoneCredentialConfiguration,
    SasTokenConfiguration,
    ServicePrincipalConfiguration,
)
from azure.core.exceptions import ResourceNotFoundError

SNIPPETS = Path(__file__).resolve().parents[2] / "snippets" / "ch07_data"


# --- datastores -------------------------------------------------------------------
def test_identity_datastore_stores_no_credentials(workspace, run_snippet):
    run_snippet("ch07_data/datastore_identity.py")

    (datastore,) = workspace.created("datastores")
    assert isinstance(datastore, AzureBlobDatastore)
    assert (datastore.account_name, datastore.container_name) == ("mytestblobstore", "data-container")
    # Without credentials the SDK fills in a "none" configuration: no key, no token.
    assert type(datastore.credentials) is NoneCredentialConfiguration
    stored = workspace.get("datastores", "blob_identity_example")
    assert type(stored.credentials) is NoneCredentialConfiguration


def test_yaml_datastore_is_identity_based_like_the_python_one():
    datastore = load_datastore(SNIPPETS / "datastore_identity.yml")

    assert isinstance(datastore, AzureBlobDatastore)
    assert datastore.name == "blob_identity_example"
    assert (datastore.account_name, datastore.container_name) == ("mytestblobstore", "data-container")
    assert type(datastore.credentials) is NoneCredentialConfiguration


def test_cli_script_creates_the_datastore_from_its_yaml():
    script = (SNIPPETS / "create_datastore.sh").read_text()

    assert re.findall(r"az ml datastore create --file (\S+)", script) == ["datastore_identity.yml"]
    assert "--name blob_identity_example" in script


def test_account_key_comes_from_the_environment(workspace, run_snippet, monkeypatch):
    monkeypatch.setenv("STORAGE_ACCOUNT_KEY", "dummy-key-for-tests")
    run_snippet("ch07_data/datastore_account_key.py")

    (datastore,) = workspace.created("datastores")
    assert (datastore.name, datastore.account_name) == ("blob_example", "mytestblobstore")
    assert datastore.container_name == "data-container"
    assert isinstance(datastore.credentials, AccountKeyConfiguration)
    assert datastore.credentials.account_key == "dummy-key-for-tests"
    # Azure keeps the key (in the workspace's key vault): a read shows no secret, unless it asks for them
    assert workspace.get("datastores", "blob_example").credentials.account_key is None
    with_secrets = workspace.get("datastores", "blob_example", include_secrets=True)
    assert with_secrets.credentials.account_key == "dummy-key-for-tests"


def test_sas_token_comes_from_the_environment(workspace, run_snippet, monkeypatch):
    monkeypatch.setenv("STORAGE_SAS_TOKEN", "dummy-sas-for-tests")
    run_snippet("ch07_data/datastore_sas_token.py")

    (datastore,) = workspace.created("datastores")
    assert (datastore.name, datastore.container_name) == ("blob_sas_example", "data-container")
    assert isinstance(datastore.credentials, SasTokenConfiguration)
    assert datastore.credentials.sas_token == "dummy-sas-for-tests"
    assert workspace.get("datastores", "blob_sas_example").credentials.sas_token is None
    with_secrets = workspace.get("datastores", "blob_sas_example", include_secrets=True)
    assert with_secrets.credentials.sas_token == "dummy-sas-for-tests"


def test_account_key_snippet_fails_without_the_variable(workspace, run_snippet, monkeypatch):
    monkeypatch.delenv("STORAGE_ACCOUNT_KEY", raising=False)
    with pytest.raises(KeyError, match="STORAGE_ACCOUNT_KEY"):
        run_snippet("ch07_data/datastore_account_key.py")
    assert workspace.created("datastores") == []


def test_adls_gen2_identity_then_service_principal(workspace, run_snippet, monkeypatch):
    monkeypatch.setenv("ADLS_TENANT_ID", "00000000-0000-0000-0000-000000000000")
    monkeypatch.setenv("ADLS_CLIENT_ID", "11111111-1111-1111-1111-111111111111")
    monkeypatch.setenv("ADLS_CLIENT_SECRET", "dummy-secret-for-tests")
    run_snippet("ch07_data/datastore_adls_gen2.py")

    identity, service_principal = workspace.created("datastores")
    for datastore in (identity, service_principal):
        assert isinstance(datastore, AzureDataLakeGen2Datastore)
        assert (datastore.account_name, datastore.filesystem) == ("mytestdatalake", "raw-data")
    assert type(identity.credentials) is NoneCredentialConfiguration
    assert isinstance(service_principal.credentials, ServicePrincipalConfiguration)
    assert service_principal.credentials.client_secret == "dummy-secret-for-tests"
    assert service_principal.credentials.tenant_id == "00000000-0000-0000-0000-000000000000"
    # a read returns the service principal's ids, not its secret
    stored = workspace.get("datastores", "adls_gen2_sp_example")
    assert (stored.credentials.client_id, stored.credentials.client_secret) == (
        "11111111-1111-1111-1111-111111111111", None)
    assert type(workspace.get("datastores", "adls_gen2_example").credentials) is NoneCredentialConfiguration


# --- data assets ------------------------------------------------------------------
@pytest.mark.parametrize(
    ("snippet", "name", "kind", "path"),
    [
        (
            "data_asset_uri_file.py",
            "diabetes-data",
            AssetTypes.URI_FILE,
            "azureml://datastores/workspaceblobstore/paths/diabetes/diabetes.csv",
        ),
        (
            "data_asset_uri_folder.py",
            "diabetes-folder",
            AssetTypes.URI_FOLDER,
            "abfss://raw-data@mytestdatalake.dfs.core.windows.net/diabetes/",
        ),
    ],
)
def test_data_asset_is_registered(workspace, run_snippet, snippet, name, kind, path):
    run_snippet(f"ch07_data/{snippet}")

    (asset,) = workspace.created("data")
    assert (asset.name, asset.version, asset.type) == (name, "1", kind)
    assert asset.path == path
    assert asset.description
    stored = workspace.get("data", name, version="1")
    assert (stored.type, stored.path, stored.description) == (kind, path, asset.description)


def test_mltable_asset_uploads_the_local_folder_with_its_mltable_file(workspace, run_snippet):
    run_snippet("ch07_data/data_asset_mltable.py")

    (asset,) = workspace.created("data")
    assert (asset.name, asset.version, asset.type) == ("sales-table", "1", AssetTypes.MLTABLE)
    # The SDK uploads the local folder to the default datastore; the asset points at the uploaded copy.
    stored = workspace.get("data", "sales-table", version="1")
    default = workspace.reader.datastores.get_default()
    assert stored.type == AssetTypes.MLTABLE
    assert stored.path.startswith(f"azureml://datastores/{default.name}/paths/LocalUpload/")
    folder = stored.path.split("/paths/", 1)[1]
    assert folder.endswith("/sales-table")
    uploaded = workspace.azure.blobs.blobs[f"{default.container_name}/{folder}/MLTable"]
    assert uploaded == (SNIPPETS / "sales-table" / "MLTable").read_bytes()


def test_yaml_data_asset_loads_with_the_sdk():
    asset = load_data(SNIPPETS / "data_asset.yml")

    assert (asset.name, asset.version, asset.type) == ("diabetes-data", "1", AssetTypes.URI_FILE)
    assert asset.path == "azureml://datastores/workspaceblobstore/paths/diabetes/diabetes.csv"


def test_cli_script_names_the_data_asset_yaml():
    script = SNIPPETS / "create_data_asset.sh"
    files = re.findall(r"--file (\S+)", script.read_text())
    assert files == ["data_asset.yml"]
    assert load_data(SNIPPETS / files[0]).name == "diabetes-data"


# --- reading data (runs for real) -------------------------------------------------
def test_read_data_script_reads_a_real_csv(run_snippet, tmp_path, capsys):
    csv = tmp_path / "diabetes.csv"
    csv.write_text("Pregnancies,Glucose,Diabetic\n1,85,0\n8,183,1\n0,137,1\n")

    result = run_snippet("ch07_data/read_data.py", "--input_data", str(csv))

    assert result["df"].shape == (3, 3)
    assert result["df"]["Glucose"].sum() == 85 + 183 + 137
    assert capsys.readouterr().out == "Read 3 rows and 3 columns: Pregnancies, Glucose, Diabetic\n"


def test_mltable_file_reads_every_txt_file_as_one_table(tmp_path):
    folder = tmp_path / "sales-table"
    shutil.copytree(SNIPPETS / "sales-table", folder)
    (folder / "monday.txt").write_text("region,units\nnorth,3\nsouth,5\n")
    (folder / "tuesday.txt").write_text("region,units\neast,7\n")
    (folder / "notes.csv").write_text("region,units\nignored,100\n")  # not matched by ./*.txt

    df = mltable.load(str(folder)).to_pandas_dataframe()

    assert list(df.columns) == ["region", "units"]
    assert sorted(df["region"]) == ["east", "north", "south"]
    assert df["units"].sum() == 15


def test_mltable_options_must_be_nested_under_read_delimited(tmp_path):
    folder = tmp_path / "sales-table"
    folder.mkdir()
    (folder / "monday.txt").write_text("region,units\nnorth,3\n")
    good = (SNIPPETS / "sales-table" / "MLTable").read_text()
    # Move the options up to the level of "read_delimited", as a careless copy might.
    bad = good.replace("      delimiter", "    delimiter").replace("      encoding", "    encoding")
    bad = bad.replace("      header", "    header")
    assert bad != good
    (folder / "MLTable").write_text(bad)

    with pytest.raises(Exception, match="does not adhere to the AzureML MLTable schema"):
        mltable.load(str(folder)).to_pandas_dataframe()


# --- a data asset as a job input --------------------------------------------------
def test_job_reads_the_data_asset_as_a_uri_file_input(workspace, run_snippet, capsys):
    run_snippet("ch07_data/data_asset_uri_file.py")  # the asset this chapter registers first
    run_snippet("ch08_compute_targets/compute_cluster.py")  # the cluster the book's jobs run on

    run_snippet("ch07_data/job_with_data_input.py")

    (call,) = workspace.sent("jobs", "create_or_update")
    job = call.args[0]
    data_input = job.inputs["input_data"]
    assert data_input.type == AssetTypes.URI_FILE
    assert data_input.path.endswith("/data/diabetes-data/versions/1")  # the SDK sends the asset version's id
    assert job.command == "python read_data.py --input_data ${{inputs.input_data}}"
    assert job.compute.endswith("/computes/cpu-cluster")  # the SDK sends the cluster's id, which Azure checks
    assert job.environment == "azureml:AzureML-sklearn-1.5@latest"  # the SDK names it as a workspace asset
    stored = workspace.all("jobs")
    assert len(stored) == 1
    assert capsys.readouterr().out == f"Submitted job {stored[0].name}\n"
    # Azure keeps the input as the registered asset's version, which points at the CSV on the datastore
    stored_input = stored[0].inputs["input_data"]
    assert (stored_input.type, stored_input.path) == (AssetTypes.URI_FILE, data_input.path)
    assert workspace.get("data", "diabetes-data", version="1").path.endswith("/paths/diabetes/diabetes.csv")


def test_job_input_must_name_a_registered_asset(workspace, run_snippet):
    run_snippet("ch08_compute_targets/compute_cluster.py")

    with pytest.raises(ResourceNotFoundError, match="data asset 'diabetes-data' version '1' not found"):
        run_snippet("ch07_data/job_with_data_input.py")
