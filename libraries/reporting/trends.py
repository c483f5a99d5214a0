"""Activities and participants per year and library cohort, for the trend charts."""

from __future__ import annotations

import datetime
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear

from libraries.models import Activity, Library
from libraries.reporting.indicators import Area


@dataclass(frozen=True)
class TrendPoint:
    """Activities and participants of one year, from the libraries of one cohort."""

    year: int
    cohort_year: int
    activities: int
    participants: int


def activity_trend(
    area: Area, *, provinces: Iterable[str] | None = None, first_year: int | None = None
) -> list[TrendPoint]:
    """Activities and participants per calendar year and library cohort (one query; two
    below the nation).

    ``provinces`` narrows the nation to some provinces (a consultant's); ``first_year`` leaves
    out older years. Sorted by year, then cohort.
    """
    if area.level != Area.NATION:
        return _trend_of_libraries(area, provinces, first_year)
    activities = Activity.objects.filter(area.library_q("library__"))
    if provinces is not None:
        activities = activities.filter(library__province__in=list(provinces))
    if first_year is not None:
        activities = activities.filter(date__gte=datetime.date(first_year, 1, 1))
    rows = (
        activities.annotate(year=ExtractYear("date"))
        .values("year", "library__cohort_year")
        .annotate(activities=Count("pk"), participants=Coalesce(Sum("participants_total"), 0))
        .order_by("year", "library__cohort_year")
    )
    return [
        TrendPoint(
            year=row["year"],
            cohort_year=row["library__cohort_year"],
            activities=row["activities"],
            participants=row["participants"],
        )
        for row in rows
    ]


def _trend_of_libraries(
    area: Area, provinces: Iterable[str] | None, first_year: int | None
) -> list[TrendPoint]:
    """The trend of a province, kab/kota or library: its libraries first, then their
    activities by library id and year, which the (library, date) index serves (joining the
    libraries instead makes the database read every activity of the country)."""
    libraries = Library.objects.filter(area.library_q())
    if provinces is not None:
        libraries = libraries.filter(province__in=list(provinces))
    cohorts = dict(libraries.values_list("pk", "cohort_year"))
    if not cohorts:
        return []
    activities = Activity.objects.filter(library__in=list(cohorts))
    if first_year is not None:
        activities = activities.filter(date__gte=datetime.date(first_year, 1, 1))
    rows = (
        activities.annotate(year=ExtractYear("date"))
        .values("library", "year")
        .annotate(activities=Count("pk"), participants=Coalesce(Sum("participants_total"), 0))
        .order_by()
    )
    sums: dict[tuple[int, int], list[int]] = defaultdict(lambda: [0, 0])
    for row in rows:
        point = sums[(row["year"], cohorts[row["library"]])]
        point[0] += row["activities"]
        point[1] += row["participants"]
    return [
        TrendPoint(year=year, cohort_year=cohort, activities=counts[0], participants=counts[1])
        for (year, cohort), counts in sorted(sums.items())
    ]
