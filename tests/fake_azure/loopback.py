"""An HTTP server on 127.0.0.1 for a fake that the SDKs reach over a real socket (``httpx`` clients,
processes of their own): started on a free port in a daemon thread, stopped with its socket closed."""

from __future__ import annotations

import threading
from http.server import ThreadingHTTPServer


def started(handler, wrap_socket=None) -> ThreadingHTTPServer:
    """A server of ``handler`` on a free loopback port, already serving; ``wrap_socket`` (such as an
    ``ssl.SSLContext``'s, server side) wraps its listening socket first."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
    if wrap_socket is not None:
        server.socket = wrap_socket(server.socket, server_side=True)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    return server


def stopped(server: ThreadingHTTPServer) -> None:
    server.shutdown()
    server.server_close()
