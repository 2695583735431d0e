"""Downloads of the URLs agencies link (resources to ingest), never reaching a private network.

The product rule: a URL the server fetches never reaches a private address. So each hop's host
name is resolved once, every address it resolves to must be public (`is_public_address`), and
the connection goes to that checked address, never to a second lookup, so DNS rebinding cannot
swap the address between check and connect. The request still carries the original name in
`Host` and, over HTTPS, in SNI and the certificate check. Redirects are followed by hand, each
hop checked the same way. Only the standard library: http.client never reads proxy variables
or keeps cookies. `FETCH_ALLOWED_HOSTS` names the few private `host:port` a closed network
may download from.
"""

from __future__ import annotations

import hashlib
import http.client
import logging
import os
import re
import socket
import ssl
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass
from ipaddress import IPv6Address, ip_address
from pathlib import Path
from types import TracebackType
from typing import IO
from urllib.parse import quote, urljoin, urlsplit

from django.conf import settings
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_noop as _

from portal.lib.addresses import Address, ascii_host, host_key, is_public_address
from portal.lib.errors import KeptMessage

logger = logging.getLogger(__name__)

USER_AGENT = "ninhbinh-open-data-portal/1.0"
MAX_REDIRECTS = 5
CHUNK_SIZE = 64 * 1024
DEFAULT_PORTS = {"http": 80, "https": 443}
REDIRECT_STATUSES = {301, 302, 303, 307, 308}
PATH_SAFE = "/%:@!$&'()*+,;=-._~"
CHARSET = re.compile(r"[a-z0-9._:-]{1,40}")


class FetchRefused(KeptMessage):
    """Why a URL was not downloaded (kept, so a job can show it later in the reader's
    language)."""


@dataclass(frozen=True)
class Downloaded:
    url: str  # the final URL, after redirects, as requested (IDNA host, percent-encoded)
    size: int
    sha256: str
    content_type: str  # e.g. "text/csv"; "" when the server sent none
    encoding_hint: str  # the charset of Content-Type, lower case; "" when none


@dataclass(frozen=True)
class Target:
    """One hop: a checked http(s) URL taken apart."""

    scheme: str
    host: str  # ASCII: an IDNA name without trailing dot, or an address without brackets
    port: int
    path: str  # path and query, percent-encoded

    @property
    def authority(self) -> str:
        host = f"[{self.host}]" if ":" in self.host else self.host
        return host if self.port == DEFAULT_PORTS[self.scheme] else f"{host}:{self.port}"

    @property
    def url(self) -> str:
        return f"{self.scheme}://{self.authority}{self.path}"

    @property
    def key(self) -> str:
        return host_key(self.host, self.port)


def download(url: str, destination: Path, *, max_bytes: int, timeout: float = 30.0,
             deadline: float = 900.0) -> Downloaded:
    """Download `url` into `destination`, or raise FetchRefused.

    `timeout` bounds the connection and each read; `deadline` the whole download, redirects
    included. The body streams into a temporary file next to `destination`, renamed into place
    only when complete: on any error nothing is left behind.
    """
    handle = tempfile.NamedTemporaryFile(  # noqa: SIM115 (closed, then renamed or removed)
        dir=destination.parent, prefix=f".{destination.name}.", suffix=".part", delete=False)
    partial = Path(handle.name)
    try:
        with handle, Deadline(deadline) as clock:
            got = _follow(url, handle, max_bytes=max_bytes, timeout=timeout, clock=clock)
        os.replace(partial, destination)
    except BaseException:
        partial.unlink(missing_ok=True)
        raise
    return got


def _follow(url: str, sink: IO[bytes], *, max_bytes: int, timeout: float,
            clock: Deadline) -> Downloaded:
    target = parse_target(url)
    for _hop in range(MAX_REDIRECTS + 1):
        clock.check()
        with _exchange(target, timeout, clock) as response:
            if response.status not in REDIRECT_STATUSES:
                return _receive(response, target, sink, max_bytes, timeout, clock)
            location = response.getheader("Location")
            if not location:
                raise FetchRefused(_("The server redirected without saying where to."))
            target = parse_target(urljoin(target.url, location.strip()))
    raise FetchRefused(_("The address redirects more than %(count)s times."),
                       count=MAX_REDIRECTS)


