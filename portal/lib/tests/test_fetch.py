"""Downloads of linked files: what arrives, and every way a URL is refused (portal.lib.fetch).

The servers are real (conftest.py). Only the test's own 127.0.0.1:<port> is on the allow-list,
and only in the tests that download; everything else runs with the default, empty list.
"""

from __future__ import annotations

import hashlib
import socket
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler
from pathlib import Path
from typing import Any

import pytest
from django.conf import LazySettings
from django.utils import translation

from portal.lib.fetch import MAX_REDIRECTS, USER_AGENT, FetchRefused, download
from portal.lib.tests.conftest import LocalServer, Route, TlsFiles, send

BODY = b"ma_xa,ten\r\n15001,Ph\xfd\xf5\xccng Hoa L\xfd\r\n"  # Windows-1258: Phường Hoa Lư
PRIVATE = "leads to a private or internal network"


@pytest.fixture(autouse=True)
def _english() -> Iterator[None]:
    with translation.override("en"):
        yield


@pytest.fixture
def allowed(server: LocalServer, settings: LazySettings) -> LocalServer:
    """The test server answers normal routes, and only it is allowed although on 127.0.0.1."""
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    server.routes["/data.csv"] = lambda handler: send(
        handler, BODY, headers={"Content-Type": "text/csv; charset=Windows-1258",
                                "Set-Cookie": "session=secret"})
    return server


def redirect(to: str) -> Route:
    return lambda handler: send(handler, b"", status=302,
                                headers={"Location": to, "Set-Cookie": "tracking=1"})


def refused(url: str, folder: Path, match: str | None = None, *, timeout: float = 5.0,
            deadline: float = 30.0) -> FetchRefused:
    """Download `url`, expect a refusal, and check that nothing is left in `folder`."""
    with pytest.raises(FetchRefused, match=match) as caught:
        download(url, folder / "file.csv", max_bytes=10_000, timeout=timeout,
                 deadline=deadline)
    assert list(folder.iterdir()) == []
    return caught.value


def test_a_file_arrives_whole_with_its_hash_type_and_charset(allowed: LocalServer,
                                                             tmp_path: Path) -> None:
    got = download(allowed.url("/data.csv"), tmp_path / "file.csv", max_bytes=len(BODY))
    assert (tmp_path / "file.csv").read_bytes() == BODY
    assert [path.name for path in tmp_path.iterdir()] == ["file.csv"]  # no temporary file left
    assert got.size == len(BODY)
    assert got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert (got.content_type, got.encoding_hint) == ("text/csv", "windows-1258")
    assert got.url == allowed.url("/data.csv")


def test_the_request_names_the_portal_and_asks_for_the_plain_file(allowed: LocalServer,
                                                                  tmp_path: Path) -> None:
    download(allowed.url("/data.csv?year=2025&name=Hoa Lư"), tmp_path / "file.csv",
             max_bytes=1000)
    path, headers = allowed.requests[0]
    assert path == "/data.csv?year=2025&name=Hoa%20L%C6%B0"
    assert headers["Host"] == f"127.0.0.1:{allowed.port}"
    assert headers["User-Agent"] == USER_AGENT
    assert headers["Accept-Encoding"] == "identity"


def test_redirects_are_followed_without_cookies_and_the_final_url_is_reported(
        allowed: LocalServer, tmp_path: Path) -> None:
    for hop in range(MAX_REDIRECTS - 1):
        allowed.routes[f"/hop{hop}"] = redirect(f"/hop{hop + 1}")
    allowed.routes[f"/hop{MAX_REDIRECTS - 1}"] = redirect(allowed.url("/data.csv"))
    got = download(allowed.url("/hop0"), tmp_path / "file.csv", max_bytes=1000)
    assert got.url == allowed.url("/data.csv")
    assert len(allowed.requests) == MAX_REDIRECTS + 1
    assert all("Cookie" not in headers for _path, headers in allowed.requests)


def test_more_than_five_redirects_are_refused(allowed: LocalServer, tmp_path: Path) -> None:
    allowed.routes["/loop"] = redirect("/loop")
    refused(allowed.url("/loop"), tmp_path, "redirects more than 5 times")
    assert len(allowed.requests) == MAX_REDIRECTS + 1


