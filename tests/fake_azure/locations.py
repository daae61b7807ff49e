"""Where in the workspace's storage a URI that Azure is handed points: ``container/path`` in the blob store.

Three forms name stored files: a blob URL (``https://<account>.blob.core.windows.net/<container>/<path>``),
a path on a datastore (``azureml://datastores/<name>/paths/<path>``, or the long form
``azureml://subscriptions/.../workspaces/<ws>/datastores/<name>/paths/<path>`` the SDK sends), and a
path in a job's output (``azureml://jobs/<job>/outputs/<output>/paths/<path>``). A job's
``artifacts`` are its run's folder in the artifact store, ``ExperimentRun/dcid.<job>`` on
``workspaceartifactstore`` (where the runner keeps what the job's MLflow run logged); its other
outputs are where the job says they went (Learn, "Access data in a job": output paths;
"Register models from a job's outputs": ``azureml://jobs/<job>/outputs/artifacts/paths/<path>``).
"""

from __future__ import annotations

import re

from tests.fake_azure.arm import ResourceStore

DATASTORE_URI = re.compile(r"^azureml://(?:subscriptions/[^/]+/resourcegroups/[^/]+/workspaces/[^/]+/)?"
                           r"datastores/(?P<datastore>[^/]+)/paths/(?P<path>.+?)/?$", re.IGNORECASE)
JOB_OUTPUT = re.compile(r"^azureml://jobs/(?P<job>[^/]+)/outputs/(?P<output>[^/]+)/paths/(?P<path>.*?)/?$")
BLOB_URL = re.compile(r"^https://[^/]+\.blob\.core\.windows\.net/(?P<key>.+?)/?$")
RUN_ARTIFACTS = "azureml://datastores/workspaceartifactstore/paths/ExperimentRun/dcid.{job}"


def blob_key(uri: str, workspace_path: str, store: ResourceStore) -> str:
    """``container/path`` of what ``uri`` names in the workspace at ``workspace_path``; "" if it names
    nothing the workspace stores."""
    if match := BLOB_URL.match(uri):
        return match["key"]
    if match := JOB_OUTPUT.match(uri):
        if match["output"] == "artifacts":
            folder = RUN_ARTIFACTS.format(job=match["job"])
        else:
            job = store.get(f"{workspace_path}/jobs/{match['job']}") or {"properties": {}}
            folder = ((job["properties"].get("outputs") or {}).get(match["output"]) or {}).get("uri", "")
        return blob_key(f"{folder.rstrip('/')}/{match['path']}", workspace_path, store)
    match = DATASTORE_URI.match(uri)
    if not match:
        return ""
    datastore = store.get(f"{workspace_path}/datastores/{match['datastore']}") or {"properties": {}}
    return f"{datastore['properties'].get('containerName')}/{match['path']}"
