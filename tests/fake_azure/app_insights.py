"""An Application Insights ingestion endpoint on 127.0.0.1, over HTTPS, as the Azure Monitor exporter meets it.

``azure-monitor-opentelemetry-exporter`` posts telemetry to ``{IngestionEndpoint}/v2.1/track``
(``_generated/_azure_monitor_client.py``: base URL ``{Host}/v2.1``, operation ``/track``), the host
taken from the connection string's ``IngestionEndpoint``. Given a credential, it sends a Microsoft
Entra ID token for ``https://monitor.azure.com//.default`` (``_utils._get_scope``), and azure-core
sends a bearer token over HTTPS only (``BearerTokenCredentialPolicy``), hence the TLS: the server
holds a certificate for 127.0.0.1 made when it starts, which the tests trust through
``REQUESTS_CA_BUNDLE`` (``ca_env``).

Azure's rules kept: the resource has local authentication disabled (Learn, "Microsoft Entra
authentication for Application Insights": with ``DisableLocalAuth`` only authenticated telemetry is
ingested), so a request without a bearer token for the ``https://monitor.azure.com`` audience is 401;
an envelope whose ``iKey`` is not the resource's instrumentation key is refused (400, as the
service's per-item ``errors``). The answer is the service's ``TrackResponse``: ``itemsReceived``,
``itemsAccepted``, ``errors``. ``envelopes`` keeps every envelope accepted, in order.
"""

from __future__ import annotations

import datetime
import ipaddress
import json
import ssl
import tempfile
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.fake_azure import loopback
from tests.fake_azure.http import bearer_audience  # the same reading of a bearer token as the model's

AUDIENCE = "https://monitor.azure.com"


def _certificate(folder: Path) -> tuple[Path, Path]:
    """A self-signed certificate for the IP address 127.0.0.1, and its key."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    certificate = (x509.CertificateBuilder().subject_name(name).issuer_name(name).public_key(key.public_key())
                   .serial_number(x509.random_serial_number())
                   .not_valid_before(now - datetime.timedelta(minutes=1))
                   .not_valid_after(now + datetime.timedelta(hours=1))
                   .add_extension(x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address("127.0.0.1"))]),
                                  critical=False)
                   .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
                   .sign(key, hashes.SHA256()))
    cert_file, key_file = folder / "ingestion.pem", folder / "ingestion-key.pem"
    cert_file.write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(key.private_bytes(serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8,
                                           serialization.NoEncryption()))
    return cert_file, key_file


@dataclass
class Ingestion:
    """The running endpoint: ``connection_string`` is what the resource's overview page shows."""

    instrumentation_key: str = field(default_factory=lambda: str(uuid.uuid4()))
    envelopes: list[dict] = field(default_factory=list)
    refused: list[int] = field(default_factory=list)  # the status of each request refused

    def __post_init__(self):
        owner = self

        class Handler(_Handler):
            ingestion = owner

        self._folder = tempfile.TemporaryDirectory()
        self.certificate, key = _certificate(Path(self._folder.name))
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(self.certificate, key)
        self._server = loopback.started(Handler, context.wrap_socket)

    @property
    def endpoint(self) -> str:
        return f"https://127.0.0.1:{self._server.server_address[1]}/"

    @property
    def connection_string(self) -> str:
        return f"InstrumentationKey={self.instrumentation_key};IngestionEndpoint={self.endpoint}"

    def ca_env(self) -> dict[str, str]:
        """What makes ``requests`` (azure-core's transport) trust this server's certificate."""
        return {"REQUESTS_CA_BUNDLE": str(self.certificate)}

    def close(self) -> None:
        loopback.stopped(self._server)
        self._folder.cleanup()


class _Handler(BaseHTTPRequestHandler):
    ingestion: Ingestion
    protocol_version = "HTTP/1.1"

    def log_message(self, *args):
        pass

    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        if self.path != "/v2.1/track":
            return self._answer(404, {"error": f"no route {self.path}"})
        if bearer_audience(self.headers.get("Authorization", "")) != AUDIENCE:
            return self._answer(401, {"itemsReceived": 0, "itemsAccepted": 0, "errors": [
                {"index": 0, "statusCode": 401, "message": "local authentication is disabled: "
                 f"send a Microsoft Entra ID token for {AUDIENCE}"}]})
        items = json.loads(body)
        errors = [{"index": i, "statusCode": 400, "message": "Invalid instrumentation key"}
                  for i, item in enumerate(items) if item.get("iKey") != self.ingestion.instrumentation_key]
        self.ingestion.envelopes.extend(item for i, item in enumerate(items) if i not in {e["index"] for e in errors})
        self._answer(206 if errors else 200, {"itemsReceived": len(items), "itemsAccepted": len(items) - len(errors),
                                              "errors": errors})

    def _answer(self, status: int, document: dict) -> None:
        if status >= 400:
            self.ingestion.refused.append(status)
        content = json.dumps(document).encode()
        self.send_response(status)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(content)))
        self.end_headers()
        self.wfile.write(content)

