"""Writes to the catalogue. Pages and both APIs call these; each checks permission itself.

Every service runs in a transaction, records the change in the dataset's history and bumps the
dataset's version, so that a stale edit is refused instead of overwriting someone else's.
"""

from __future__ import annotations

import hashlib
import mimetypes
from collections.abc import Iterable
from dataclasses import dataclass, field, fields
from datetime import date
from pathlib import PurePosixPath
from typing import IO, TYPE_CHECKING, Any

from django.core.exceptions import SuspiciousFileOperation
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone
from django.utils.text import get_valid_filename, slugify
from django.utils.translation import gettext as _

from portal.accounts.permissions import Action, can
from portal.agencies.models import Agency, Sector
from portal.audit import services as audit
from portal.catalog import inputs, signals
from portal.catalog.inputs import PERIOD_PATTERN, SLUG_PATTERN  # noqa: F401 - their old home
from portal.catalog.models import (
    AccessLevel,
    Dataset,
    DatasetChange,
    Frequency,
    Keyword,
    Licence,
    Resource,
    ResourceKind,
    Status,
)
from portal.lib.errors import ApplicationError, Conflict, PermissionDenied
from portal.lib.places import invalid_codes
from portal.lib.text import fold

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor



@dataclass
class DatasetFields:
    """What a person or a client may set on a dataset (everything but status and history)."""

    title: str
    slug: str
    licence: Licence
    description: str = ""
    keywords: list[str] = field(default_factory=list)
    sectors: list[Sector] = field(default_factory=list)
    contact_name: str = ""
    contact_email: str = ""
    access_level: str = AccessLevel.PUBLIC
    frequency: str = Frequency.IRREGULAR
    temporal_start: date | None = None
    temporal_end: date | None = None
    spatial_codes: list[str] = field(default_factory=list)
    source_system: str = ""


def validate_dataset_fields(agency: Agency, data: DatasetFields,
                            dataset: Dataset | None = None) -> None:
    """The fields' own rules (catalog/inputs.py), then those that need the database; raises
    ApplicationError with messages per field."""
    errors = inputs.problems(inputs.DATASET, data)
    keywords = inputs.KEYWORDS.problems(data.keywords)
    if keywords:
        errors["keywords"] = keywords
    if "slug" not in errors and _slug_taken(data.slug, dataset):
        errors["slug"] = [_("Another dataset already uses this URL name.")]
    allowed = set(agency.sectors.values_list("pk", flat=True))
    outside = [sector.name for sector in data.sectors if sector.pk not in allowed]
    if outside:
        errors["sectors"] = [
            _("%(agency)s may not publish in: %(sectors)s.")
            % {"agency": agency.name, "sectors": ", ".join(outside)}
        ]
    if data.temporal_start and data.temporal_end and data.temporal_start > data.temporal_end:
        errors["temporal_end"] = [_("The end of the temporal coverage is before its start.")]
    unknown = invalid_codes(data.spatial_codes)
    if unknown:
        errors["spatial_codes"] = [
            _("Unknown administrative unit codes: %(codes)s.") % {"codes": ", ".join(unknown)}
        ]
    if errors:
        raise ApplicationError(_("The dataset could not be saved."), errors)


def _slug_taken(slug: str, dataset: Dataset | None) -> bool:
    others = Dataset.objects.filter(slug=slug)
    if dataset is not None:
        others = others.exclude(pk=dataset.pk)
    return others.exists()


def _search_text(data: DatasetFields) -> str:
    return fold(" ".join([data.title, data.description, *data.keywords]))


def _keywords(names: Iterable[str]) -> list[Keyword]:
    cleaned = sorted({name.strip() for name in names if name.strip()})
    existing = {keyword.name: keyword for keyword in Keyword.objects.filter(name__in=cleaned)}
    missing = [Keyword(name=name) for name in cleaned if name not in existing]
    Keyword.objects.bulk_create(missing, ignore_conflicts=True)
    return list(Keyword.objects.filter(name__in=cleaned))


