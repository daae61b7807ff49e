"""An online deployment's data collector, as the fake runs it: the collector the scoring script's
``azureml.ai.monitoring.Collector`` sends to, writing JSON Lines files into the workspace's blob store.

What Azure does (Learn, "Collect production data from models deployed for real-time inferencing"):
a deployment's ``data_collector`` names collections (``model_inputs``, ``model_outputs``, ...); the
scoring script logs pandas DataFrames with ``Collector(name=...)``; each logged call becomes one line
of ``{endpoint}/{deployment}/{collection}/{yyyy}/{MM}/{dd}/{HH}/{instance_id}.jsonl`` under the
collection's data path (by default ``azureml://datastores/workspaceblobstore/paths/modelDataCollector``),
a JSON object with ``specversion``, ``id``, ``source`` (the deployment's id), ``type``
(``azureml.inference.<collection>``), ``time``, ``data`` (the rows), ``correlationid`` and
``xrequestid``, ``modelversion``, ``collectdatatype`` and ``agent`` ("Store collected data in blob
storage"). The data collection mode of a collection is the REST enum ``Enabled`` / ``Disabled``
(azure-rest-api-specs, machinelearningservices ``DataCollectionMode``): Azure answers it so however
the SDK spelled it.

How the collector meets the script (azureml-ai-monitoring 1.0.0, ``config/config.py`` and
``worker/sender.py``): the package reads the collections from the JSON file ``AZUREML_MDC_CONFIG_PATH``
names and posts each payload to ``http://AZUREML_MDC_HOST:AZUREML_MDC_PORT/modeldata/log``, its headers
carrying the payload's id (``trace-id``), ``ce-type``, ``ce-time``, ``ce-x-request-id`` (the
correlation id), ``ce-collect-data-type`` and ``ce-agent``. The fake's collector is that endpoint: a
small HTTP server on 127.0.0.1 for each started deployment that collects anything.
"""

from __future__ import annotations

import json
import threading
import uuid
import weakref
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler

from tests.fake_azure import loopback
from tests.fake_azure.arm import ResourceStore
from tests.fake_azure.blob import BlobStore
from tests.fake_azure.locations import blob_key

DEFAULT_PATH = "azureml://datastores/workspaceblobstore/paths/modelDataCollector"
MODES = {"enabled": "Enabled", "disabled": "Disabled"}


def accepted(body: dict) -> None:
    """What Azure answers for a deployment's collections: the mode as the REST enum spells it."""
    collector = (body.get("properties") or {}).get("dataCollector") or {}
    for collection in (collector.get("collections") or {}).values():
        mode = str(collection.get("dataCollectionMode") or "")
        collection["dataCollectionMode"] = MODES.get(mode.lower(), mode)


def enabled_collections(deployment: dict) -> dict[str, dict]:
    collector = deployment["properties"].get("dataCollector") or {}
    return {name: collection for name, collection in (collector.get("collections") or {}).items()
            if str(collection.get("dataCollectionMode")).lower() == "enabled"}


def start(server, deployment: dict, store: ResourceStore, blobs: BlobStore) -> dict[str, str]:
    """Start the collector of ``deployment`` (for as long as ``server`` lives); the environment
    variables its scoring script then finds (none when the deployment collects nothing)."""
    collections = enabled_collections(deployment)
    if not collections:
        return {}
    workspace = deployment["id"].split("/onlineEndpoints/", 1)[0]
    folders = {name.lower(): _folder(name, collection, deployment, workspace, store)
               for name, collection in collections.items()}
    sink = Sink(deployment["id"], folders, blobs)
    httpd = loopback.started(sink.handler())
    weakref.finalize(server, loopback.stopped, httpd)
    config = server.folder / "mdc-config.json"
    config.write_text(json.dumps({"runMode": "cloud", "collections": {
        name: {"enabled": True, "sampleRatePercentage": round(100 * (collection.get("samplingRate") or 1.0))}
        for name, collection in collections.items()}}))
    return {"AZUREML_MDC_CONFIG_PATH": str(config), "AZUREML_MDC_HOST": "127.0.0.1",
            "AZUREML_MDC_PORT": str(httpd.server_address[1])}


def _folder(name: str, collection: dict, deployment: dict, workspace: str, store: ResourceStore) -> str:
    """``container/path`` the collection's files go to: its data asset's path, or the default one."""
    data = store.get(collection["dataId"]) if collection.get("dataId") else None
    if data is not None:
        uri = data["properties"]["dataUri"]
    else:
        endpoint = deployment["id"].split("/onlineEndpoints/", 1)[1].split("/", 1)[0]
        uri = f"{DEFAULT_PATH}/{endpoint}/{deployment['name']}/{name}"
    return blob_key(uri, workspace, store).rstrip("/")


class Sink:
    """Appends each payload the scoring script's collectors send to its collection's JSON Lines file."""

    def __init__(self, source: str, folders: dict[str, str], blobs: BlobStore):
        self.source, self.folders, self.blobs = source, folders, blobs
        self.instance = str(uuid.uuid4())  # one instance of the deployment
        self.lock = threading.Lock()

    def handler(self):
        sink = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # noqa: N802 (the http.server protocol)
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                status = sink.collect(self.path, self.headers, body)
                self.send_response(status)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args):
                pass

        return Handler

    def collect(self, path: str, headers, body: bytes) -> int:
        kind = headers.get("ce-type", "")
        collection = kind.removeprefix("azureml.inference.").lower()
        if path != "/modeldata/log" or collection not in self.folders:
            return 404
        moment = datetime.fromtimestamp(int(headers.get("ce-time") or 0), UTC)
        correlation = headers.get("ce-x-request-id")
        line = {"specversion": "1.0", "id": headers.get("trace-id"), "source": self.source, "type": kind,
                "datacontenttype": "application/json", "time": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
                "data": json.loads(body), "correlationid": correlation, "xrequestid": correlation,
                "modelversion": headers.get("ce-model-version") or "default",
                "collectdatatype": headers.get("ce-collect-data-type"), "agent": headers.get("ce-agent")}
        key = f"{self.folders[collection]}/{moment:%Y/%m/%d/%H}/{self.instance}.jsonl"
        with self.lock:
            self.blobs.blobs[key] = self.blobs.blobs.get(key, b"") + json.dumps(line).encode() + b"\n"
        return 200
