"""/api/v1/datasets: search, read, create, change, publish and withdraw datasets."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from django.conf import settings
from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from portal.agencies.models import Agency, Sector
from portal.agencies.selectors import get_agency
from portal.api.auth import caller, writer
from portal.api.schemas import (
    DatasetCreateIn,
    DatasetFieldsIn,
    DatasetOut,
    DatasetPage,
    DatasetPatchIn,
    StateChangeIn,
)
from portal.catalog import selectors, services
from portal.catalog.models import Dataset, Licence
from portal.lib.errors import ApplicationError, NotFound

router = Router(tags=["datasets"])

API_NAMES = {"slug": "name"}  # the catalogue's names of fields, where this API's differ


class DatasetFilters(Schema):
    q: str = Field("", max_length=200, description="Words to find in title, description, "
                   "keywords (diacritics optional).")
    sector: list[str] = Field(default_factory=list, description="Sector codes (any of).")
    agency: list[str] = Field(default_factory=list, description="Agency slugs (any of).")
    format: list[str] = Field(default_factory=list, description="Resource formats (any of).")
    licence: list[str] = Field(default_factory=list, description="Licence codes (any of).")
    frequency: list[str] = Field(default_factory=list, description="Update frequencies.")
    status: str | None = Field(None, description="draft, published or withdrawn.")
    sort: str = Field("modified", pattern="^(modified|created|title|name|views)$")
    limit: int = Field(20, ge=1, le=settings.API_MAX_ROWS)
    offset: int = Field(0, ge=0, le=1_000_000)


@router.get("/datasets", response=DatasetPage, summary="Search the datasets you may see")
def dataset_list(request: HttpRequest, filters: Query[DatasetFilters]) -> DatasetPage:
    query = selectors.DatasetQuery(
        q=filters.q, sectors=filters.sector, agencies=filters.agency, formats=filters.format,
        licences=filters.licence, frequencies=filters.frequency, sort=filters.sort)
    datasets = selectors.search_datasets(caller(request), query)
    if filters.status:
        datasets = datasets.filter(status=filters.status)
    page = selectors.with_related(datasets)[filters.offset:filters.offset + filters.limit]
    return DatasetPage(total=datasets.count(), limit=filters.limit, offset=filters.offset,
                       results=[DatasetOut.of(dataset) for dataset in page])


def _resolve(values: dict[str, Any]) -> dict[str, Any]:
    """Codes from the client (sectors, licence) → records, or 422 naming the unknown ones."""
    errors: dict[str, list[str]] = {}
    codes = values.pop("sectors", [])
    sectors = list(Sector.objects.filter(code__in=codes))
    unknown = sorted(set(codes) - {sector.code for sector in sectors})
    if unknown:
        errors["sectors"] = [_("Unknown sector codes: %(codes)s.") % {"codes": ", ".join(unknown)}]
    code = values.pop("licence", None)
    licence = (Licence.objects.filter(code=code).first() if code
               else Licence.objects.filter(is_default=True).first())
    if licence is None:
        errors["licence"] = [_("Unknown licence code.")]
    if errors:
        raise ApplicationError(_("The dataset could not be saved."), errors)
    values["slug"] = values.pop("name")
    return values | {"sectors": sectors, "licence": licence}


def _fields(payload: DatasetFieldsIn | dict[str, Any]) -> services.DatasetFields:
    values = payload if isinstance(payload, dict) else payload.model_dump(
        exclude={"version", "agency"})
    return services.DatasetFields(**_resolve(values))


@contextmanager
def _api_names() -> Iterator[None]:
    """A service's refusal, its fields named as the client names them."""
    try:
        yield
    except ApplicationError as error:
        error.field_errors = {API_NAMES.get(name, name): messages
                              for name, messages in error.field_errors.items()}
        raise


def _agency_for(request: HttpRequest, slug: str | None) -> Agency:
    if slug is None:
        agency: Agency | None = getattr(request.api_user, "agency", None)  # type: ignore[attr-defined]
        if agency is None:
            raise ApplicationError(_("The dataset could not be saved."),
                                   {"agency": [_("Name the agency that publishes it.")]})
        return agency
    try:
        return get_agency(slug)
    except NotFound:
        raise ApplicationError(_("The dataset could not be saved."),
                               {"agency": [_("Unknown agency.")]}) from None


