"""Rebuilding the dashboards' and public pages' cached aggregates in the background.

After a change commits, the province's and the country's data-version tokens are new and their
cached figures are gone. With a task worker (``TASKS_BACKEND=database``) this task computes the
new ones at once, so that the next visitor of the national dashboard or a province page reads
them from the cache instead of scanning the tables on their request. Without a worker nothing
is queued: the first reader computes them, as before.
"""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, QueryDict
from django.utils import translation
from django_tasks import task

from libraries.data_version import NATIONAL, data_version, on_data_changed
from libraries.models import Province, Regency
from libraries.reporting.indicators import Area
from libraries.reporting.reportcard import province_totals
from tpbis_portal.overview.addresses import regency_url
from tpbis_portal.overview.aggregates import (
    aggregates_mark_ready,
    area_product_figures,
    breakdown_of,
    national_summary,
    province_gender,
    province_summary,
    trend_of,
    year_to_date,
)
from tpbis_portal.overview.sections import RegencyPage, regency_content


@task()
def rebuild_aggregates(*, province_codes: list[str], national_version: str) -> int:
    """Warm the aggregates of these provinces and of the country; how many were computed.

    Skipped when the data changed again since it was queued: the newer task does the work.
    """
    if data_version(NATIONAL) != national_version:
        return 0
    national_summary()
    breakdown_of(Area.nation(), NATIONAL, year_to_date())
    trend_of(Area.nation(), NATIONAL)
    area_product_figures(NATIONAL)
    # The report cards of the changed provinces, over the national dashboard's year (WIB).
    province_totals(year_to_date(), province_codes)
    built = 4
    for province in Province.objects.filter(code__in=province_codes):
        province_summary(province)
        area = Area.for_province(province)
        breakdown_of(area, province.code, year_to_date(province.time_zone))
        trend_of(area, province.code)
        area_product_figures(province.code, province_codes=(province.code,))
        # The province dashboard reads its report cards over the province's own year.
        province_totals(year_to_date(province.time_zone), [province.code])
        built += 4 + _regency_pages(province, national_version)
    # The dashboards show the figures they rendered before the change until now.
    aggregates_mark_ready(national_version)
    return built


def _regency_pages(province: Province, national_version: str) -> int:
    """Render the first page of each of the province's kab/kota pages, in every language.

    A change names its province, not its kab/kota, so every kab/kota with a participating
    library is rendered: each reads its own libraries' records (and the province's gender
    table and report cards, computed once above for all of them). A kab/kota without one has
    little to compute and is left to its first visitor. Stops when the data change again: the
    newer task renders them for the newer data.
    """
    # The gender table is judged across the province (what one page hides, none gives back).
    province_gender(province)
    codes = [counts.code for counts in province_summary(province).regencies]
    built = 0
    for regency in Regency.objects.filter(code__in=codes).order_by("code"):
        if data_version(NATIONAL) != national_version:
            break
        regency.province = province  # spares a query per kab/kota
        request = HttpRequest()
        request.method = "GET"
        request.path = regency_url(regency, province)
        request.GET = QueryDict()
        for language, _name in settings.LANGUAGES:
            with translation.override(language):
                regency_content(RegencyPage(request=request, province=province, regency=regency))
            built += 1
    return built


def queue_rebuild(codes: set[str]) -> None:
    rebuild_aggregates.enqueue(
        province_codes=sorted(codes - {NATIONAL}), national_version=data_version(NATIONAL)
    )


def register() -> None:
    """Queue a rebuild after every committed change, when a task worker runs the queue."""
    if settings.TASKS_BACKEND == "database":
        on_data_changed(queue_rebuild)
