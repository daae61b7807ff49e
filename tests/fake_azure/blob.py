"""Azure Blob Storage, in memory: what the SDK uploads (code, data, models) is kept by URL."""

from __future__ import annotations

from dataclasses import dataclass, field

from tests.fake_azure import http

ACCOUNT = "stmlwdp100labs"


@dataclass
class BlobStore:
    blobs: dict[str, bytes] = field(default_factory=dict)  # "container/path" -> content
    metadata: dict[str, dict] = field(default_factory=dict)

    def builtin_datastores(self, workspace: str) -> list[dict]:
        """The four datastores every new workspace has (Learn: "Create datastores", built-in datastores)."""
        suffix = "391ff5ac"  # Azure appends an id of the workspace; fixed here
        def blob(container, default=False):
            return {"datastoreType": "AzureBlob", "accountName": ACCOUNT, "containerName": container,
                    "endpoint": "core.windows.net", "protocol": "https", "isDefault": default,
                    "credentials": {"credentialsType": "AccountKey"}}
        def files(share):
            return {"datastoreType": "AzureFile", "accountName": ACCOUNT, "fileShareName": share,
                    "endpoint": "core.windows.net", "protocol": "https", "credentials": {"credentialsType": "AccountKey"}}
        return [
            {"name": "workspaceblobstore", "properties": blob(f"azureml-blobstore-{suffix}", default=True)},
            {"name": "workspaceartifactstore", "properties": blob("azureml")},
            {"name": "workspacefilestore", "properties": files(f"azureml-filestore-{suffix}")},
            {"name": "workspaceworkingdirectory", "properties": files(f"code-{suffix}")},
        ]

    def pending_upload(self, asset_path: str) -> dict:
        """Where Azure tells the SDK to upload an asset version's files (a SAS to a temporary blob folder)."""
        folder = asset_path.rstrip("/").rsplit("/versions/", 1)[0].rsplit("/", 1)[-1]
        url = f"https://{ACCOUNT}.blob.core.windows.net/azureml-blobstore/LocalUpload/{folder}"
        return {
            "blobReferenceForConsumption": {
                "blobUri": url,
                "storageAccountArmId": f"/subscriptions/*/resourceGroups/rg/providers/Microsoft.Storage/storageAccounts/{ACCOUNT}",
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
            return http.response(prepared, 200, content, headers=headers)
        return http.response(prepared, 400, headers={"x-ms-error-code": "UnsupportedOperation"})

    def _list(self, prepared, container: str, prefix: str):
        items = "".join(
            f"<Blob><Name>{path[len(container) + 1:]}</Name><Properties><Content-Length>{len(data)}"
            "</Content-Length><BlobType>BlockBlob</BlobType></Properties></Blob>"
            for path, data in self.blobs.items()
            if path.startswith(f"{container}/{prefix}")
        )
        body = f'<?xml version="1.0" encoding="utf-8"?><EnumerationResults><Blobs>{items}</Blobs></EnumerationResults>'
        return http.response(prepared, 200, body, headers={"Content-Type": "application/xml"})
