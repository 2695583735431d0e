"""Writes through Django's admin (/admin/) are in the audit trail, with the door "admin".

One place for all of them: the admin site mixes `AuditedAdmin` into every ModelAdmin
registered on it, the portal's (sectors, agencies, licences, keywords, users, resources) and
those of the packages (django-axes' lockouts, django-otp's devices, groups) alike.

For the portal's models an entry holds the changed fields' values before and after; for the
packages' models only the names of the changed fields, as their values may be secrets (an
authenticator's key, recovery codes). Password hashes are never recorded.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from django.contrib import admin
from django.db import models, transaction
from django.db.models import QuerySet
from django.forms import BaseFormSet, ModelForm
from django.http import HttpRequest

from portal.audit import services as audit

if TYPE_CHECKING:
    AdminBase = admin.ModelAdmin[Any]
else:
    AdminBase = object

NEVER_RECORDED = frozenset({"password", "key", "token", "secret_hash"})
_RECORDED = "_audit_recorded"  # request attribute: objects saved (and recorded) by save_model


def _values_are_ours(model: type[models.Model]) -> bool:
    return model.__module__.startswith("portal.")


def _field_names(model: type[models.Model], names: Iterable[str]) -> list[str]:
    """The names among `names` that are fields of the model and may be recorded."""
    fields = {field.name for field in model._meta.get_fields() if field.concrete}
    return [name for name in names if name in fields and name not in NEVER_RECORDED]


def _describe(obj: models.Model, names: list[str]) -> dict[str, Any]:
    if _values_are_ours(type(obj)):
        return audit.snapshot(obj, names)
    return {"fields": names} if names else {}


def _mark(request: HttpRequest, obj: models.Model) -> None:
    recorded: set[tuple[str, str]] = getattr(request, _RECORDED, set())
    recorded.add((obj._meta.label_lower, str(obj.pk)))
    setattr(request, _RECORDED, recorded)


def _is_marked(request: HttpRequest, obj: models.Model) -> bool:
    return (obj._meta.label_lower, str(obj.pk)) in getattr(request, _RECORDED, set())


def _record_deletion(request: HttpRequest, obj: models.Model) -> None:
    names = [field.name for field in obj._meta.concrete_fields if not field.primary_key]
    before = audit.snapshot(obj, _field_names(type(obj), names)) if _values_are_ours(
        type(obj)) else {}
    audit.record(actor=request.user, action=f"{obj._meta.model_name}.delete", target=obj,
                 before=before)


class AuditedAdmin(AdminBase):
    """Records each save and deletion the admin makes, inside the admin's own transaction."""

    def save_model(self, request: HttpRequest, obj: Any, form: ModelForm[Any],
                   change: bool) -> None:
        names = _field_names(type(obj), form.changed_data)
        before: dict[str, Any] = {}
        if change and names:
            before = _describe(type(obj)._base_manager.get(pk=obj.pk), names)
        super().save_model(request, obj, form, change)
        form.audit_before = (before, names)  # type: ignore[attr-defined]  # for save_related

    def save_related(self, request: HttpRequest, form: ModelForm[Any],
                     formsets: Iterable[BaseFormSet[Any]], change: bool) -> None:
        formsets = list(formsets)
        super().save_related(request, form, formsets, change)
        before, names = getattr(form, "audit_before", ({}, []))
        obj = form.instance
        after = _describe(obj, names)
        inlines = sorted({str(getattr(formset, "model", type(formset)).__name__).lower()
                          for formset in formsets if formset.has_changed()})
        if inlines:
            after["inlines"] = inlines
        _mark(request, obj)
        if change and not names and not inlines:
            return  # "Save" with nothing changed
        audit.record(actor=request.user, action=f"{obj._meta.model_name}."
                     f"{'update' if change else 'create'}", target=obj, before=before,
                     after=after)

    def log_change(self, request: HttpRequest, obj: Any, message: Any) -> Any:
        """Changes the admin makes without save_model (a password set by a sysadmin)."""
        if not _is_marked(request, obj):
            items = json.loads(message or "[]") if isinstance(message, str) else message
            changed = [name for item in items or []
                       for name in item.get("changed", {}).get("fields", [])]
            audit.record(actor=request.user, action=f"{obj._meta.model_name}.update",
                         target=obj, after={"fields": changed})
        return super().log_change(request, obj, message)

    def delete_model(self, request: HttpRequest, obj: Any) -> None:
        with transaction.atomic():
            _record_deletion(request, obj)
            super().delete_model(request, obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> None:
        with transaction.atomic():
            for obj in queryset:
                _record_deletion(request, obj)
            super().delete_queryset(request, queryset)


class AuditedAdminSite(admin.AdminSite):
    """The default admin site; whatever is registered on it is audited."""

    def register(self, model_or_iterable: Any, admin_class: Any = None, **options: Any) -> None:
        admin_class = admin_class or admin.ModelAdmin
        if not issubclass(admin_class, AuditedAdmin):
            admin_class = type(admin_class.__name__, (AuditedAdmin, admin_class),
                               {"__module__": admin_class.__module__})
        super().register(model_or_iterable, admin_class, **options)