def _record(dataset: Dataset, user: Actor | None, action: str, changed: list[str] | None = None,
            note: str = "") -> None:
    DatasetChange.objects.create(
        dataset=dataset, user=user if user is not None and user.is_authenticated else None,
        action=action, fields=changed or [], note=note[:500],
    )


def _require(user: Actor, action: Action, obj: Any) -> None:
    if not can(user, action, obj):
        raise PermissionDenied(_("You do not have permission to do this."))


@transaction.atomic
def dataset_create(*, user: Actor, agency: Agency, data: DatasetFields) -> Dataset:
    _require(user, Action.CREATE_DATASET, agency)
    validate_dataset_fields(agency, data)
    scalar = {f.name: getattr(data, f.name) for f in fields(data)
              if f.name not in ("keywords", "sectors")}
    try:
        with transaction.atomic():
            dataset = Dataset.objects.create(
                agency=agency, search_text=_search_text(data),
                created_by=user if user.is_authenticated else None, **scalar,
            )
    except IntegrityError:  # another dataset took the URL name since the check above
        raise ApplicationError(_("The dataset could not be saved."),
                               {"slug": [_("Another dataset already uses this URL name.")]},
                               ) from None
    dataset.keywords.set(_keywords(data.keywords))
    dataset.sectors.set(data.sectors)
    _record(dataset, user, DatasetChange.Action.CREATED)
    audit.record(actor=user, action="dataset.create", target=dataset,
                 after=audit.snapshot(dataset, [f.name for f in fields(data)]))
    return dataset


def _changed_fields(dataset: Dataset, data: DatasetFields) -> list[str]:
    changed = []
    for item in fields(data):
        new = getattr(data, item.name)
        if item.name == "keywords":
            old: Any = sorted(keyword.name for keyword in dataset.keywords.all())
            new = sorted({name.strip() for name in new if name.strip()})
        elif item.name == "sectors":
            old, new = {s.pk for s in dataset.sectors.all()}, {s.pk for s in new}
        else:
            old = getattr(dataset, item.name)
        if old != new:
            changed.append(item.name)
    return changed


def _bump_version(dataset: Dataset, expected_version: int | None) -> None:
    """Claim the next version, or refuse if someone else has saved since `expected_version`."""
    rows = Dataset.objects.filter(pk=dataset.pk)
    if expected_version is not None:
        rows = rows.filter(version=expected_version)
    if not rows.update(version=F("version") + 1, modified=timezone.now()):
        raise Conflict(_("Someone else changed this dataset while you were editing it. "
                         "Reload the page to see their changes, then make yours again."))
    dataset.refresh_from_db(fields=["version", "modified"])


@transaction.atomic
def dataset_update(*, user: Actor, dataset: Dataset, data: DatasetFields,
                   expected_version: int | None = None) -> Dataset:
    _require(user, Action.EDIT_DATASET, dataset)
    validate_dataset_fields(dataset.agency, data, dataset)
    _bump_version(dataset, expected_version)
    changed = _changed_fields(dataset, data)
    before = audit.snapshot(dataset, changed)
    for item in fields(data):
        if item.name not in ("keywords", "sectors"):
            setattr(dataset, item.name, getattr(data, item.name))
    dataset.search_text = _search_text(data)
    dataset.save()
    dataset.keywords.set(_keywords(data.keywords))
    dataset.sectors.set(data.sectors)
    if changed:
        _record(dataset, user, DatasetChange.Action.UPDATED, changed)
        audit.record(actor=user, action="dataset.update", target=dataset, before=before,
                     after=audit.snapshot(dataset, changed))
    return dataset


@transaction.atomic
def dataset_publish(*, user: Actor, dataset: Dataset, expected_version: int | None = None) -> None:
    _require(user, Action.PUBLISH_DATASET, dataset)
    if dataset.status == Status.PUBLISHED:
        return
    if not dataset.agency.is_active:
        raise ApplicationError(_("This agency has ceased; it can no longer publish."))
    _bump_version(dataset, expected_version)
    before = audit.snapshot(dataset, ["status", "published"])
    dataset.status = Status.PUBLISHED
    dataset.published = dataset.published or timezone.now()
    dataset.save(update_fields=["status", "published", "modified"])
    _record(dataset, user, DatasetChange.Action.PUBLISHED)
    audit.record(actor=user, action="dataset.publish", target=dataset, before=before,
                 after=audit.snapshot(dataset, ["status", "published"]))