@pytest.mark.parametrize("to", [
    "http://127.0.0.1/", "http://169.254.169.254/latest/meta-data/", "http://10.0.0.1/",
    "http://100.64.0.1/", "http://[::1]/", "http://localhost/", "file:///etc/passwd",
])
def test_a_redirect_to_a_private_address_or_another_scheme_is_refused(
        allowed: LocalServer, tmp_path: Path, to: str) -> None:
    allowed.routes["/away"] = redirect(to)
    refused(allowed.url("/away"), tmp_path, PRIVATE if to.startswith("http") else "file")


def test_a_redirect_to_another_local_server_never_reaches_it(
        allowed: LocalServer, other_server: LocalServer, tmp_path: Path) -> None:
    other_server.routes["/data.csv"] = lambda handler: send(handler, BODY)
    for target in (other_server.url("/data.csv"), other_server.url("/data.csv", "localhost"),
                   allowed.url("/data.csv", "localhost"),  # allowed as 127.0.0.1 only
                   allowed.url("/data.csv", "[::ffff:127.0.0.1]")):
        allowed.routes["/away"] = redirect(target)
        refused(allowed.url("/away"), tmp_path, PRIVATE)
    assert other_server.requests == []


def test_a_body_past_the_limit_is_refused_from_its_content_length(
        allowed: LocalServer, tmp_path: Path) -> None:
    def announce_and_stall(handler: BaseHTTPRequestHandler) -> None:
        send(handler, b"", length=10_001)
        allowed.stop.wait(10)  # a client that read on would wait for its timeout

    allowed.routes["/big"] = announce_and_stall
    started = time.monotonic()
    refused(allowed.url("/big"), tmp_path, "larger than the limit", timeout=5)
    assert time.monotonic() - started < 2


@pytest.mark.parametrize("framing", ["until-close", "chunked"])
def test_a_body_past_the_limit_is_refused_while_streaming(
        allowed: LocalServer, tmp_path: Path, framing: str) -> None:
    def stream(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Transfer-Encoding" if framing == "chunked" else "Connection",
                            "chunked" if framing == "chunked" else "close")
        handler.end_headers()
        for _ in range(20):
            part = b"x" * 1000
            handler.wfile.write(b"3e8\r\n" + part + b"\r\n" if framing == "chunked" else part)
        handler.wfile.write(b"0\r\n\r\n" if framing == "chunked" else b"")
        handler.close_connection = True

    allowed.routes["/stream"] = stream
    refused(allowed.url("/stream"), tmp_path, "larger than the limit")
    got = download(allowed.url("/stream"), tmp_path / "file.csv", max_bytes=20_000)
    assert got.size == 20_000  # exactly the limit is allowed


def test_a_server_that_trickles_is_stopped_at_the_deadline(allowed: LocalServer,
                                                           tmp_path: Path) -> None:
    def trickle(handler: BaseHTTPRequestHandler) -> None:
        send(handler, b"", length=5000)
        while not allowed.stop.wait(0.02):
            try:
                handler.wfile.write(b"x")
            except OSError:
                return

    allowed.routes["/slow"] = trickle
    started = time.monotonic()
    refused(allowed.url("/slow"), tmp_path, "took longer than 0.5 seconds", timeout=5,
            deadline=0.5)
    assert time.monotonic() - started < 2


def test_a_server_that_stops_answering_hits_the_read_timeout(allowed: LocalServer,
                                                              tmp_path: Path) -> None:
    def stall(handler: BaseHTTPRequestHandler) -> None:
        send(handler, b"partial", length=100)
        allowed.stop.wait(10)

    allowed.routes["/stall"] = stall
    refused(allowed.url("/stall"), tmp_path, "did not answer within 0.3 seconds", timeout=0.3)


def test_a_body_cut_short_is_refused(allowed: LocalServer, tmp_path: Path) -> None:
    def cut(handler: BaseHTTPRequestHandler) -> None:
        send(handler, b"only this", length=100)
        handler.close_connection = True

    allowed.routes["/cut"] = cut
    refused(allowed.url("/cut"), tmp_path, "broken before the whole file arrived")


