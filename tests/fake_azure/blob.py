"""Azure Blob Storage, in memory: what the SDK uploads (code, data, models) is kept by URL."""

from __future__ import annotations

import re
import uuid
from dataclasses import dataclass, field

from tests.fake_azure import http

ACCOUNT = "stmlwdp100labs"
ACCOUNT_KEY = "ZmFrZS1rZXk="  # the storage account's access key (base64, as Azure shows keys)
RANGE = re.compile(r"^bytes=(?P<start>\d+)-(?P<end>\d+)$")


@dataclass
class BlobStore:
    blobs: dict[str, bytes] = field(default_factory=dict)  # "container/path" -> content
    metadata: dict[str, dict] = field(default_factory=dict)

    def builtin_datastores(self, account: str) -> list[dict]:
        """The four datastores every new workspace has on its storage ``account`` (Learn: "Create
        datastores", built-in datastores), reached with the account's key."""
        suffix = "391ff5ac"  # Azure appends an id of the workspace; fixed here
        key = {"credentialsType": "AccountKey", "secrets": {"secretsType": "AccountKey", "key": ACCOUNT_KEY}}
        def blob(container, default=False):
            return {"datastoreType": "AzureBlob", "accountName": account, "containerName": container,
                    "endpoint": "core.windows.net", "protocol": "https", "isDefault": default, "credentials": key}
        def files(share):
            return {"datastoreType": "AzureFile", "accountName": account, "fileShareName": share,
                    "endpoint": "core.windows.net", "protocol": "https", "credentials": key}
        return [
            {"name": "workspaceblobstore", "properties": blob(f"azureml-blobstore-{suffix}", default=True)},
            {"name": "workspaceartifactstore", "properties": blob("azureml")},
            {"name": "workspacefilestore", "properties": files(f"azureml-filestore-{suffix}")},
            {"name": "workspaceworkingdirectory", "properties": files(f"code-{suffix}")},
        ]

    def pending_upload(self, asset_path: str) -> dict:
        """Where Azure tells the SDK to upload an asset version's files: a SAS to a temporary container
        named by the upload's id (the SDK uploads into the container its URL names, and records that
        URL, plus the asset's folder, as the asset's ``codeUri``)."""
        folder = str(uuid.uuid4())
        url = f"https://{ACCOUNT}.blob.core.windows.net/{folder}"
        return {
            "blobReferenceForConsumption": {
                "blobUri": url,
                "storageAccountArmId":
                    f"/subscriptions/*/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}",
                "credential": {"credentialType": "SAS", "sasUri": f"{url}?sv=2026-01-01&sig=fake"},
            },
            "pendingUploadId": folder,
            "pendingUploadType": "TemporaryBlobReference",
        }

    def handle(self, prepared, request):
        name = request.path.lstrip("/")
        if request.query.get("comp") == "list":
            return self._list(prepared, name, request.query.get("prefix", ""))
        if request.method == "PUT" and request.query.get("comp") == "metadata":
            self.metadata[name] = {k[10:]: v for k, v in request.headers.items() if k.lower().startswith("x-ms-meta-")}
            return http.response(prepared, 200)
        if request.method == "PUT":
            self.blobs[name] = request.body or b""
            self.metadata.setdefault(name, {})
            return http.response(prepared, 201)
        if request.method in ("GET", "HEAD"):
            if name not in self.blobs:
                return http.response(prepared, 404, headers={"x-ms-error-code": "BlobNotFound"})
            content = self.blobs[name] if request.method == "GET" else b""
            headers = {"x-ms-blob-type": "BlockBlob", "Content-Length": str(len(self.blobs[name])),
                       **{f"x-ms-meta-{k}": v for k, v in self.metadata.get(name, {}).items()}}
            wanted = RANGE.match(request.headers.get("x-ms-range") or request.headers.get("Range") or "")
            if wanted and request.method == "GET":
                return self._range(prepared, content, int(wanted["start"]), int(wanted["end"]), headers)
            return http.response(prepared, 200, content, headers=headers)
        return http.response(prepared, 400, headers={"x-ms-error-code": "UnsupportedOperation"})

    def _range(self, prepared, content: bytes, start: int, end: int, headers: dict):
        """Get Blob with ``x-ms-range``: 206 and the part asked for, with ``Content-Range`` (Blob REST API)."""
        part = content[start:end + 1]
        last = start + len(part) - 1
        return http.response(prepared, 206, part, headers={
            **headers, "Content-Length": str(len(part)), "Content-Range": f"bytes {start}-{last}/{len(content)}"})

    def _list(self, prepared, container: str, prefix: str):
        items = "".join(
            f"<Blob><Name>{path[len(container) + 1:]}</Name><Properties><Content-Length>{len(data)}"
            "</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>"
            for path, data in self.blobs.items()
            if path.startswith(f"{container}/{prefix}")
        )
        body = f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>{items}</Blobs></EnumerationResults>'
        return http.response(prepared, 200, body, headers={"Content-Type": "application/xml"})
