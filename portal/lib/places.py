"""Administrative units of the portal's province, from the `vietnam-provinces` package.

Codes are stored as strings: the province's code ("37") or communes'/wards' codes ("14464").
"""

from __future__ import annotations

from functools import cache

from django.conf import settings
from vietnam_provinces import Province, ProvinceCode, Ward


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