def test_error_statuses_and_compressed_bodies_are_refused(allowed: LocalServer,
                                                          tmp_path: Path) -> None:
    refused(allowed.url("/missing"), tmp_path, "HTTP status 404")
    allowed.routes["/gz"] = lambda handler: send(handler, b"\x1f\x8b",
                                                 headers={"Content-Encoding": "gzip"})
    refused(allowed.url("/gz"), tmp_path, r"compressed \(gzip\)")


def test_a_failed_download_leaves_an_earlier_file_untouched(allowed: LocalServer,
                                                            tmp_path: Path) -> None:
    (tmp_path / "file.csv").write_bytes(b"earlier")
    with pytest.raises(FetchRefused):
        download(allowed.url("/missing"), tmp_path / "file.csv", max_bytes=1000)
    assert [path.name for path in tmp_path.iterdir()] == ["file.csv"]
    assert (tmp_path / "file.csv").read_bytes() == b"earlier"


def test_proxy_variables_are_ignored(allowed: LocalServer, tmp_path: Path,
                                     monkeypatch: pytest.MonkeyPatch) -> None:
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "ALL_PROXY"):
        monkeypatch.setenv(name, "http://127.0.0.1:9")  # a proxy would bypass the checks
    assert download(allowed.url("/data.csv"), tmp_path / "f", max_bytes=1000).size == len(BODY)


