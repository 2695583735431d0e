"""Who may use which part of Django's admin, decided by `permissions` like every other door.

Sysadmins (superusers) use all of it. Supervisors manage the reference data of the catalogue
(sectors, agencies, licences, keywords) and nothing else; Django's per-model permission table
is not used, so a rule never lives in two places.
"""

from __future__ import annotations

from typing import Any

from django.http import HttpRequest

from portal.accounts.permissions import Action, can


class CatalogueReferenceAccess:
    """Mixin for the ModelAdmin of a list that supervisors keep (article 12.1)."""

    def _allowed(self, request: HttpRequest) -> bool:
        return can(request.user, Action.MANAGE_CATALOGUE)

    def has_module_permission(self, request: HttpRequest) -> bool:
        return self._allowed(request)

    def has_view_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_add_permission(self, request: HttpRequest, *args: Any) -> bool:
        return self._allowed(request)

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return self._allowed(request)