@transaction.atomic
def dataset_withdraw(*, user: Actor, dataset: Dataset, reason: str = "",
                     expected_version: int | None = None) -> None:
    _require(user, Action.PUBLISH_DATASET, dataset)
    if dataset.status != Status.PUBLISHED:
        raise ApplicationError(_("Only a published dataset can be withdrawn."))
    refused = inputs.WITHDRAWAL_REASON.problems(reason)
    if refused:
        raise ApplicationError(_("The dataset could not be withdrawn."), {"reason": refused})
    _bump_version(dataset, expected_version)
    dataset.status = Status.WITHDRAWN
    dataset.save(update_fields=["status", "modified"])
    _record(dataset, user, DatasetChange.Action.WITHDRAWN, note=reason)
    audit.record(actor=user, action="dataset.withdraw", target=dataset,
                 before={"status": Status.PUBLISHED},
                 after={"status": Status.WITHDRAWN, "reason": reason})


def dataset_count_view(*, dataset: Dataset) -> None:
    """A counter, not a change of the dataset: no version, no history, no `modified`."""
    Dataset.objects.filter(pk=dataset.pk).update(view_count=F("view_count") + 1)


# Resources ---------------------------------------------------------------------------------


RESOURCE_AUDITED = ["dataset", "name", "kind", "url", "format", "period", "file", "sha256"]


@dataclass
class ResourceFields:
    name: str
    description: str = ""
    kind: str = ResourceKind.FILE
    url: str = ""
    format: str = ""
    period: str = ""


def _validate_resource(data: ResourceFields, has_file: bool) -> None:
    errors = inputs.problems(inputs.RESOURCE, data)
    if data.kind == ResourceKind.FILE and not has_file:
        errors["file"] = [_("Choose a file to upload.")]
    if data.kind in (ResourceKind.LINK, ResourceKind.API) and not data.url:
        errors["url"] = [_("Enter the address of the link or API.")]
    if errors:
        raise ApplicationError(_("The resource could not be saved."), errors)


def safe_file_name(name: str) -> str:
    """A file name from a client, reduced to something that can never become a path."""
    base = PurePosixPath(name.replace("\\", "/")).name
    try:
        cleaned = get_valid_filename(base)[-120:].lstrip(".")
    except SuspiciousFileOperation:  # Django refuses "." and ".."
        cleaned = ""
    return cleaned or "data"


def hash_file(handle: IO[bytes]) -> tuple[str, int]:
    digest, size = hashlib.sha256(), 0
    handle.seek(0)
    for chunk in iter(lambda: handle.read(1024 * 1024), b""):
        digest.update(chunk)
        size += len(chunk)
    handle.seek(0)
    return digest.hexdigest(), size


def _detect_encoding(handle: IO[bytes], media_type: str) -> str:
    if not (media_type.startswith("text/") or media_type in ("application/json",
                                                            "application/geo+json")):
        return ""
    head = handle.read(64 * 1024)
    handle.seek(0)
    if head.startswith(b"\xef\xbb\xbf"):
        return "utf-8-sig"
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):
        return "utf-16"
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as error:
        # A multi-byte character may be cut at the end of the sample.
        if error.start < len(head) - 4:
            return ""
    return "utf-8"


def _store_file(resource: Resource, upload: File[bytes]) -> str:
    name = safe_file_name(upload.name or "")
    sha256 = getattr(upload, "sha256", None)
    if sha256 is None:
        sha256, _size = hash_file(upload)
    media_type = mimetypes.guess_type(name)[0] or "application/octet-stream"
    resource.sha256 = sha256
    resource.size = upload.size
    resource.media_type = media_type
    resource.encoding = _detect_encoding(upload, media_type)
    suffix = PurePosixPath(name).suffix.lstrip(".").upper()
    resource.format = resource.format or {"GEOJSON": "GeoJSON"}.get(suffix, suffix)
    stored = default_storage.save(f"resources/{resource.dataset_id}/{resource.pk}/{name}", upload)
    resource.file.name = stored
    return stored


