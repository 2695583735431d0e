"""Formatting filters of the catalogue's pages."""

from __future__ import annotations

import pytest
from django.utils import translation

from portal.catalog.models import DatasetChange
from portal.catalog.templatetags import catalog_extras as extras
from portal.lib.places import province


@pytest.mark.parametrize(("value", "words"), [
    ("2026-03-05", "day 05/03/2026"),
    ("2026-W10", "week 10/2026"),
    ("2026-03", "month 03/2026"),
    ("2026-Q1", "quarter 1/2026"),
    ("2026-H1", "first half of 2026"),
    ("2026-H2", "second half of 2026"),
    ("2026", "year 2026"),
    ("mùa khô 2026", "mùa khô 2026"),
    ("", ""),
])
def test_period_in_words(value: str, words: str) -> None:
    with translation.override("en"):
        assert extras.period(value) == words


def test_markdown_is_rendered_and_sanitised() -> None:
    html = extras.markdown("**đậm** <script>x()</script> [a](javascript:y())")
    assert "<strong>đậm</strong>" in html
    assert "<script>" not in html
    assert "javascript:" not in html


def test_filesize_is_empty_when_unknown() -> None:
    assert extras.filesize(None) == ""
    with translation.override("en"):
        assert extras.filesize(2048) == "2.0\xa0KB"


def test_unit_names_come_from_the_administrative_units() -> None:
    code = str(int(province().code))
    assert extras.unit_names([code]) == [province().name]


def test_safe_url_refuses_scripts() -> None:
    assert extras.safe_url("https://data.gov.vn/") == "https://data.gov.vn/"
    assert extras.safe_url("JavaScript:alert(1)") == ""
    assert extras.safe_url("data:text/html,x") == ""
    assert extras.safe_url(None) == ""


def test_thousands_use_the_language_separator() -> None:
    with translation.override("vi"):
        assert extras.thousands(1234567) == "1.234.567"
    with translation.override("en"):
        assert extras.thousands(1234567) == "1,234,567"


def test_change_fields_names_dataset_and_resource_fields() -> None:
    with translation.override("en"):
        dataset_change = DatasetChange(action="updated", fields=["title", "gone"])
        assert extras.change_fields(dataset_change) == ["Title", "gone"]
        resource_change = DatasetChange(action="resource_updated", fields=["file"])
        assert extras.change_fields(resource_change) == ["File"]


def test_dom_id_is_stable_and_html_safe() -> None:
    assert extras.dom_id("dân số") == extras.dom_id("dân số")
    assert extras.dom_id("dân số") != extras.dom_id("dan so")
    assert extras.dom_id('a"b').isalnum()


def test_markdown_headings_fit_under_the_page_headings() -> None:
    html = extras.markdown("## Cấu trúc\n\n### Cột\n\n###### Sâu", 3)
    assert "<h3>Cấu trúc</h3>" in html
    assert "<h4>Cột</h4>" in html
    assert "<h6>Sâu</h6>" in html
    assert "<h2>" in extras.markdown("## Cấu trúc")
    assert "<h3>Cột</h3>" in extras.markdown("#### Cột", 3)
