"""Background work of activity reporting: the report cards, recomputed after a change that
touches every province.

A target, a colour threshold or the report card settings weigh on the score of every library
of the country: after such a change commits, every province's cached cards are stale (their
data-version tokens are new), and the first page to read them would compute the 5,000
libraries of the country on its request (seconds). This task computes them instead, for the
periods the pages show unless asked otherwise, so that the pages read them from the cache.
With ``TASKS_BACKEND=database`` the task worker runs it; otherwise (development, tests) it
runs at once in the process that made the change, after the commit.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone
from django_tasks import task

from libraries.models import Province
from libraries.reporting.indicators import Period
from libraries.reporting.reportcard import cards_warm

#: The zone of the national pages (the national dashboard's year runs in WIB).
NATIONAL_ZONE = "Asia/Jakarta"


def default_periods(zones: set[str]) -> list[Period]:
    """The periods the report cards are read over unless a reader picks another: the
    calendar year of the staff report card pages, and the year to date of the national
    dashboard (WIB) and of each province's dashboard and public pages (its own zone)."""
    periods = [
        Period.for_year(timezone.localdate().year),
        Period.year_to_date(NATIONAL_ZONE),
        *(Period.year_to_date(zone) for zone in sorted(zones)),
    ]
    return list(dict.fromkeys(periods))


@task()
def report_cards_warm(*, province_codes: list[str]) -> int:
    """Compute and cache the report cards of these provinces over the default periods (those
    already cached under the current data version are left alone); how many province-periods
    were computed."""
    provinces = Province.objects.filter(code__in=province_codes)
    zones = set(provinces.values_list("time_zone", flat=True))
    return cards_warm(periods=default_periods(zones), province_codes=province_codes)


def report_cards_warm_after_commit(province_codes: list[str]) -> None:
    """Queue :func:`report_cards_warm` once the caller's transaction commits, so that the task
    reads the committed change (never the state before it)."""
    codes = sorted(province_codes)
    transaction.on_commit(lambda: report_cards_warm.enqueue(province_codes=codes))
