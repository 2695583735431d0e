"""What a request costs, in the units of the rate-limit budgets (`ratelimit.py`).

Rate limits price work, not calls: a harvester that reads the whole catalogue one dataset at a
time must finish, while one address cannot keep the data engine busy. Every request costs
`units` in its caller's budget (`RATE_LIMIT_ANONYMOUS` or `RATE_LIMIT_TOKEN`); costly work
(data queries that filter, search or sort, SQL, exports, dumps) costs besides `costly` units in
a strict budget of its own (`RATE_LIMIT_ANONYMOUS_COSTLY`, `RATE_LIMIT_TOKEN_COSTLY`).

One unit is about the server time of one `package_show` (25-70 ms measured on the demo
catalogue); the table of docs/security.md lists every price and why. A request is priced by
the URL name it resolves to (the CKAN action for the CKAN API) and by the parameters that
change its cost: the rows a search asks for; filters, words or a sort on a table. A CKAN
body is read for that only when it is small JSON or a small form: anything else (a file
upload, a large body) is priced as the most its action can cost.
"""

from __future__ import annotations

import json
import math
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.urls import Resolver404, resolve

from portal.lib.htmx import is_fragment


@dataclass(frozen=True)
class Price:
    units: int  # in the caller's budget
    costly: int = 0  # in the strict budget of costly work; 0 for everything else


READ = Price(1)  # a catalogue record or list: package_show, organization_show, /api/v1/sectors
PAGE = Price(2)  # a page (or a fragment of one) for an anonymous visitor
WRITE = Price(2)  # a write through an API (a token's; anonymous writes are refused anyway)
TABLE_PAGE = Price(2)  # rows of a table in their stored order: a page of records, unfiltered
QUERY = Price(1, 1)  # rows a filter, words or a sort select: table search, datastore_search
AGGREGATE = Price(1, 2)  # groups and sums over a whole table
SQL = Price(1, 10)  # one public SQL statement (up to DATASTORE_QUERY_TIMEOUT)
EXPORT = Price(1, 20)  # a file written from a table: export.*, /datastore/dump
FORM = Price(2, 1)  # a public form posted by an anonymous visitor (it may write)
# What the public sends without an account that is kept and read by people, and e-mails them:
# feedback, data requests, follows. One address sends at most a few a minute.
SUBMISSION = Price(2, 20)

ROWS_PER_UNIT = 10  # a search costs one unit per 10 datasets it asks for (a package_show each)
PEEK_BYTES = 64 * 1024  # the largest CKAN body read to price a call
SAFE_METHODS = ("GET", "HEAD", "OPTIONS")
# Parameters of a records query that only page through the stored order.
PLAIN_RECORDS = frozenset({"limit", "offset", "cursor", "fields", "include_total", "sheet",
                           "version", "records_format", "resource_id", "id", "language",
                           "plain", "total_estimation_threshold"})
# Parameters of the preview table (datastore/preview.py) that search, filter or sort.
PREVIEW_SEARCH = ("q", "sort", "value")
# The APIs, and CKAN's DataStore dump beside them.
API_PREFIXES = ("/api/", "/datastore/dump/")
# Addresses that take POST to read: CKAN's actions (priced by name) and /api/v1/sql (which
# resolves to the name of its first operation, sql_get, whatever the method).
POSTED_READS = frozenset({"interop:ckan_action", "interop:ckan_action_unversioned",
                          "api-v1:sql_get", "api-v1:sql_post"})

# URL names of those submissions, on the pages and in /api/v1 (any method but GET and HEAD).
SUBMISSIONS = frozenset({
    "feedback:dataset_feedback", "feedback:resource_feedback", "feedback:request_new",
    "api-v1:dataset_feedback_create", "api-v1:request_create", "follows:follow",
})

Params = Mapping[str, Any]
Pricer = Callable[[HttpRequest, dict[str, Any]], Price]


def searching(params: Params, plain: frozenset[str]) -> bool:
    """The query filters, searches or sorts: some parameter outside `plain` has a value."""
    return any(key not in plain and params.get(key) not in (None, "", [], {}, False, "false")
               for key in params)


def search_price(rows: Any, default: int) -> Price:
    """One unit per ROWS_PER_UNIT datasets asked for (at least one); a value that is not a
    number is refused by the action, which costs little."""
    try:
        asked = int(str(rows if rows is not None else default))
    except ValueError:
        return READ
    asked = min(max(asked, 1), settings.API_MAX_ROWS)
    return Price(math.ceil(asked / ROWS_PER_UNIT))