def test_https_uses_the_name_for_sni_and_the_certificate_on_the_pinned_address(
        server: LocalServer, tls_files: TlsFiles, settings: LazySettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    server.use_tls(tls_files.certificate, tls_files.key)
    server.routes["/data.csv"] = lambda handler: send(handler, BODY)
    settings.FETCH_ALLOWED_HOSTS = [f"localhost:{server.port}", f"127.0.0.1:{server.port}"]
    refused(server.url("/data.csv", "localhost"), tmp_path, "certificate of localhost")

    monkeypatch.setenv("SSL_CERT_FILE", str(tls_files.authority))  # trust the test authority
    got = download(server.url("/data.csv", "localhost"), tmp_path / "f", max_bytes=1000)
    assert got.url == server.url("/data.csv", "localhost")
    assert server.server_names[-1] == "localhost"
    assert server.requests[-1][1]["Host"] == f"localhost:{server.port}"
    # The certificate is for the name, not for the address.
    (tmp_path / "again").mkdir()
    refused(server.url("/data.csv"), tmp_path / "again", "certificate of 127.0.0.1")
    assert len(server.requests) == 1


class FakeDns:
    """Answers for invented names, as a DNS server under someone else's control would."""

    def __init__(self, monkeypatch: pytest.MonkeyPatch, answers: dict[str, list[str]]) -> None:
        self.answers = answers
        self.asked: list[str] = []
        self.real = socket.getaddrinfo
        monkeypatch.setattr(socket, "getaddrinfo", self.getaddrinfo)

    def getaddrinfo(self, host: str, port: int, *args: Any, **kwargs: Any) -> list[Any]:
        if host not in self.answers:
            return self.real(host, port, *args, **kwargs)
        self.asked.append(host)
        return [(socket.AF_INET6 if ":" in address else socket.AF_INET, socket.SOCK_STREAM, 6,
                 "", (address, port)) for address in self.answers[host]]


@pytest.mark.parametrize("answer", [["8.8.8.8", "127.0.0.1"], ["127.0.0.1", "8.8.8.8"],
                                    ["2606:4700::1111", "::ffff:10.0.0.1"]])
def test_a_name_is_refused_when_any_of_its_addresses_is_private(
        answer: list[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    FakeDns(monkeypatch, {"mixed.example": answer})
    refused("http://mixed.example/data.csv", tmp_path, PRIVATE)


def test_the_connection_goes_to_the_address_resolved_once(
        allowed: LocalServer, settings: LazySettings, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """DNS rebinding: a second lookup would answer an address no one checked."""
    settings.FETCH_ALLOWED_HOSTS = [f"files.example:{allowed.port}"]
    dns = FakeDns(monkeypatch, {"files.example": ["127.0.0.1"]})
    got = download(allowed.url("/data.csv", "files.example"), tmp_path / "f", max_bytes=1000)
    dns.answers["files.example"] = ["10.255.255.1"]  # what the name would say next time
    assert got.sha256 == hashlib.sha256(BODY).hexdigest()
    assert dns.asked == ["files.example"]
    assert allowed.requests[0][1]["Host"] == f"files.example:{allowed.port}"


@pytest.mark.parametrize("url", [
    "http://127.0.0.1/", "http://127.0.0.1:8000/x.csv", "https://127.0.0.1/",
    "http://127.1/", "http://0177.0.0.1/", "http://0x7f000001/", "http://2130706433/",
    "http://0x7f.1/", "http://0.0.0.0/", "http://0/", "http://10.0.0.1/", "http://172.16.0.1/",
    "http://192.168.1.1/", "http://169.254.169.254/latest/meta-data/", "http://100.64.0.1/",
    "http://192.0.0.8/", "http://198.18.0.1/", "http://224.0.0.1/", "http://240.0.0.1/",
    "http://255.255.255.255/", "http://[::1]/", "http://[::]/", "http://[fc00::1]/",
    "http://[fd12:3456::1]/", "http://[fe80::1]/", "http://[fec0::1]/", "http://[ff02::1]/",
    "http://[::ffff:127.0.0.1]/", "http://[::ffff:169.254.169.254]/", "http://[::ffff:a00:1]/",
    "http://[::127.0.0.1]/", "http://[64:ff9b::a00:1]/", "http://[2002:7f00:1::1]/",
    "http://[2002:a9fe:a9fe::1]/",
])
def test_a_private_address_is_refused(url: str, tmp_path: Path) -> None:
    error = refused(url, tmp_path, PRIVATE)
    assert error.msgid.startswith("The address %(host)s")  # kept to show in another language


@pytest.mark.parametrize(("url", "message"), [
    ("http://localhost/", PRIVATE), ("http://LocalHost./data.csv", PRIVATE),
    ("https://localhost:8443/", PRIVATE), ("http://127.0.0.1#@example.com/", PRIVATE),
    ("http://127.0.0.1?@example.com/", PRIVATE), ("http://public@127.0.0.1/", "user name"),
    ("http://example.com@127.0.0.1/", "user name"), ("http://127.0.0.1\\@example.com/", "user"),
])
def test_a_name_or_a_disguise_that_leads_to_this_machine_is_refused(
        url: str, message: str, tmp_path: Path) -> None:
    refused(url, tmp_path, message)


def test_only_the_listed_host_and_port_pass_the_allow_list(
        server: LocalServer, settings: LazySettings, tmp_path: Path) -> None:
    settings.FETCH_ALLOWED_HOSTS = [f"127.0.0.1:{server.port}"]
    for url in (f"http://127.0.0.1:{server.port + 1}/", f"http://localhost:{server.port}/",
                f"http://0177.0.0.1:{server.port}/", f"http://[::1]:{server.port}/"):
        refused(url, tmp_path, PRIVATE)
    assert server.requests == []


@pytest.mark.parametrize(("url", "message"), [
    ("ftp://ftp.example.com/data.csv", "ftp addresses cannot be downloaded"),
    ("file:///etc/passwd", "file addresses cannot be downloaded"),
    ("gopher://example.com/", "gopher addresses"), ("data:text/csv,a,b", "data addresses"),
    ("javascript:alert(1)", "javascript addresses"),
    ("//example.com/data.csv", "must start with http"), ("example.com/data.csv", "must start"),
    ("", "must start"), ("http:///data.csv", "not a valid"), ("http://exa mple.com/", "valid"),
    ("http://[::1/", "not a valid"), ("http://example.com:99999/", "not a valid"),
    ("http://example.com:0/", "not a valid"), ("http://example.com/\r\nX-Injected: 1", "valid"),
    ("http://[fe80::1%25eth0]/", "not a valid"), ("http://user:secret@example.com/", "password"),
    ("http://nothing.invalid/", "could not be found"),
])
def test_other_addresses_are_refused_with_a_reason(url: str, message: str,
                                                   tmp_path: Path) -> None:
    refused(url, tmp_path, message)
