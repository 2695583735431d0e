"""Which network addresses the server may reach, and host names in one normal form.

Kept free of Django imports: `portal.config` parses `FETCH_ALLOWED_HOSTS` with it at start-up.
`portal.lib.fetch` applies it to every URL the portal downloads.
"""

from __future__ import annotations

import re
from ipaddress import IPv4Address, IPv6Address, ip_address, ip_network
from urllib.parse import urlsplit

HOST_NAME = re.compile(r"[a-z0-9_-]+(\.[a-z0-9_-]+)*")
# Not public, yet not refused by ipaddress's flags in every Python version.
NOT_PUBLIC = tuple(ip_network(network) for network in (
    "0.0.0.0/8", "100.64.0.0/10", "192.0.0.0/24", "198.18.0.0/15", "fec0::/10", "64:ff9b:1::/48"))
NAT64 = ip_network("64:ff9b::/96")

Address = IPv4Address | IPv6Address


def ascii_host(host: str) -> str | None:
    """An address in its usual form, or a name in IDNA lower case; None when neither."""
    if not host or "%" in host:  # no IPv6 zone: it names an interface of this machine
        return None
    try:
        return str(ip_address(host))
    except ValueError:
        pass
    try:
        name = host.encode("idna").decode("ascii").lower().rstrip(".")
    except UnicodeError:
        return None
    return name if HOST_NAME.fullmatch(name) else None


def host_key(host: str, port: int) -> str:
    return f"[{host}]:{port}" if ":" in host else f"{host}:{port}"


def parse_allowed_hosts(raw: str) -> list[str]:
    """FETCH_ALLOWED_HOSTS: comma-separated `host:port`, normalised as downloads compare them."""
    entries = []
    for item in (part.strip() for part in raw.split(",")):
        if not item:
            continue
        try:
            parts = urlsplit(f"//{item}")
            host, port = ascii_host(parts.hostname or ""), parts.port
        except ValueError:
            host = port = None
        if host is None or not port or parts.netloc != item or "@" in item:
            raise ValueError("expected host:port entries such as 10.0.5.20:8080 or [::1]:8000")
        entries.append(host_key(host, port))
    return entries


def is_public_address(address: Address) -> bool:
    """Whether packets to `address` go to the public internet: not loopback, private,
    link-local (cloud metadata), shared (CGNAT), unique-local, multicast, unspecified or
    reserved, nor an IPv6 form of such an IPv4 address (mapped, NAT64, 6to4)."""
    if isinstance(address, IPv6Address):
        # Decided by the IPv4 address inside: Python 3.13's `ipaddress` counts all of 6to4
        # (2002::/16) as private, 3.11's as global.
        translated = address.ipv4_mapped or _nat64_ipv4(address) or address.sixtofour
        if translated is not None:
            return is_public_address(translated)
    flags = (address.is_private, address.is_loopback, address.is_link_local,
             address.is_multicast, address.is_unspecified, address.is_reserved)
    return (address.is_global and not any(flags)
            and not any(address in network for network in NOT_PUBLIC))


def _nat64_ipv4(address: IPv6Address) -> IPv4Address | None:
    return IPv4Address(int(address) & 0xFFFFFFFF) if address in NAT64 else None
