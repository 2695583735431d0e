"""Administrative units of the portal's province, from the `vietnam-provinces` package.

Codes are stored as strings: the province's code ("37") or communes'/wards' codes ("14464").
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from vietnam_provinces import Province, ProvinceCode, Ward

from portal.lib.text import fold


@cache
def province() -> Province:
    return Province.from_code(ProvinceCode(settings.PROVINCE_CODE))


@cache
def units() -> dict[str, str]:
    """Code → name of the province and each of its communes and wards, province first."""
    here = province()
    wards = sorted(Ward.iter_by_province(here.code), key=lambda ward: ward.name)
    return {str(int(here.code)): here.name} | {str(int(ward.code)): ward.name for ward in wards}


def unit_name(code: str) -> str:
    return units().get(code, code)


def invalid_codes(codes: list[str]) -> list[str]:
    known = units()
    return [code for code in codes if code not in known]


# The whole national list, for checks that do not depend on the portal's province (a citizen ID
# number issued anywhere in the country, a commune of another province in a table).


@cache
def national_province_codes() -> frozenset[str]:
    """Two-digit codes ("01", "37") of every province and centrally-run city of the country."""
    return frozenset(f"{int(one.code):02d}" for one in Province.iter_all())


@cache
def national_ward_codes() -> frozenset[str]:
    """Codes of every commune, ward and special zone of the country, as written in tables
    ("14464"; five digits, leading zeros kept)."""
    return frozenset(f"{int(ward.code):05d}" for ward in Ward.iter_all())


@cache
def national_ward_names() -> frozenset[str]:
    """Names of every commune, ward and special zone of the country, folded and without the
    kind of unit ("Xã Gia Viễn" → "gia vien"), so a table that writes either form matches."""
    return frozenset(fold(ward.name).split(" ", 1)[1] if _has_kind(ward) else fold(ward.name)
                     for ward in Ward.iter_all())


def _has_kind(ward: Ward) -> bool:
    return fold(ward.name).startswith(f"{fold(ward.division_type.value)} ")
