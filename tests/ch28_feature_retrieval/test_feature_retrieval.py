"""Chapter 28: a feature store, its entity and feature set through the fake; the retrieval spec resolved
against what the fake holds; the point-in-time join, training and packaging run for real."""

import re
from pathlib import Path

import mlflow
import pandas as pd
import pytest
import yaml
from azure.ai.ml import load_feature_set, load_feature_store_entity
from azure.ai.ml.entities import FeatureSet, FeatureSetSpecification
from azure.ai.ml.entities._feature_set.featureset_spec_metadata import FeaturesetSpecMetadata
from azure.core.exceptions import HttpResponseError, ResourceNotFoundError

from tests.conftest import SNIPPETS
from tests.fake_azure.locations import blob_key
from tests.fake_azure.workspace import GROUP

FOLDER = SNIPPETS / "ch28_feature_retrieval"
SPEC_FOLDER = FOLDER / "featuresets" / "transactions" / "spec"
RETRIEVAL_SPEC = FOLDER / "feature_retrieval_spec" / "feature_retrieval_spec.yaml"
STORE = "fs-dp100-notes"
# learn.microsoft.com/azure/machine-learning/reference-yaml-feature-retrieval-spec: the store's URI
STORE_URI = re.compile(r"^azureml://subscriptions/[^/]+/resourcegroups/(?P<group>[^/]+)/workspaces/(?P<name>[^/]+)$",
                       re.IGNORECASE)


def feature_set_spec() -> FeaturesetSpecMetadata:
    """FeatureSetSpec.yaml as the SDK reads it when it registers the feature set (its own loader)."""
    return FeaturesetSpecMetadata.load(SPEC_FOLDER / "FeatureSetSpec.yaml")


def any_subscription(text: str) -> str:
    return re.sub(r"/subscriptions/[^/]+/", "/subscriptions/*/", text)


def roles_of(workspace, principal_id: str) -> set[tuple[str, str]]:
    """(scope, role definition GUID) of each role assignment ``principal_id`` holds, subscription left out."""
    assignments = [doc["properties"] for key, doc in workspace.azure.arm.resources.items()
                   if "/providers/microsoft.authorization/roleassignments/" in key]
    return {(any_subscription(a["scope"]).lower(), a["roleDefinitionId"].rsplit("/")[-1])
            for a in assignments if a["principalId"] == principal_id}


def retrieval_spec(path: Path = RETRIEVAL_SPEC) -> dict:
    return yaml.safe_load(path.read_text())


def scratch(tmp_path) -> Path:
    """The copy of the chapter's folder the snippets ran in: registering a feature set writes an .amlignore
    into its specification folder, which must not land in the repository."""
    return tmp_path / FOLDER.name


def feature_store_client(workspace):
    """A client of the tests' own, bound to the feature store as the snippets bind theirs."""
    reader = workspace.reader
    return type(reader)(reader._credential, reader.subscription_id, reader.resource_group_name, STORE)


@pytest.fixture
def feature_store(workspace, run_snippet, capsys):
    run_snippet("ch28_feature_retrieval/create_feature_store.py")
    return capsys.readouterr().out


@pytest.fixture
def feature_set(feature_store, run_snippet, capsys):
    run_snippet("ch28_feature_retrieval/register_feature_set.py")
    return capsys.readouterr().out


# --- the feature store ------------------------------------------------------------------------

