"""Libraries of a province ranked by an indicator over a period, for the PLM awards::

ranking = library_ranking(province=..., period=..., indicator=Indicator.ACTIVITIES)
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, IntegerField, OuterRef, Subquery, Sum, Value, Window
from django.db.models.functions import Coalesce, Rank

from libraries.models import Activity, Indicator, Library, Province, Strategy, VisitorCount
from libraries.reporting.indicators import Period

RANKING_INDICATORS = (
    Indicator.ACTIVITIES,
    Indicator.ENGAGEMENT,
    Indicator.ADVOCACY,
    Indicator.PARTICIPANTS,
)


@dataclass(frozen=True)
class RankedLibrary:
    rank: int
    tied: bool
    library: Library
    numbers: dict[str, int] = field(default_factory=dict)

    @property
    def value(self) -> int:
        return self.numbers["value"]


def _activity_subquery(period: Period, value, **lookup):
    rows = (
        Activity.objects.filter(library=OuterRef("pk"), **lookup)
        .between(period.start, period.end)
        .values("library")
        .annotate(value=value)
        .values("value")
    )
    return Coalesce(Subquery(rows, output_field=IntegerField()), Value(0))


def library_ranking(
    *,
    province: Province,
    period: Period,
    indicator: str = Indicator.ACTIVITIES,
    level: str | None = Library.Level.VILLAGE,
    limit: int | None = None,
) -> list[RankedLibrary]:
    """Active libraries of a province ranked by ``indicator`` over ``period`` (one query).

    Equal values share a rank (1, 2, 2, 4) and are marked as ties; within a tie the order is
    by name, then by id, so that the same data always gives the same list.
    """
    if indicator not in RANKING_INDICATORS:
        raise ValueError(f"Libraries are not ranked by {indicator}")
    visitors = (
        VisitorCount.objects.filter(library=OuterRef("pk"))
        .between(period.start, period.end, "month")
        .values("library")
        .annotate(value=Sum("visitors"))
        .values("value")
    )
    libraries = Library.objects.active().filter(province=province)
    if level:
        libraries = libraries.filter(level=level)
    libraries = (
        libraries.select_related("regency", "village")
        .annotate(
            n_activities=_activity_subquery(period, Count("pk")),
            n_engagement=_activity_subquery(period, Count("pk"), strategy=Strategy.ENGAGEMENT),
            n_advocacy=_activity_subquery(period, Count("pk"), strategy=Strategy.ADVOCACY),
            n_participants=_activity_subquery(period, Sum("participants_total")),
            n_visitors=Coalesce(Subquery(visitors, output_field=IntegerField()), Value(0)),
        )
        .annotate(value=F(f"n_{indicator}"))
        .annotate(rank=Window(Rank(), order_by=F("value").desc()))
        .order_by("-value", "name", "pk")
    )
    # One row past the limit tells whether the last one shown shares its rank with it.
    ranked = list(libraries[: limit + 1] if limit else libraries)
    per_rank: defaultdict[int, int] = defaultdict(int)
    for library in ranked:
        per_rank[library.rank] += 1
    if limit:
        ranked = ranked[:limit]
    return [
        RankedLibrary(
            rank=library.rank,
            tied=per_rank[library.rank] > 1,
            library=library,
            numbers={
                "value": library.value,
                Indicator.ACTIVITIES: library.n_activities,
                Indicator.ENGAGEMENT: library.n_engagement,
                Indicator.ADVOCACY: library.n_advocacy,
                Indicator.PARTICIPANTS: library.n_participants,
                Indicator.VISITORS: library.n_visitors,
            },
        )
        for library in ranked
    ]
