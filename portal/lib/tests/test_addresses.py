"""Which addresses count as public, host names in one form, and FETCH_ALLOWED_HOSTS."""

from __future__ import annotations

from ipaddress import ip_address

import pytest
from django.core.exceptions import ImproperlyConfigured

from portal.config import SETTINGS
from portal.lib.addresses import is_public_address, parse_allowed_hosts
from portal.lib.env import read_all
from portal.lib.fetch import parse_target


@pytest.mark.parametrize("address", [
    "8.8.8.8", "203.162.4.190", "2606:4700::1111", "::ffff:8.8.8.8", "64:ff9b::808:808",
    "2002:808:808::1",
])
def test_public_addresses_pass(address: str) -> None:
    assert is_public_address(ip_address(address))


@pytest.mark.parametrize("address", [
    "127.0.0.1", "10.1.2.3", "172.31.255.255", "192.168.0.1", "169.254.169.254", "100.127.0.1",
    "0.0.0.0", "0.1.2.3", "224.0.0.251", "239.255.255.250", "240.0.0.1",  # noqa: S104 (refused)
    "255.255.255.255",
    "192.0.2.1", "198.51.100.1", "203.0.113.1", "::1", "::", "fc00::1", "fdff::1", "fe80::1",
    "fec0::1", "ff02::1", "2001:db8::1", "::ffff:10.0.0.1", "::ffff:127.0.0.1", "::10.0.0.1",
    "64:ff9b::a9fe:a9fe", "64:ff9b:1::1", "2002:a00:1::1", "2002:7f00:1::1",
])
def test_every_kind_of_internal_address_is_refused(address: str) -> None:
    assert not is_public_address(ip_address(address))


def test_an_address_is_taken_apart_in_the_form_sent_on_the_wire() -> None:
    target = parse_target(" HTTP://Dữ-Liệu.VN.:8080/tệp dữ liệu.csv?năm=2025#phần ")
    assert target.host == "xn--d-liu-471bml.vn"
    assert target.path == "/t%E1%BB%87p%20d%E1%BB%AF%20li%E1%BB%87u.csv?n%C4%83m=2025"
    assert target.url == f"http://{target.host}:8080{target.path}"
    assert parse_target("https://[2001:DB8::1]/").url == "https://[2001:db8::1]/"


def test_allowed_hosts_are_read_in_the_form_downloads_compare() -> None:
    raw = " 10.0.5.20:8080, Files.SO.local.:443 ,[::1]:8000,, 0x7f.1:80"
    assert parse_allowed_hosts(raw) == [
        "10.0.5.20:8080", "files.so.local:443", "[::1]:8000", "0x7f.1:80"]
    assert read_all(SETTINGS, {})["FETCH_ALLOWED_HOSTS"] == []


@pytest.mark.parametrize("raw", [
    "10.0.5.20", "files.so.local", "http://10.0.5.20:80", "10.0.5.20:80/path", "[::1]",
    "user@10.0.5.20:80", "10.0.5.20:0", "10.0.5.20:99999", "bad host:80",
])
def test_an_allowed_host_without_a_port_or_with_more_stops_start_up(raw: str) -> None:
    with pytest.raises(ImproperlyConfigured, match="FETCH_ALLOWED_HOSTS="):
        read_all(SETTINGS, {"FETCH_ALLOWED_HOSTS": raw})
