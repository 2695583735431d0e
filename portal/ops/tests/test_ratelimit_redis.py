"""Two app copies sharing one Redis count against the same limits.

The second copy is a separate Python process configured only by the environment, as a real
copy is (REDIS_URL set: the settings choose the Redis cache). Redis must run at 127.0.0.1:6379;
the tests use its database 15 and delete only the keys they made.
"""

from __future__ import annotations

import ipaddress
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from django.conf import LazySettings
from django.test import Client

from portal.ops.rates import Rate

REDIS_URL = "redis://127.0.0.1:6379/15"
OTHER_COPY = """
import django
django.setup()
from django.test import Client
client = Client(REMOTE_ADDR={address!r}, HTTP_HOST="localhost")
print(" ".join(str(client.get("/api/3").status_code) for _ in range(2)))
"""


@pytest.fixture
def redis_db() -> Iterator[redis.Redis]:
    connection = redis.Redis.from_url(REDIS_URL)
    try:
        connection.ping()
    except redis.ConnectionError:
        pytest.skip("no Redis at 127.0.0.1:6379")
    yield connection
    connection.close()


@pytest.fixture
def address(redis_db: redis.Redis) -> Iterator[str]:
    """An address no other test (or parallel run) uses; its counters are removed afterwards."""
    value = str(ipaddress.IPv4Address(0x0A000000 + uuid.uuid4().int % 2**24))
    yield value
    for key in redis_db.scan_iter(match=f"*ratelimit:*:{value}"):
        redis_db.delete(key)


def run_other_copy(address: str, tmp_path: Path) -> list[int]:
    env = os.environ | {"DJANGO_SETTINGS_MODULE": "portal.settings", "REDIS_URL": REDIS_URL,
                        "RATE_LIMIT_ANONYMOUS": "3/h", "VAR_DIR": str(tmp_path / "var")}
    env.pop("DATABASE_URL", None)
    result = subprocess.run([sys.executable, "-c", OTHER_COPY.format(address=address)],
                            env=env, capture_output=True, text=True, timeout=60, check=True)
    return [int(code) for code in result.stdout.split()]


def test_two_app_copies_with_the_same_redis_share_the_counter(
        settings: LazySettings, address: str, tmp_path: Path) -> None:
    # This copy: the cache the settings build from REDIS_URL (portal/settings.py).
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": REDIS_URL, "KEY_PREFIX": "portal"}}
    settings.RATE_LIMIT_ANONYMOUS = Rate(3, 3600)
    assert run_other_copy(address, tmp_path) == [200, 200]
    client = Client(REMOTE_ADDR=address)
    assert client.get("/api/3").status_code == 200
    response = client.get("/api/3")
    assert response.status_code == 429
    assert int(response["Retry-After"]) > 0
    # And the other copy sees this copy's requests.
    assert run_other_copy(address, tmp_path) == [429, 429]