# The CKAN API ---------------------------------------------------------------------------------


def ckan_params(request: HttpRequest) -> Params | None:
    """The call's parameters as far as they are cheap to read; None when they are not."""
    if request.method != "POST":
        return request.GET
    if request.content_type == "multipart/form-data":
        return None
    try:
        length = int(request.META.get("CONTENT_LENGTH") or 0)
    except ValueError:
        return None
    if length == 0:
        return request.GET
    if length > PEEK_BYTES:
        return None
    try:
        if request.content_type == "application/x-www-form-urlencoded":
            return QueryDict(request.body, encoding=request.encoding)
        data = json.loads(request.body)
    except (ValueError, UnicodeDecodeError, RecursionError):  # the action will refuse it
        return None
    return data if isinstance(data, dict) else None


def _datastore_search(params: Params | None) -> Price:
    return QUERY if params is None or searching(params, PLAIN_RECORDS) else TABLE_PAGE


def _rows(key: str, default: int) -> Callable[[Params | None], Price]:
    def price(params: Params | None) -> Price:
        if params is None:
            return search_price(settings.API_MAX_ROWS, default)
        return search_price(params.get(key), default)
    return price


CKAN_ACTIONS: dict[str, Callable[[Params | None], Price]] = {
    "package_search": _rows("rows", 10),
    "current_package_list_with_resources": _rows("limit", 10),
    "datastore_search": _datastore_search,
    "datastore_search_sql": lambda params: SQL,
}
CKAN_WRITES = frozenset({
    "package_create", "package_update", "package_patch", "package_delete", "resource_create",
    "resource_update", "resource_patch", "resource_delete", "organization_member_create",
    "organization_member_delete", "api_token_revoke",
})


def ckan_action(request: HttpRequest, kwargs: dict[str, Any]) -> Price:
    name = str(kwargs.get("action", ""))
    if name in CKAN_WRITES:
        return WRITE
    pricer = CKAN_ACTIONS.get(name)
    return READ if pricer is None else pricer(ckan_params(request))


# /api/v1 and pages ----------------------------------------------------------------------------


def _records(request: HttpRequest, kwargs: dict[str, Any]) -> Price:
    return QUERY if searching(request.GET, PLAIN_RECORDS) else TABLE_PAGE


def _preview(request: HttpRequest, kwargs: dict[str, Any]) -> Price:
    """The resource page and the embedded table show a page of the table: paging costs a
    page; a search, a filter or a sort is a data query, and so is every htmx fragment of it
    (a script asking for fragments pages through a table as the data API would)."""
    params = request.GET
    searched = any(params.get(name) for name in PREVIEW_SEARCH) or params.get("op") == "is_null"
    return QUERY if searched or is_fragment(request) else PAGE


def _fixed(price: Price) -> Pricer:
    return lambda request, kwargs: price


BY_URL_NAME: dict[str, Pricer] = {
    "interop:ckan_action": ckan_action,
    "interop:ckan_action_unversioned": ckan_action,
    "interop:datastore_dump": _fixed(EXPORT),
    "api-v1:dataset_list": lambda request, kwargs: search_price(request.GET.get("limit"), 20),
    "api-v1:records": _records,
    "api-v1:aggregate": _fixed(AGGREGATE),
    "api-v1:sql_get": _fixed(SQL),
    "api-v1:sql_post": _fixed(SQL),
    "api-v1:export": _fixed(EXPORT),
    "catalog:resource_detail": _preview,
    "datastore:embed_table": _preview,
}


def price_of(request: HttpRequest) -> Price:
    """What `request` costs: the price of its URL name, else READ in the APIs and PAGE for
    pages; a write costs WRITE in the APIs and FORM on pages, a public submission (feedback,
    a data request, a follow) SUBMISSION at either door."""
    api = request.path.startswith(API_PREFIXES)
    try:
        match = resolve(request.path_info)
    except Resolver404:
        name, kwargs = "", {}
    else:
        name, kwargs = match.view_name, match.kwargs
    if request.method not in SAFE_METHODS and name in SUBMISSIONS:
        return SUBMISSION
    if request.method not in SAFE_METHODS and name not in POSTED_READS:
        return WRITE if api else FORM
    pricer = BY_URL_NAME.get(name)
    if pricer is not None:
        return pricer(request, kwargs)
    return READ if api else PAGE
