"""Check that every feature a feature retrieval specification lists exists in its feature store.

Run it on the spec folder before training, or on a model folder before deploying:
python check_retrieval_spec.py feature_retrieval_spec
"""

import re
import sys
from pathlib import Path

import yaml
from azure.ai.ml import MLClient
from azure.core.exceptions import ResourceNotFoundError
from azure.identity import DefaultAzureCredential

# --8<-- [start:read]
# The file name is fixed, and it sits at the root of the folder (spec folder or model folder)
folder = Path(sys.argv[1] if len(sys.argv) > 1 else "feature_retrieval_spec")
spec = yaml.safe_load((folder / "feature_retrieval_spec.yaml").read_text())
# --8<-- [end:read]

# --8<-- [start:resolve]
STORE_URI = re.compile(
    r"^azureml://subscriptions/(?P<subscription>[^/]+)/resourcegroups/(?P<group>[^/]+)"
    r"/workspaces/(?P<name>[^/]+)$",
    re.IGNORECASE,
)
problems = []
for store in spec["feature_stores"]:
    where = STORE_URI.match(store["uri"])
    fs_client = MLClient(DefaultAzureCredential(), where["subscription"], where["group"], where["name"])
    found = fs_client.feature_stores.get(where["name"])  # None if that workspace is no feature store
    if found is None or found.location != store["location"]:
        problems.append(f"{where['name']} isn't a feature store in {store['location']}")
    for feature in store["features"]:
        feature_set, version = feature["feature_set"].split(":")  # <feature set>:<version>
        uri = f"{feature_set}:{version}:{feature['feature_name']}"  # how the featurestore SDK names it
        try:
            fs_client.feature_sets.get_feature(
                feature_set, version, feature_name=feature["feature_name"]
            )
            print(f"found {uri} in {where['name']}")
        except ResourceNotFoundError:
            problems.append(f"{uri} not found in {where['name']}")
if problems:
    sys.exit("\n".join(problems))
# --8<-- [end:resolve]