@router.post("/datasets", response={201: DatasetOut}, summary="Create a dataset (a draft)")
def dataset_create(request: HttpRequest, payload: DatasetCreateIn) -> Status[DatasetOut]:
    user = writer(request)
    agency = _agency_for(request, payload.agency)
    with _api_names():
        dataset = services.dataset_create(user=user, agency=agency, data=_fields(payload))
    return Status(201, DatasetOut.of(selectors.get_dataset(user, str(dataset.pk))))


@router.get("/datasets/{id_or_name}", response=DatasetOut, summary="Read a dataset")
def dataset_detail(request: HttpRequest, id_or_name: str) -> DatasetOut:
    return DatasetOut.of(selectors.get_dataset(caller(request), id_or_name))


def _current(dataset: Dataset) -> dict[str, Any]:
    """A dataset's settable fields as the client writes them, for PATCH to start from."""
    return {
        "name": dataset.slug, "title": dataset.title, "description": dataset.description,
        "keywords": [keyword.name for keyword in dataset.keywords.all()],
        "sectors": [sector.code for sector in dataset.sectors.all()],
        "licence": dataset.licence.code, "access_level": dataset.access_level,
        "frequency": dataset.frequency, "temporal_start": dataset.temporal_start,
        "temporal_end": dataset.temporal_end, "spatial_codes": list(dataset.spatial_codes),
        "source_system": dataset.source_system, "contact_name": dataset.contact_name,
        "contact_email": dataset.contact_email,
    }


def _save(request: HttpRequest, id_or_name: str, values: dict[str, Any],
          version: int | None) -> DatasetOut:
    user = writer(request)
    dataset = selectors.get_dataset(user, id_or_name)
    with _api_names():
        services.dataset_update(user=user, dataset=dataset, data=_fields(values),
                                expected_version=version)
    return DatasetOut.of(selectors.get_dataset(user, str(dataset.pk)))


@router.put("/datasets/{id_or_name}", response=DatasetOut, summary="Replace a dataset's fields")
def dataset_replace(request: HttpRequest, id_or_name: str, payload: DatasetFieldsIn
                    ) -> DatasetOut:
    return _save(request, id_or_name, payload.model_dump(exclude={"version"}), payload.version)


@router.patch("/datasets/{id_or_name}", response=DatasetOut, summary="Change some fields")
def dataset_patch(request: HttpRequest, id_or_name: str, payload: DatasetPatchIn) -> DatasetOut:
    current = _current(selectors.get_dataset(caller(request), id_or_name))
    changes = payload.model_dump(exclude_unset=True, exclude={"version"})
    merged = current | {key: value for key, value in changes.items()
                        if value is not None or key in ("temporal_start", "temporal_end")}
    return _save(request, id_or_name, merged, payload.version)


def _change_state(request: HttpRequest, id_or_name: str, payload: StateChangeIn | None,
                  publish: bool) -> DatasetOut:
    user = writer(request)
    dataset = selectors.get_dataset(user, id_or_name)
    change = payload or StateChangeIn(version=None, reason="")
    if publish:
        services.dataset_publish(user=user, dataset=dataset, expected_version=change.version)
    else:
        services.dataset_withdraw(user=user, dataset=dataset, reason=change.reason,
                                  expected_version=change.version)
    return DatasetOut.of(selectors.get_dataset(user, str(dataset.pk)))


@router.post("/datasets/{id_or_name}/publish", response=DatasetOut, summary="Publish")
def dataset_publish(request: HttpRequest, id_or_name: str,
                    payload: StateChangeIn | None = None) -> DatasetOut:
    return _change_state(request, id_or_name, payload, publish=True)


@router.post("/datasets/{id_or_name}/withdraw", response=DatasetOut, summary="Withdraw")
def dataset_withdraw(request: HttpRequest, id_or_name: str,
                     payload: StateChangeIn | None = None) -> DatasetOut:
    return _change_state(request, id_or_name, payload, publish=False)


@router.delete("/datasets/{id_or_name}", response=DatasetOut,
               summary="Withdraw a published dataset (nothing is ever erased)")
def dataset_delete(request: HttpRequest, id_or_name: str) -> DatasetOut:
    return _change_state(request, id_or_name, None, publish=False)

