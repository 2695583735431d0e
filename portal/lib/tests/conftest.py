"""Real local HTTP(S) servers for the download tests (portal.lib.fetch).

Each server answers from `routes`: a path mapped to a function that writes the answer. It keeps
the requests it received, and the server names (SNI) TLS clients asked for. Slow routes wait on
`stop`, which the fixture sets at the end so no thread outlives its test.
"""

from __future__ import annotations

import ssl
import subprocess
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

Route = Callable[[BaseHTTPRequestHandler], None]


class LocalServer(ThreadingHTTPServer):
    daemon_threads = True

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.routes: dict[str, Route] = {}
        self.requests: list[tuple[str, dict[str, str]]] = []
        self.server_names: list[str | None] = []
        self.stop = threading.Event()
        self.scheme = "http"

    @property
    def port(self) -> int:
        return int(self.server_address[1])

    def url(self, path: str, host: str = "127.0.0.1") -> str:
        return f"{self.scheme}://{host}:{self.port}{path}"

    def use_tls(self, certificate: Path, key: Path) -> None:
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(certificate, key)
        context.sni_callback = self._note_server_name
        self.socket = context.wrap_socket(self.socket, server_side=True)
        self.scheme = "https"

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that hangs up early is what several tests are about

    def _note_server_name(self, _sock: ssl.SSLObject, name: str | None,
                          _context: ssl.SSLContext) -> None:
        self.server_names.append(name)


class Handler(BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    server: LocalServer

    def do_GET(self) -> None:
        self.server.requests.append((self.path, dict(self.headers.items())))
        route = self.server.routes.get(urlsplit(self.path).path)
        if route is None:
            send(self, b"not here", status=404)
        else:
            route(self)

    def log_message(self, format: str, *args: object) -> None:
        pass


def send(handler: BaseHTTPRequestHandler, body: bytes, *, status: int = 200,
         headers: dict[str, str] | None = None, length: int | None = None) -> None:
    handler.send_response(status)
    for name, value in (headers or {}).items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body) if length is None else length))
    handler.end_headers()
    handler.wfile.write(body)


@pytest.fixture
def server() -> Iterator[LocalServer]:
    yield from running(LocalServer())


@pytest.fixture
def other_server() -> Iterator[LocalServer]:
    """A second server, on no allow-list: a download must never reach it."""
    yield from running(LocalServer())


def running(local: LocalServer) -> Iterator[LocalServer]:
    """Serve in a thread for the life of a fixture (also the data store's tests')."""
    thread = threading.Thread(target=local.serve_forever, kwargs={"poll_interval": 0.05})
    thread.start()
    try:
        yield local
    finally:
        local.stop.set()
        local.shutdown()
        local.server_close()
        thread.join()


@dataclass(frozen=True)
class TlsFiles:
    authority: Path  # the test authority's certificate, for SSL_CERT_FILE
    certificate: Path  # for DNS name `localhost` only, signed by the authority
    key: Path


@pytest.fixture(scope="session")
def tls_files(tmp_path_factory: pytest.TempPathFactory) -> TlsFiles:
    """A throwaway certificate authority and a server certificate for `localhost`, made with
    the openssl command (the same tool an operator would use)."""
    folder = tmp_path_factory.mktemp("tls")
    ca, ca_key, cert, key = (folder / name for name in ("ca.pem", "ca.key", "cert.pem", "key"))
    new_key = ["-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes"]
    _openssl("req", "-x509", *new_key, "-keyout", ca_key, "-out", ca, "-days", "2",
             "-subj", "/CN=Portal test authority",
             "-addext", "basicConstraints=critical,CA:TRUE",
             "-addext", "keyUsage=critical,keyCertSign,cRLSign")
    request = folder / "request.csr"
    _openssl("req", *new_key, "-keyout", key, "-out", request, "-subj", "/CN=localhost")
    extensions = folder / "extensions.cnf"
    extensions.write_text("subjectAltName=DNS:localhost\nbasicConstraints=CA:FALSE\n"
                          "keyUsage=critical,digitalSignature\nextendedKeyUsage=serverAuth\n"
                          "authorityKeyIdentifier=keyid\nsubjectKeyIdentifier=hash\n")
    _openssl("x509", "-req", "-in", request, "-CA", ca, "-CAkey", ca_key, "-CAcreateserial",
             "-out", cert, "-days", "2", "-extfile", extensions)
    return TlsFiles(authority=ca, certificate=cert, key=key)


def _openssl(*args: str | Path) -> None:
    subprocess.run(["openssl", *map(str, args)], check=True, capture_output=True)