def parse_target(url: str) -> Target:
    """Take an http(s) URL apart, or refuse it. No user name or password: in a link they are
    either a secret published to all or a trick to make the host look like another."""
    url = url.strip()
    if any(ord(char) < 0x20 or ord(char) == 0x7F for char in url):
        raise FetchRefused(_("This is not a valid web address."))
    try:
        parts = urlsplit(url)
        port, raw_host = parts.port, parts.hostname
    except ValueError:
        raise FetchRefused(_("This is not a valid web address.")) from None
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS:
        if not scheme:
            raise FetchRefused(_("The address must start with http:// or https://."))
        raise FetchRefused(_("%(scheme)s addresses cannot be downloaded; give an http:// or "
                             "https:// address."), scheme=scheme[:20])
    if parts.username is not None or parts.password is not None:
        raise FetchRefused(_("The address contains a user name or password; give an address "
                             "anyone can download from without one."))
    host = ascii_host(raw_host or "")
    if host is None or port == 0:
        raise FetchRefused(_("This is not a valid web address."))
    path = quote(parts.path or "/", safe=PATH_SAFE)
    if parts.query:
        path += "?" + quote(parts.query, safe=PATH_SAFE + "?")
    return Target(scheme, host, port or DEFAULT_PORTS[scheme], path)


