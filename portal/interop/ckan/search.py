"""package_search: CKAN's search parameters, answered by the catalogue's selectors.

Every condition of `q` and `fq` becomes a sub-query of `search_datasets`, so the permission
filter and the meaning of each filter (keywords, formats, folding of Vietnamese text) stay in
`portal.catalog.selectors`; this module only combines them as Solr would.
"""

from __future__ import annotations

import datetime
import operator
import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from functools import reduce
from typing import TYPE_CHECKING, Any

from django.conf import settings
from django.db.models import Q, QuerySet
from django.utils.dateparse import parse_date, parse_datetime
from django.utils.translation import gettext as _

from portal.catalog.models import AccessLevel, Dataset, Status
from portal.catalog.selectors import (
    DatasetQuery,
    extra_filter,
    extra_filters,
    facet_counts,
    search_datasets,
    visible_datasets,
)
from portal.interop.ckan.dictize import with_dict_related
from portal.interop.ckan.errors import CkanValidationError, SearchQueryError
from portal.interop.ckan.ids import agency_pks
from portal.interop.ckan.params import Params
from portal.interop.ckan.query import Query, QuerySyntaxError, Term, parse

if TYPE_CHECKING:
    from portal.accounts.permissions import Actor

ALL = Q(pk__isnull=False)
NONE = Q(pk__in=[])

# CKAN's field -> the DatasetQuery attribute that filters on it.
QUERY_ATTRIBUTES = {
    "organization": "agencies", "groups": "sectors", "tags": "keywords", "res_format": "formats",
    "license_id": "licences", "frequency": "frequencies", "text": "q", "title": "q", "notes": "q",
}
RANGE_FIELDS = {"metadata_modified": "modified", "metadata_created": "created"}
OTHER_FIELDS = {"name", "id", "owner_org", "dataset_type", "type", "capacity", "access_level"}
FIELDS = set(QUERY_ATTRIBUTES) | set(RANGE_FIELDS) | OTHER_FIELDS

# CKAN's facet fields -> the catalogue's facets (portal.catalog.selectors.FACETS).
FACETS = {"organization": "agencies", "groups": "sectors", "tags": "keywords",
          "res_format": "formats", "license_id": "licences", "frequency": "frequencies"}

# CKAN's sort fields -> model fields; relevance (score, rank) falls back to the last change.
SORTS = {"metadata_modified": "modified", "metadata_created": "created", "title_string": "title",
         "title": "title", "name": "slug", "id": "pk", "views_recent": "view_count",
         "views_total": "view_count", "score": None, "rank": None}
DEFAULT_SORT = "score desc, metadata_modified desc"
MAX_QUERY_LENGTH = 2000  # characters of one q or fq

# Solr's parameters CKAN passes through; they tune Solr and mean nothing here.
IGNORED = {"qf", "wt", "bf", "boost", "tie", "defType", "mm", "df", "q.op", "use_default_schema",
           "extras"}
KNOWN = {"q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field", "facet.limit",
         "facet.mincount", "fl", "include_private", "include_drafts", "include_deleted"} | IGNORED


@dataclass(frozen=True)
class Scope:
    """Which datasets a list includes besides published public ones (CKAN's include_* flags)."""

    include_private: bool = False
    include_drafts: bool = False
    include_deleted: bool = False


def scoped(datasets: QuerySet[Dataset], scope: Scope) -> QuerySet[Dataset]:
    statuses = [Status.PUBLISHED]
    statuses += [Status.DRAFT] if scope.include_drafts else []
    statuses += [Status.WITHDRAWN] if scope.include_deleted else []
    datasets = datasets.filter(status__in=statuses)
    if not scope.include_private:
        datasets = datasets.filter(access_level=AccessLevel.PUBLIC)
    return datasets


def listed(user: Actor) -> QuerySet[Dataset]:
    """Published datasets the user may see, public or not: what organizations and groups count."""
    return scoped(visible_datasets(user), Scope(include_private=True))


def _moment(text: str) -> datetime.datetime | None:
    if text == "*":
        return None
    try:
        moment = parse_datetime(text)
        day = None if moment else parse_date(text)
    except ValueError:
        moment = day = None
    if day is not None:
        moment = datetime.datetime.combine(day, datetime.time())
    if moment is None:
        raise QuerySyntaxError(_("`%(value)s` is not a date and time like 2026-01-31T00:00:00Z.")
                               % {"value": text})
    return moment if moment.tzinfo else moment.replace(tzinfo=datetime.UTC)


def _range_q(term: Term) -> Q:
    column = RANGE_FIELDS[term.field]
    low, high = _moment(term.low or "*"), _moment(term.high or "*")
    condition = ALL
    if low is not None:
        condition &= Q(**{f"{column}__{'gt' if term.low_exclusive else 'gte'}": low})
    if high is not None:
        condition &= Q(**{f"{column}__{'lt' if term.high_exclusive else 'lte'}": high})
    return condition


def fields() -> set[str]:
    """The fields q and fq may name: CKAN's, and the filters higher apps added (liveness)."""
    return FIELDS | {extra.name for extra in extra_filters()}


def _value_q(user: Actor, field: str, value: str) -> Q:
    if extra_filter(field) is not None:
        query = DatasetQuery(extra={field: [value]})
        return Q(pk__in=search_datasets(user, query).values("pk"))
    if field in QUERY_ATTRIBUTES:
        attribute = QUERY_ATTRIBUTES[field]
        query = DatasetQuery()
        setattr(query, attribute, value if attribute == "q" else [value])
        return Q(pk__in=search_datasets(user, query).values("pk"))
    if field == "name":
        return Q(slug=value)
    if field == "id":
        try:
            return Q(pk=uuid.UUID(value))
        except ValueError:
            return NONE
    if field == "owner_org":
        return Q(agency_id__in=agency_pks(value))
    if field in ("dataset_type", "type"):
        return ALL if value == "dataset" else NONE
    if field == "capacity":
        public = Q(access_level=AccessLevel.PUBLIC)
        return {"public": public, "private": ~public}.get(value, NONE)
    if field == "access_level":
        return Q(access_level=value)
    raise QuerySyntaxError(_("Search `%(field)s` with a range, as in %(field)s:[2026-01-01 TO *].")
                           % {"field": field})


