"""Rebuilding the dashboards' and public pages' cached aggregates in the background.

After a change commits, the province's and the country's data-version tokens are new and their
cached figures are gone. With a task worker (``TASKS_BACKEND=database``) this task computes the
new ones at once, so that the next visitor of the national dashboard or a province page reads
them from the cache instead of scanning the tables on their request. Without a worker nothing
is queued: the first reader computes them, as before.
"""

from __future__ import annotations

from django.conf import settings
from django_tasks import task

from libraries.data_version import NATIONAL, data_version, on_data_changed
from libraries.models import Province
from libraries.reporting.indicators import Area
from libraries.reporting.reportcard import province_totals
from tpbis_portal.overview.aggregates import (
    aggregates_mark_ready,
    area_product_figures,
    breakdown_of,
    national_summary,
    province_summary,
    trend_of,
    year_to_date,
)


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
        built += 4
    # The dashboards show the figures they rendered before the change until now.
    aggregates_mark_ready(national_version)
    return built


def queue_rebuild(codes: set[str]) -> None:
    rebuild_aggregates.enqueue(
        province_codes=sorted(codes - {NATIONAL}), national_version=data_version(NATIONAL)
    )


def register() -> None:
    """Queue a rebuild after every committed change, when a task worker runs the queue."""
    if settings.TASKS_BACKEND == "database":
        on_data_changed(queue_rebuild)