def _resolve(target: Target) -> list[tuple[socket.AddressFamily, tuple[str, int]]]:
    """Resolve once; refuse unless every address is public or the host:port is allowed."""
    try:
        found = socket.getaddrinfo(target.host, target.port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise FetchRefused(_("The name %(host)s could not be found."), host=target.host) from None
    allowed = target.key in settings.FETCH_ALLOWED_HOSTS
    addresses: list[tuple[socket.AddressFamily, tuple[str, int]]] = []
    for family, _type, _proto, _name, sockaddr in found:
        if family not in (socket.AF_INET, socket.AF_INET6):
            continue
        address: Address = ip_address(str(sockaddr[0]).split("%")[0])
        if not allowed and not is_public_address(address):
            logger.warning("Refused to download from %s: it resolves to %s, not a public "
                           "address", target.url, address)
            raise FetchRefused(_("The address %(host)s leads to a private or internal network; "
                                 "the portal downloads only from public internet addresses."),
                               host=target.host)
        if isinstance(address, IPv6Address) and address.ipv4_mapped:
            address = address.ipv4_mapped  # the packets go to this IPv4 address
        pinned = (socket.AF_INET6 if address.version == 6 else socket.AF_INET,
                  (str(address), target.port))
        if pinned not in addresses:
            addresses.append(pinned)
    if not addresses:
        raise FetchRefused(_("The name %(host)s could not be found."), host=target.host)
    return addresses


def _connect(target: Target, timeout: float, clock: Deadline) -> socket.socket:
    """A TCP connection to one of the checked addresses, tried in the resolver's order."""
    timed_out = False
    for family, sockaddr in _resolve(target):
        clock.check()
        sock = socket.socket(family, socket.SOCK_STREAM)
        sock.settimeout(timeout)
        clock.watch(sock)
        try:
            sock.connect(sockaddr)
            clock.check()  # the watchdog cannot shut a socket still connecting
        except BaseException as error:
            sock.close()
            if not isinstance(error, OSError):
                raise
            timed_out = timed_out or isinstance(error, TimeoutError)
            continue
        return sock
    clock.check()
    if timed_out:
        raise FetchRefused(_("The server %(host)s did not answer within %(seconds)s seconds."),
                           host=target.host, seconds=f"{timeout:g}")
    raise FetchRefused(_("The server %(host)s could not be reached."), host=target.host)


def _secure(sock: socket.socket, target: Target, clock: Deadline) -> ssl.SSLSocket:
    """TLS over the pinned connection, with the URL's name for SNI and the certificate check
    (the system's trusted authorities, or SSL_CERT_FILE)."""
    context = ssl.create_default_context()
    tls = context.wrap_socket(sock, server_hostname=target.host, do_handshake_on_connect=False)
    clock.watch(tls)
    try:
        tls.do_handshake()
    except BaseException:
        tls.close()
        raise
    return tls


@contextmanager
def _exchange(target: Target, timeout: float,
              clock: Deadline) -> Iterator[http.client.HTTPResponse]:
    """Send the GET over a pinned connection; yield the response (headers read)."""
    sock: socket.socket = _connect(target, timeout, clock)
    connection = http.client.HTTPConnection(target.host, target.port, timeout=timeout)
    try:
        with _network(target, timeout, clock):
            if target.scheme == "https":
                sock = _secure(sock, target, clock)
            connection.sock = sock  # http.client never connects by itself: no proxy, no DNS
            connection.request("GET", target.path, headers=_headers(target))
            response = connection.getresponse()
        yield response
    finally:
        connection.close()
        sock.close()


def _headers(target: Target) -> dict[str, str]:
    agent = f"{USER_AGENT} (+{settings.SITE_URL})" if settings.SITE_URL else USER_AGENT
    return {"Host": target.authority, "User-Agent": agent, "Accept": "*/*",
            "Accept-Encoding": "identity", "Connection": "close"}


def _receive(response: http.client.HTTPResponse, target: Target, sink: IO[bytes],
             max_bytes: int, timeout: float, clock: Deadline) -> Downloaded:
    if response.status != 200:
        raise FetchRefused(_("The server answered with HTTP status %(status)s instead of the "
                             "file."), status=response.status)
    encoding = (response.getheader("Content-Encoding") or "identity").strip().lower()
    if encoding != "identity":
        raise FetchRefused(_("The server sent the file compressed (%(encoding)s) although the "
                             "portal asked for it uncompressed."), encoding=encoding[:40])
    declared = response.length  # Content-Length; None when absent or chunked
    if declared is not None and declared > max_bytes:
        raise _too_large(max_bytes)
    digest, size = hashlib.sha256(), 0
    while True:
        clock.check()
        with _network(target, timeout, clock):
            chunk = response.read1(CHUNK_SIZE)
        if not chunk:
            break
        size += len(chunk)
        if size > max_bytes:
            raise _too_large(max_bytes)
        digest.update(chunk)
        sink.write(chunk)
    clock.check()  # a watchdog's shutdown looks like the end of a body without a length
    if declared is not None and size != declared:
        raise FetchRefused(_("The connection to %(host)s was broken before the whole file "
                             "arrived."), host=target.host)
    charset = (response.msg.get_content_charset() or "").strip()
    return Downloaded(
        url=target.url, size=size, sha256=digest.hexdigest(),
        content_type=response.msg.get_content_type() if response.getheader("Content-Type")
        else "",
        encoding_hint=charset if CHARSET.fullmatch(charset) else "")


def _too_large(max_bytes: int) -> FetchRefused:
    return FetchRefused(_("The file is larger than the limit of %(limit)s."),
                        limit=str(filesizeformat(max_bytes)))


@contextmanager
def _network(target: Target, timeout: float, clock: Deadline) -> Iterator[None]:
    """Turn a failure of the connection into a refusal that says what went wrong."""
    try:
        yield
    except (OSError, http.client.HTTPException) as error:
        logger.info("Download of %s failed: %r", target.url, error)
        clock.check()
        host = {"host": target.host}
        if isinstance(error, ssl.SSLCertVerificationError):
            raise FetchRefused(_("The certificate of %(host)s could not be verified, so the "
                                 "download was refused."), **host) from None
        if isinstance(error, ssl.SSLError):
            raise FetchRefused(_("The secure connection to %(host)s failed."), **host) from None
        if isinstance(error, TimeoutError):
            raise FetchRefused(_("The server %(host)s did not answer within %(seconds)s "
                                 "seconds."), seconds=f"{timeout:g}", **host) from None
        if isinstance(error, http.client.HTTPException) and not isinstance(
                error, http.client.IncompleteRead | ConnectionError):
            raise FetchRefused(_("The server %(host)s answered with something that is not "
                                 "valid HTTP."), **host) from None
        raise FetchRefused(_("The connection to %(host)s was broken before the whole file "
                             "arrived."), **host) from None


class Deadline:
    """Stops a whole download after `seconds`. Per-read timeouts cannot: a server may trickle
    one byte at a time. A watchdog thread shuts the open sockets down, which ends any read
    blocked in http.client; `check()` then turns the broken read into the right refusal."""

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self.expired = False
        self._sockets: list[socket.socket] = []
        self._lock = threading.Lock()
        self._timer = threading.Timer(seconds, self._expire)
        self._timer.daemon = True

    def __enter__(self) -> Deadline:
        self._timer.start()
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None,
                 trace: TracebackType | None) -> None:
        self._timer.cancel()

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._sockets.append(sock)
            expired = self.expired
        if expired:
            _shut(sock)

    def check(self) -> None:
        if self.expired:
            raise FetchRefused(_("The download took longer than %(seconds)s seconds and was "
                                 "stopped."), seconds=f"{self.seconds:g}")

    def _expire(self) -> None:
        with self._lock:
            self.expired = True
            sockets = list(self._sockets)
        for sock in sockets:
            _shut(sock)


def _shut(sock: socket.socket) -> None:
    # socket.socket's own shutdown, also for an SSLSocket: SSLSocket.shutdown would drop its
    # TLS state under the reading thread's feet; this only ends the reads at the descriptor.
    with suppress(OSError):  # not connected yet, or already closed
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
