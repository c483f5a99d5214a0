"""Activities and participants per year and library cohort, for the trend charts."""

from __future__ import annotations

import datetime
from collections.abc import Iterable
from dataclasses import dataclass

from django.db.models import Count, Sum
from django.db.models.functions import Coalesce, ExtractYear

from libraries.models import Activity
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
    """Activities and participants per calendar year and library cohort (one query).

    ``provinces`` narrows the nation to some provinces (a consultant's); ``first_year`` leaves
    out older years. Sorted by year, then cohort.
    """
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