def _delete_after_commit(name: str) -> None:
    if name:
        transaction.on_commit(lambda: default_storage.delete(name))


def resource_create(*, user: Actor, dataset: Dataset, data: ResourceFields,
                    upload: File[bytes] | None = None) -> Resource:
    _require(user, Action.EDIT_DATASET, dataset)
    _validate_resource(data, has_file=upload is not None)
    resource = Resource(dataset=dataset, kind=data.kind, name=data.name.strip(),
                        description=data.description, period=data.period,
                        format=data.format.strip(), url=data.url)
    resource.position = dataset.resources.count()
    stored = _store_file(resource, upload) if upload is not None else ""
    try:
        with transaction.atomic():
            resource.save()
            _bump_version(dataset, None)
            _record(dataset, user, DatasetChange.Action.RESOURCE_ADDED, note=resource.name)
            signals.resource_changed.send(sender=Resource, resource=resource)
            audit.record(actor=user, action="resource.create", target=resource,
                         after=audit.snapshot(resource, RESOURCE_AUDITED))
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return resource


def resource_update(*, user: Actor, resource: Resource, data: ResourceFields,
                    upload: File[bytes] | None = None) -> Resource:
    dataset = resource.dataset
    _require(user, Action.EDIT_DATASET, dataset)
    _validate_resource(data, has_file=upload is not None or bool(resource.file))
    old_file = (resource.file.name or "") if upload is not None else ""
    changed = [name for name in ("name", "description", "period", "url", "format")
               if getattr(resource, name) != getattr(data, name)]
    before = audit.snapshot(resource, [*changed, *(["file", "sha256"] if upload else [])])
    for name in ("name", "description", "period", "url", "format"):
        setattr(resource, name, getattr(data, name))
    if upload is not None:
        resource.format = data.format
        changed.append("file")
    stored = _store_file(resource, upload) if upload is not None else ""
    try:
        with transaction.atomic():
            resource.save()
            _bump_version(dataset, None)
            _record(dataset, user, DatasetChange.Action.RESOURCE_UPDATED, changed, resource.name)
            if {"file", "url", "format"} & set(changed):
                signals.resource_changed.send(sender=Resource, resource=resource)
            audit.record(actor=user, action="resource.update", target=resource, before=before,
                         after=audit.snapshot(resource, before))
            _delete_after_commit(old_file)
    except BaseException:
        if stored:
            default_storage.delete(stored)
        raise
    return resource


@transaction.atomic
def resource_delete(*, user: Actor, resource: Resource) -> None:
    dataset = resource.dataset
    _require(user, Action.EDIT_DATASET, dataset)
    _delete_after_commit(resource.file.name or "")
    signals.resource_deleted.send(sender=Resource, resource=resource)
    audit.record(actor=user, action="resource.delete", target=resource,
                 before=audit.snapshot(resource, RESOURCE_AUDITED))
    resource.delete()
    _bump_version(dataset, None)
    _record(dataset, user, DatasetChange.Action.RESOURCE_DELETED, note=resource.name)


# URL names ---------------------------------------------------------------------------------


def suggest_slug(title: str, *, dataset: Dataset | None = None) -> str:
    """A free URL name made from a title: "Đất đai năm 2025" → "dat-dai-nam-2025".

    Diacritics are folded first ("đ" included), so Vietnamese titles give readable names.
    """
    base = slugify(fold(title))[:90].strip("-_")
    if len(base) < 2:
        base = f"dataset-{base}".rstrip("-")
    similar = Dataset.objects.filter(slug__startswith=base)
    if dataset is not None:
        similar = similar.exclude(pk=dataset.pk)
    taken = set(similar.values_list("slug", flat=True))
    candidate, number = base, 2
    while candidate in taken:
        candidate, number = f"{base}-{number}", number + 1
    return candidate