def _term_q(user: Actor, term: Term) -> Q:
    if term.field == "*":
        return NONE if term.negate else ALL
    if term.is_range:
        if term.field not in RANGE_FIELDS:
            raise QuerySyntaxError(_("Only dates can be searched with a range."))
        condition = _range_q(term)
    else:
        parts = [_value_q(user, term.field, value) for value in term.values]
        condition = reduce(operator.and_ if term.every else operator.or_, parts)
    return ~condition if term.negate else condition


def parse_terms(texts: list[str]) -> Query:
    query: Query = []
    try:
        for text in texts:
            if len(text) > MAX_QUERY_LENGTH:
                raise QuerySyntaxError(_("Write at most %(count)d characters.")
                                       % {"count": MAX_QUERY_LENGTH})
            query += parse(text, fields())
    except QuerySyntaxError as error:
        raise SearchQueryError(str(error)) from None
    return query


def filtered(user: Actor, query: Query) -> QuerySet[Dataset]:
    """The datasets the user may see that meet every group of terms."""
    datasets = search_datasets(user, DatasetQuery())
    try:
        for group in query:
            datasets = datasets.filter(reduce(operator.or_, [_term_q(user, t) for t in group]))
    except QuerySyntaxError as error:
        raise SearchQueryError(str(error)) from None
    return datasets


def order_fields(sort: str) -> list[str]:
    """Model ordering for CKAN's `sort` ("name asc, metadata_modified desc"), name last."""
    fields: list[str] = []
    for part in sort.split(","):
        words = part.split()
        if not words:
            continue
        name, direction = words[0], (words[1].lower() if len(words) > 1 else "asc")
        if name not in SORTS or len(words) > 2:
            raise CkanValidationError({"sort": [_("Cannot sort by field `%(field)s`")
                                             % {"field": part.strip()}]})
        if direction not in ("asc", "desc"):
            raise CkanValidationError({"sort": [_("Invalid sort direction `%(direction)s`")
                                             % {"direction": direction}]})
        column = SORTS[name] or "modified"
        descending = direction == "desc" or SORTS[name] is None
        fields.append(f"-{column}" if descending else column)
    fields = list(dict.fromkeys(fields))
    return [*fields, "slug"] if not {"slug", "-slug", "pk", "-pk"} & set(fields) else fields


@dataclass(frozen=True)
class SearchRequest:
    query: Query
    sort: str
    order: list[str]
    rows: int
    start: int
    facet_fields: list[str]
    facet_limit: int
    facet_mincount: int
    fields: list[str]
    scope: Scope


def _check_known(data: Mapping[str, Any]) -> None:
    unknown = sorted(key for key in data if key not in KNOWN and not key.startswith("ext_"))
    if unknown:
        raise SearchQueryError(_("Invalid search parameters: %(names)s")
                               % {"names": ", ".join(unknown)})


def read_search_request(data: Mapping[str, Any]) -> SearchRequest:
    _check_known(data)
    params = Params(data)
    texts = [params.text("q"), params.text("fq"), *params.string_list("fq_list")]
    sort = params.text("sort").strip() or DEFAULT_SORT
    most = settings.API_MAX_ROWS
    rows = params.natural("rows", min(10, most), maximum=most) or 0
    start = params.natural("start", 0) or 0
    faceting = params.boolean("facet", True)
    facet_fields = params.string_list("facet.field") if faceting else []
    limit = params.integer("facet.limit", min(50, most))
    if limit is not None and limit > most:
        params.fail("facet.limit", _("Must be at most %(maximum)d") % {"maximum": most})
    mincount = params.natural("facet.mincount", 1) or 0
    fields = params.names("fl")
    scope = Scope(params.boolean("include_private", False), params.boolean("include_drafts", False),
                  params.boolean("include_deleted", False))
    params.check()
    facet_limit = most if limit is None or limit < 0 else limit
    return SearchRequest(query=parse_terms(texts), sort=sort, order=order_fields(sort),
                         rows=rows, start=start, facet_fields=list(dict.fromkeys(facet_fields)),
                         facet_limit=facet_limit, facet_mincount=mincount, fields=fields,
                         scope=scope)


@dataclass(frozen=True)
class SearchResult:
    count: int
    datasets: list[Dataset]
    facets: dict[str, list[tuple[str, str, int]]]


def _facet(datasets: QuerySet[Dataset], field: str, limit: int) -> list[tuple[str, str, int]]:
    extra = extra_filter(field)
    if not limit or (field not in FACETS and extra is None):
        return []
    if extra is not None:
        return extra.facet(datasets, limit)
    return facet_counts(datasets, FACETS[field], limit)


def run_search(user: Actor, request: SearchRequest) -> SearchResult:
    """A count, one page of datasets with everything they show, and the facets: a fixed number
    of queries whatever the number of datasets."""
    datasets = scoped(filtered(user, request.query), request.scope)
    count = datasets.count()
    page = (list(with_dict_related(datasets.order_by(*request.order))
                 [request.start:request.start + request.rows]) if request.rows else [])
    facets = {}
    for field in request.facet_fields:
        counts = _facet(datasets, field, request.facet_limit)
        facets[field] = [item for item in counts if item[2] >= request.facet_mincount]
    return SearchResult(count=count, datasets=page, facets=facets)
