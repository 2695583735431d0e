"""Deadline policies in Django's admin: the supervising department keeps them (article 4.7)."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import transaction
from django.http import HttpRequest

from portal.accounts.admin_access import CatalogueReferenceAccess
from portal.schedules import tasks
from portal.schedules.models import DeadlinePolicy

if TYPE_CHECKING:
    PolicyAdminBase = admin.ModelAdmin[DeadlinePolicy]
else:
    PolicyAdminBase = admin.ModelAdmin


@admin.register(DeadlinePolicy)
class DeadlinePolicyAdmin(CatalogueReferenceAccess, PolicyAdminBase):
    list_display = ("frequency", "grace_days", "citation")
    fields = ("frequency", "grace_days", "citation", "note")

    def save_model(self, request: HttpRequest, obj: DeadlinePolicy, form: Any,
                   change: bool) -> None:
        super().save_model(request, obj, form, change)
        # Every dataset of the frequency gets its due dates again, in the job worker.
        transaction.on_commit(lambda: tasks.refresh_frequency(obj.frequency))

    def delete_model(self, request: HttpRequest, obj: DeadlinePolicy) -> None:
        frequency = obj.frequency
        super().delete_model(request, obj)
        transaction.on_commit(lambda: tasks.refresh_frequency(frequency))

