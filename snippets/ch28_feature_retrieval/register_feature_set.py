"""Register an entity and a feature set in the feature store, with offline materialization."""

from azure.ai.ml import MLClient
from azure.ai.ml.entities import (
    DataColumn,
    DataColumnType,
    FeatureSet,
    FeatureSetSpecification,
    FeatureStoreEntity,
    MaterializationComputeResource,
    MaterializationSettings,
    RecurrenceTrigger,
)
from azure.identity import DefaultAzureCredential

ml_client = MLClient.from_config(credential=DefaultAzureCredential())

# --8<-- [start:client]
# Entities and feature sets live in the feature store, so talk to it as to a workspace
fs_client = MLClient(
    DefaultAzureCredential(),
    subscription_id=ml_client.subscription_id,
    resource_group_name=ml_client.resource_group_name,
    workspace_name="fs-dp100-notes",
)
# --8<-- [end:client]

# --8<-- [start:entity]
account = FeatureStoreEntity(
    name="account",
    version="1",
    index_columns=[DataColumn(name="accountID", type=DataColumnType.STRING)],
    description="A card account, keyed by accountID.",
)
fs_client.feature_store_entities.begin_create_or_update(account).result()
# --8<-- [end:entity]

# --8<-- [start:feature_set]
transactions = FeatureSet(
    name="transactions",
    version="1",
    entities=["azureml:account:1"],  # must already exist in the feature store
    # the folder that holds FeatureSetSpec.yaml
    specification=FeatureSetSpecification(path="featuresets/transactions/spec"),
    materialization_settings=MaterializationSettings(
        offline_enabled=True,  # write feature values to the offline store for training
        schedule=RecurrenceTrigger(frequency="day", interval=1),  # and keep them fresh every day
        resource=MaterializationComputeResource(instance_type="standard_e8s_v3"),
        spark_configuration={
            "spark.driver.cores": "4", "spark.driver.memory": "36g",
            "spark.executor.cores": "4", "spark.executor.memory": "36g",
            "spark.executor.instances": "2",
        },
    ),
)
registered = fs_client.feature_sets.begin_create_or_update(transactions).result()
for feature in fs_client.feature_sets.list_features(registered.name, registered.version):
    print(f"{registered.name}:{registered.version}:{feature.name}")
# --8<-- [end:feature_set]
