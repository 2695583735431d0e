"""CKAN ids for records the portal numbers: agencies, sectors and keywords.

CKAN's ids are UUIDs, and harvesters key organizations by them: the national portal that harvests
several provinces would merge two provinces' agency number 12 into one organization. So each id
is a name-based UUID (version 5) of the record's number in a namespace of the province: stable
across renames and databases, different from one province to another.
"""

from __future__ import annotations

import uuid

from django.conf import settings

from portal.agencies.models import Agency, Sector

PORTAL_NAMESPACE = uuid.UUID("7d1f7a52-61c5-4c1e-9a43-0b1d6f3c2e55")


def _namespace() -> uuid.UUID:
    return uuid.uuid5(PORTAL_NAMESPACE, f"province:{settings.PROVINCE_CODE}")


def agency_id(pk: int) -> str:
    return str(uuid.uuid5(_namespace(), f"agency:{pk}"))


def sector_id(pk: int) -> str:
    return str(uuid.uuid5(_namespace(), f"sector:{pk}"))


def user_id(pk: int) -> str:
    return str(uuid.uuid5(_namespace(), f"user:{pk}"))


def keyword_id(pk: int) -> str:
    return str(uuid.uuid5(_namespace(), f"keyword:{pk}"))


def _is_uuid(text: str) -> bool:
    try:
        uuid.UUID(text)
    except ValueError:
        return False
    return True


def agency_pks(name_or_id: str) -> list[int]:
    """Numbers of the agencies whose slug or CKAN id is `name_or_id` (at most one)."""
    pks = list(Agency.objects.filter(slug=name_or_id).values_list("pk", flat=True))
    if pks or not _is_uuid(name_or_id):
        return pks
    # A handful of agencies per province: computing every id is cheaper than storing them.
    wanted = str(uuid.UUID(name_or_id))
    return [pk for pk in Agency.objects.values_list("pk", flat=True) if agency_id(pk) == wanted]


def sector_pks(name_or_id: str) -> list[int]:
    """Numbers of the sectors whose code or CKAN id is `name_or_id` (at most one)."""
    pks = list(Sector.objects.filter(code=name_or_id).values_list("pk", flat=True))
    if pks or not _is_uuid(name_or_id):
        return pks
    wanted = str(uuid.UUID(name_or_id))
    return [pk for pk in Sector.objects.values_list("pk", flat=True) if sector_id(pk) == wanted]