def test_feature_store_is_a_workspace_of_kind_featurestore(workspace, feature_store):
    stored = workspace.azure.arm.get(workspace.azure.workspace_path(GROUP, STORE))
    assert stored["kind"] == "FeatureStore"
    assert [fs.name for fs in workspace.reader.feature_stores.list()] == [STORE]  # project workspaces aren't listed
    created = workspace.reader.feature_stores.get(STORE)
    # Left to the SDK's template, the offline store is a new container on the feature store's own storage account
    account = created.storage_account.rsplit("/", 1)[-1]
    assert re.search(f"/storageAccounts/{account}/blobServices/default/containers/[^/]+$", created.offline_store.target)
    assert created.offline_store.type == "azure_data_lake_gen2"
    # and materialization runs as a user-assigned identity that the feature store carries
    assert "/userAssignedIdentities/" in created.materialization_identity.resource_id
    identity = workspace.azure.arm.get(created.materialization_identity.resource_id)
    # which it may use: the template grants it AzureML Data Scientist on the feature store and Storage Blob
    # Data Contributor on the offline store and the feature store's storage (workspace_base.json's role IDs)
    assert roles_of(workspace, identity["properties"]["principalId"]) == {
        (any_subscription(created.id).lower(), "f6c7c914-8db3-469d-8ca1-694a8f32e121"),
        (any_subscription(created.offline_store.target).lower(), "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
        (any_subscription(created.storage_account).lower(), "ba92f5b4-2d11-453d-a403-e96b0029c9fe"),
    }
    # (the snippet's client asked in config.json's subscription, the tests' in theirs)
    assert any_subscription(feature_store).splitlines() == [
        any_subscription(f"{STORE}: offline store {created.offline_store.target}"),
        any_subscription(f"materialization identity {created.materialization_identity.resource_id}"),
    ]


# --- entity and feature set -------------------------------------------------------------------

def test_entity_and_feature_set_are_versioned_assets_of_the_feature_store(workspace, feature_set):
    fs_client = feature_store_client(workspace)
    spec = feature_set_spec()
    entity = fs_client.feature_store_entities.get("account", version="1")
    # the entity's key is the index column every feature set over accounts must use
    assert [(c.name, str(c.type)) for c in entity.index_columns] == [(c.name, c.type) for c in spec.index_columns]
    stored = fs_client.feature_sets.get("transactions", version="1")
    assert stored.entities == ["azureml:account:1"]
    # the spec folder was uploaded to the feature store's default datastore, workspaceblobstore
    assert "/workspaces/fs-dp100-notes/datastores/workspaceblobstore/paths/" in stored.specification.path
    uploaded = blob_key(stored.specification.path, workspace.azure.workspace_path(GROUP, STORE), workspace.azure.arm)
    spec_file = SPEC_FOLDER / "FeatureSetSpec.yaml"
    assert workspace.azure.blobs.blobs[f"{uploaded}/{spec_file.name}"] == spec_file.read_bytes()
    materialization = stored.materialization_settings
    assert materialization.offline_enabled and not materialization.online_enabled
    assert (materialization.schedule.frequency, materialization.schedule.interval) == ("day", 1)
    # Azure keeps the features the spec declares; the snippet lists them as <feature set>:<version>:<feature>
    listed = list(fs_client.feature_sets.list_features("transactions", "1"))
    assert [f.name for f in listed] == [f.name for f in spec.features]
    assert feature_set.splitlines() == [f"transactions:1:{f.name}" for f in spec.features]
    # nothing of the feature store leaked into the project workspace
    assert workspace.azure.arm.get(f"{workspace.azure.workspace_path(GROUP, 'mlw-dp100-labs')}/featuresets/"
                                   "transactions") is None


def test_yaml_forms_match_the_python_ones_and_are_accepted(workspace, feature_set, tmp_path):
    entity_yaml = load_feature_store_entity(scratch(tmp_path) / "account_entity.yml")
    set_yaml = load_feature_set(scratch(tmp_path) / "transactions_featureset.yml")
    (entity,) = workspace.created("featurestoreentities")
    (sent,) = workspace.created("featuresets")
    assert (entity_yaml.name, entity_yaml.version, entity_yaml.stage) == (entity.name, entity.version, entity.stage)
    assert [(c.name, c.type) for c in entity_yaml.index_columns] == [(c.name, c.type) for c in entity.index_columns]
    assert (set_yaml.name, set_yaml.version, set_yaml.entities) == (sent.name, sent.version, sent.entities)
    # the same folder: YAML paths are relative to the YAML file, Python's to the working directory
    assert set_yaml.specification.path == f"./{sent.specification.path}"
    in_yaml, in_python = set_yaml.materialization_settings, sent.materialization_settings
    assert in_yaml.offline_enabled == in_python.offline_enabled and not in_yaml.online_enabled
    assert in_yaml.resource.instance_type == in_python.resource.instance_type
    assert {k: str(v) for k, v in in_yaml.spark_configuration.items()} == in_python.spark_configuration
    assert (in_yaml.schedule.frequency, in_yaml.schedule.interval) == (in_python.schedule.frequency,
                                                                       in_python.schedule.interval)
    # what `az ml feature-set create --file` sends is accepted, as a new version
    fs_client = feature_store_client(workspace)
    fs_client.feature_store_entities.begin_create_or_update(entity_yaml).result()
    set_yaml.version = "2"
    stored = fs_client.feature_sets.begin_create_or_update(set_yaml).result()
    assert [f.name for f in fs_client.feature_sets.list_features(stored.name, "2")] == \
        [f.name for f in feature_set_spec().features]


def test_feature_set_spec_loads_through_the_sdk():
    spec = feature_set_spec()
    assert spec.source.type == "parquet" and spec.source.timestamp_column.name == "timestamp"
    assert [c.name for c in spec.index_columns] == ["accountID"]
    # Learn: set temporal_join_lookback longer than source_delay, or the join finds nothing
    delay = pd.Timedelta(days=spec.source.source_delay.days, hours=spec.source.source_delay.hours,
                         minutes=spec.source.source_delay.minutes)
    lookback = pd.Timedelta(days=spec.temporal_join_lookback.days, hours=spec.temporal_join_lookback.hours,
                            minutes=spec.temporal_join_lookback.minutes)
    assert lookback > delay


def test_a_feature_set_needs_its_entity_first(workspace, feature_store, tmp_path):
    spec_folder = scratch(tmp_path) / SPEC_FOLDER.relative_to(FOLDER)
    orphan = FeatureSet(name="transactions", version="1", entities=["azureml:customer:1"],
                        specification=FeatureSetSpecification(path=str(spec_folder)))
    with pytest.raises(ResourceNotFoundError, match="feature store entity 'customer' version '1' not found"):
        feature_store_client(workspace).feature_sets.begin_create_or_update(orphan).result()


def test_materialization_runs_on_a_size_serverless_spark_offers(workspace, feature_set, tmp_path):
    fs_client = feature_store_client(workspace)
    too_small = fs_client.feature_sets.get("transactions", version="1")
    too_small.version = "2"
    too_small.specification.path = str(scratch(tmp_path) / SPEC_FOLDER.relative_to(FOLDER))
    too_small.materialization_settings.resource.instance_type = "Standard_DS3_v2"
    with pytest.raises(HttpResponseError, match="Materialization instance type 'Standard_DS3_v2' isn't one"):
        fs_client.feature_sets.begin_create_or_update(too_small).result()
    assert [v.version for v in fs_client.feature_sets.list("transactions")] == ["1"]


def test_a_workspace_that_is_no_feature_store_is_not_one(workspace):
    assert workspace.reader.feature_stores.get("mlw-dp100-labs") is None  # the SDK reads the kind Azure answers


# --- the feature retrieval specification -------------------------------------------------------

def test_retrieval_spec_has_the_documented_shape(workspace):
    spec = retrieval_spec()
    assert spec["serialization_version"] == 2
    (store,) = spec["feature_stores"]
    where = STORE_URI.match(store["uri"])
    assert (where["group"], where["name"]) == (GROUP, STORE)
    assert set(store) == {"uri", "location", "workspace_id", "features"}
    for feature in store["features"]:
        assert set(feature) == {"feature_name", "feature_set"}
        assert re.fullmatch(r"[\w-]+:\d+", feature["feature_set"])  # <feature set>:<version>


def test_every_feature_in_the_spec_resolves_in_the_feature_store(workspace, feature_set, run_snippet, capsys):
    run_snippet("ch28_feature_retrieval/check_retrieval_spec.py", "feature_retrieval_spec")

    found = capsys.readouterr().out.splitlines()
    (store,) = retrieval_spec()["feature_stores"]
    fs_client = feature_store_client(workspace)
    # each line names a feature the fake's feature store holds, in that feature set version
    for line, feature in zip(found, store["features"], strict=True):
        name, version = feature["feature_set"].split(":")
        held = fs_client.feature_sets.get_feature(name, version, feature_name=feature["feature_name"])
        assert line == f"found {name}:{version}:{held.name} in {STORE}"
    assert fs_client.feature_stores.get(STORE).location == store["location"]


def test_a_spec_naming_what_the_store_lacks_fails(workspace, feature_set, run_snippet, tmp_path):
    spec = retrieval_spec()
    (store,) = spec["feature_stores"]
    store["location"] = "westeurope"  # the feature store is in eastus
    store["features"] += [{"feature_name": "transaction_30d_count", "feature_set": "transactions:1"},  # no such feature
                          {"feature_name": "accountAge", "feature_set": "accounts:1"}]  # no such feature set
    broken = tmp_path / "broken"
    broken.mkdir()
    (broken / "feature_retrieval_spec.yaml").write_text(yaml.safe_dump(spec))

    with pytest.raises(SystemExit) as refused:
        run_snippet("ch28_feature_retrieval/check_retrieval_spec.py", str(broken))
    assert str(refused.value).splitlines() == [f"{STORE} isn't a feature store in westeurope",
                                               f"transactions:1:transaction_30d_count not found in {STORE}",
                                               f"accounts:1:accountAge not found in {STORE}"]


# --- the point-in-time join, for real ----------------------------------------------------------

@pytest.fixture
def joined(run_snippet, capsys):
    ran = run_snippet("ch28_feature_retrieval/point_in_time_join.py")
    ran["printed"] = capsys.readouterr().out
    return ran


def test_point_in_time_join_uses_only_values_known_at_the_time(joined):
    spec = feature_set_spec()
    delay, lookback = joined["source_delay"], joined["lookback"]
    assert delay == pd.Timedelta(minutes=spec.source.source_delay.minutes)
    values, observed = joined["feature_values"], joined["point_in_time"]
    # brute force, observation by observation: the latest value in [t - lookback, t - delay]
    for _, row in observed.iterrows():
        window = values[(values["accountID"] == row["accountID"]) & (values["timestamp"] <= row["timestamp"] - delay)
                        & (values["timestamp"] >= row["timestamp"] - lookback)]
        if window.empty:
            assert pd.isna(row["feature_time"])
            continue
        latest = window.loc[window["timestamp"].idxmax()]
        assert row["feature_time"] == latest["timestamp"]
        assert row["transaction_7d_count"] == latest["transaction_7d_count"]
    assert observed["feature_time"].notna().all()  # with these data every observation finds a value


def test_naive_join_leaks_the_label(joined):
    naive, point_in_time = joined["naive"], joined["point_in_time"]
    assert (naive["feature_time"] > naive["timestamp"]).all()
    assert (point_in_time["feature_time"] <= point_in_time["timestamp"] - joined["source_delay"]).all()
    scores = dict(re.findall(r"^(\S+): .*AUC (\d\.\d\d)$", joined["printed"], re.MULTILINE))
    assert float(scores["naive"]) > 0.95  # looks perfect offline: it read the fraud that came after
    assert float(scores["point-in-time"]) < 0.75  # what the model can really know at review time


def test_join_writes_what_the_retrieval_component_writes(joined, tmp_path):
    output = tmp_path / "ch28_feature_retrieval" / "training_data"
    assert sorted(p.name for p in output.iterdir()) == ["data", "feature_retrieval_spec.yaml"]
    assert (output / "feature_retrieval_spec.yaml").read_text() == RETRIEVAL_SPEC.read_text()
    frame = pd.read_parquet(next((output / "data").glob("*.parquet")))
    features = [f["feature_name"] for f in retrieval_spec()["feature_stores"][0]["features"]]
    assert set(features) <= set(frame.columns)


# --- packaging and registering the model ---------------------------------------------------------

@pytest.fixture
def packaged(joined, run_snippet, tmp_path) -> Path:
    run_snippet("ch28_feature_retrieval/train.py")
    return tmp_path / "ch28_feature_retrieval" / "fraud-model"


def test_spec_sits_at_the_root_of_the_mlflow_model(packaged, joined):
    assert {"MLmodel", "feature_retrieval_spec.yaml"} <= {p.name for p in packaged.iterdir()}
    assert (packaged / "feature_retrieval_spec.yaml").read_text() == RETRIEVAL_SPEC.read_text()
    model = mlflow.pyfunc.load_model(str(packaged))
    features = [f["feature_name"] for f in retrieval_spec()["feature_stores"][0]["features"]]
    assert [c.name for c in model.metadata.get_input_schema().inputs] == features
    assert len(model.predict(joined["point_in_time"][features])) == len(joined["point_in_time"])


def test_registered_model_carries_the_spec_to_inference(workspace, feature_set, packaged, run_snippet, capsys,
                                                        tmp_path):
    run_snippet("ch28_feature_retrieval/register_model.py")
    assert capsys.readouterr().out.strip() == "Registered fraud-model version 1"

    stored = workspace.get("models", "fraud-model", version="1")
    assert stored.type == "mlflow_model" and "sklearn" in stored.flavors  # Azure read the MLmodel file
    # What a deployment or batch job gets: the model folder, with the spec at its root
    workspace.reader.models.download("fraud-model", "1", download_path=str(tmp_path / "downloaded"))
    folder = tmp_path / "downloaded" / "fraud-model" / "fraud-model"
    assert (folder / "feature_retrieval_spec.yaml").read_text() == RETRIEVAL_SPEC.read_text()
    run_snippet("ch28_feature_retrieval/check_retrieval_spec.py", str(folder))
    assert len(capsys.readouterr().out.splitlines()) == len(retrieval_spec()["feature_stores"][0]["features"])
