"""The programme's indicators: actual against target, coloured red, yellow or green.

One module computes them for every page that shows them (library, kab/kota, province and
national pages, the public pages and the dashboards), so that a number means the same
everywhere. All counting happens in the database: a fixed number of grouped queries per call,
whatever the number of activities. Python only combines the few resulting groups (one per
child area, library level and cohort) with the targets.

Public API::

    period = Period.for_year(2024)                 # or for_month / for_quarter / between
    area = Area.for_province(province)             # nation() / for_regency() / for_library()
    report = area_indicators(area, period)         # AreaIndicators for the area as a whole
    total, rows = indicator_breakdown(area, period)   # the area and each child area

How targets add up: a target is per library per month, for a library level and a cohort (or
all cohorts) in a year. A library's target for a period is the sum over the months of the
period in which its cohort had already joined, rounded up to a whole number (indicators count
whole things); an area's target is the sum over its *active* libraries. The
actual compared with that target counts only the libraries that have a target, so a library
without one neither inflates nor dilutes the colour; it is reported as "no target".

Rankings of libraries (``rankings.py``) and activity trends (``trends.py``) use the same
periods and areas.
"""

from __future__ import annotations

import calendar
import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import ROUND_CEILING, ROUND_HALF_UP, Decimal
from zoneinfo import ZoneInfo

from django.db.models import Count, Q, Sum
from django.db.models.functions import Coalesce
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from libraries.models import (
    Activity,
    Agreement,
    BudgetAllocation,
    Indicator,
    Library,
    Province,
    Publication,
    Regency,
    Regulation,
    Strategy,
    Target,
    Threshold,
    VisitorCount,
)
from libraries.models.reporting import DEFAULT_GREEN_FROM, DEFAULT_YELLOW_FROM

# Participant breakdown keys, in display order.
GENDER_KEYS = ("participants_male", "participants_female")
AGE_KEYS = ("age_children", "age_youth", "age_adults", "age_elderly")
BREAKDOWN_KEYS = (*GENDER_KEYS, *AGE_KEYS, "participants_age_known", "information")
# Read once: ``Indicator.values`` rebuilds its list (with the labels) on every access, which
# counts when the report card combines the indicators of thousands of libraries.
INDICATORS: tuple[str, ...] = tuple(member.value for member in Indicator)


# Periods


@dataclass(frozen=True)
class Period:
    """Whole months from ``start`` (a first day) to ``end`` (a last day), both included."""

    start: datetime.date
    end: datetime.date

    def __post_init__(self):
        if self.start.day != 1 or self.end != _month_end(self.end):
            raise ValueError("A period runs over whole months.")
        if self.end < self.start:
            raise ValueError("A period ends after it starts.")

    @classmethod
    def between(cls, first_month: datetime.date, last_month: datetime.date) -> Period:
        return cls(first_month.replace(day=1), _month_end(last_month))

    @classmethod
    def for_month(cls, year: int, month: int) -> Period:
        first = datetime.date(year, month, 1)
        return cls(first, _month_end(first))

    @classmethod
    def for_quarter(cls, year: int, quarter: int) -> Period:
        first = datetime.date(year, 3 * quarter - 2, 1)
        return cls(first, _month_end(datetime.date(year, 3 * quarter, 1)))

    @classmethod
    def for_year(cls, year: int) -> Period:
        return cls(datetime.date(year, 1, 1), datetime.date(year, 12, 31))

    @classmethod
    def year_to_date(cls, time_zone: str, year: int | None = None) -> Period:
        """January to the current month in ``time_zone``, or the whole of an earlier ``year``:
        the period the dashboards and the public pages show by default."""
        today = timezone.localdate(timezone=ZoneInfo(time_zone))
        if year is None or year >= today.year:
            return cls.between(datetime.date(today.year, 1, 1), today)
        return cls.for_year(year)

    @property
    def months(self) -> list[datetime.date]:
        """The first day of every month in the period."""
        months, current = [], self.start
        while current <= self.end:
            months.append(current)
            current = (current.replace(day=28) + datetime.timedelta(days=4)).replace(day=1)
        return months

    @property
    def years(self) -> list[int]:
        return list(range(self.start.year, self.end.year + 1))

    @property
    def label(self) -> str:
        months = self.months
        if len(months) == 1:
            return date_format(self.start, "F Y")
        if len(months) == 12 and self.start.month == 1:
            return str(self.start.year)
        if len(months) == 3 and self.start.month % 3 == 1:
            return _("Quarter %(quarter)d %(year)d") % {
                "quarter": (self.start.month + 2) // 3,
                "year": self.start.year,
            }
        return f"{date_format(self.start, 'F Y')} – {date_format(self.end, 'F Y')}"

    def __str__(self) -> str:
        return self.label


def _month_end(day: datetime.date) -> datetime.date:
    return day.replace(day=calendar.monthrange(day.year, day.month)[1])


# Areas


@dataclass(frozen=True)
class Area:
    """The nation, a province, a kab/kota or one library: what an indicator is computed for."""

    NATION = "nation"
    PROVINCE = "province"
    REGENCY = "regency"
    LIBRARY = "library"

    level: str
    key: str = ""
    name: str = ""

    @classmethod
    def nation(cls) -> Area:
        return cls(cls.NATION, "", str(_("Indonesia")))

    @classmethod
    def for_province(cls, province: Province) -> Area:
        return cls(cls.PROVINCE, province.code, province.name)

    @classmethod
    def for_regency(cls, regency: Regency) -> Area:
        return cls(cls.REGENCY, regency.code, regency.name)

    @classmethod
    def for_library(cls, library: Library) -> Area:
        return cls(cls.LIBRARY, str(library.pk), library.name)

    def library_q(self, prefix: str = "") -> Q:
        """Filter for libraries (``prefix=""``) or rows reaching them through ``prefix``."""
        if self.level == self.NATION:
            return Q()
        lookup = {self.PROVINCE: "province", self.REGENCY: "regency", self.LIBRARY: "pk"}
        return Q(**{prefix + lookup[self.level]: self.key})

    @property
    def child_field(self) -> str | None:
        """Library field that splits this area into its children (None for one library)."""
        return {self.NATION: "province", self.PROVINCE: "regency", self.REGENCY: "pk"}.get(
            self.level
        )

    @property
    def child_level(self) -> str | None:
        return {
            self.NATION: self.PROVINCE,
            self.PROVINCE: self.REGENCY,
            self.REGENCY: self.LIBRARY,
        }.get(self.level)

    def __str__(self) -> str:
        return self.name


# Colours


class Status:
    GREEN = "green"
    YELLOW = "yellow"
    RED = "red"
    NO_TARGET = "none"

    LABELS = {
        GREEN: gettext_lazy("On target"),
        YELLOW: gettext_lazy("Close to target"),
        RED: gettext_lazy("Below target"),
        NO_TARGET: gettext_lazy("No target"),
    }


@dataclass(frozen=True)
class ThresholdRule:
    yellow_from: int = DEFAULT_YELLOW_FROM
    green_from: int = DEFAULT_GREEN_FROM
    is_default: bool = True

    def status(self, actual: int | Decimal, target: Decimal | None) -> str:
        """Green from ``green_from``% of target, yellow from ``yellow_from``%, else red.

        Integer arithmetic on both sides, so an edge (exactly 75%) is never lost to rounding.
        A target of zero asks for nothing and is always met.
        """
        if target is None:
            return Status.NO_TARGET
        actual = Decimal(actual)
        if actual * 100 >= target * self.green_from:
            return Status.GREEN
        if actual * 100 >= target * self.yellow_from:
            return Status.YELLOW
        return Status.RED


def thresholds() -> dict[str, ThresholdRule]:
    rules = {indicator: ThresholdRule() for indicator in INDICATORS}
    for row in Threshold.objects.all():
        rules[row.indicator] = ThresholdRule(row.yellow_from, row.green_from, is_default=False)
    return rules


# Results


@dataclass(frozen=True)
class IndicatorValue:
    """One indicator of one area over a period, with every number behind its colour."""

    indicator: str
    #: Everything the area's libraries recorded in the period.
    actual: int
    #: The part of ``actual`` from libraries that have a target (what the colour compares).
    measured: int
    #: Sum of the targets of the area's libraries over the period; None if none has a target.
    target: Decimal | None
    libraries_with_target: int
    libraries_without_target: int
    rule: ThresholdRule
    status: str

    @property
    def label(self) -> str:
        return str(Indicator(self.indicator).label)

    @property
    def headline(self) -> int:
        """The figure the colour is based on: ``measured`` against a target, else ``actual``.

        Shown as the indicator's big number, so that the number and its colour never disagree
        (``actual`` also counts libraries without a target, which the colour leaves out).
        """
        return self.measured if self.target is not None else self.actual

    @property
    def status_label(self) -> str:
        return str(Status.LABELS[self.status])

    @property
    def percent(self) -> Decimal | None:
        """``measured`` as a percentage of ``target``, one decimal (None without a target)."""
        if not self.target:
            return None
        return (Decimal(self.measured) * 100 / self.target).quantize(
            Decimal("0.1"), rounding=ROUND_HALF_UP
        )

    @property
    def green_at(self) -> Decimal | None:
        """The smallest count from which the indicator turns green (counts are whole)."""
        return None if self.target is None else _whole(self.target * self.rule.green_from / 100)

    @property
    def yellow_at(self) -> Decimal | None:
        return None if self.target is None else _whole(self.target * self.rule.yellow_from / 100)


def _whole(value: Decimal) -> Decimal:
    """Rounded up to a whole number: every indicator counts whole things (activities, people,
    rupiah), so a target of 4.2 MoUs is met only by 5, and reads as 5."""
    return value.to_integral_value(rounding=ROUND_CEILING)


@dataclass
class AreaIndicators:
    area: Area
    period: Period
    values: dict[str, IndicatorValue]
    #: Participants by gender and, where recorded, by age group; information-service count.
    breakdown: dict[str, int]
    #: Active libraries in the area.
    libraries: int

    def __getitem__(self, indicator: str) -> IndicatorValue:
        return self.values[indicator]

    def __iter__(self):
        return iter(self.values.values())

    @property
    def participants_age_unknown(self) -> int:
        return self.values[Indicator.PARTICIPANTS].actual - self.breakdown["participants_age_known"]


# Computation

_Bucket = tuple  # (child key, library level, cohort year, library is active)


def _empty() -> dict[str, int]:
    return defaultdict(int)


def _bucket_fields(child: str | None) -> list[str]:
    fields = ["library__level", "library__cohort_year", "library__status"]
    if child:
        fields.insert(0, f"library__{child}")
    return fields


def _key(row: dict, child: str | None, prefix: str = "library__") -> _Bucket:
    return (
        row[f"{prefix}{child}"] if child else None,
        row[f"{prefix}level"],
        row[f"{prefix}cohort_year"],
        row[f"{prefix}status"] == Library.Status.ACTIVE,
    )


def _actuals(
    area: Area, period: Period, child: str | None, where: Q | None = None
) -> dict[_Bucket, dict[str, int]]:
    """Six grouped queries: activities, visitors, agreements, regulations, budgets and
    publications. ``where`` (a filter on libraries) replaces the area's when given."""
    sums: dict[_Bucket, dict[str, int]] = defaultdict(_empty)
    where = area.library_q("library__") if where is None else where
    fields = _bucket_fields(child)

    def count_where(**lookup):
        return Count("pk", filter=Q(**lookup))

    def sum_of(name, **lookup):
        return Coalesce(Sum(name, filter=Q(**lookup) if lookup else None), 0)

    activities = (
        Activity.objects.filter(where)
        .between(period.start, period.end)
        .values(*fields)
        .annotate(
            **{
                Indicator.ACTIVITIES: Count("pk"),
                Indicator.ENGAGEMENT: count_where(strategy=Strategy.ENGAGEMENT),
                Indicator.ADVOCACY: count_where(strategy=Strategy.ADVOCACY),
                "information": count_where(strategy=Strategy.INFORMATION),
                Indicator.PARTICIPANTS: sum_of("participants_total"),
                "participants_male": sum_of("participants_male"),
                "participants_female": sum_of("participants_female"),
                "participants_age_known": sum_of("participants_total", age_children__isnull=False),
                **{name: sum_of(name) for name in AGE_KEYS},
            }
        )
        .order_by()
    )
    others = _other_records(period, where)
    for row in activities:
        bucket = sums[_key(row, child)]
        for name, value in row.items():
            if not name.startswith("library__"):
                bucket[name] += value or 0
    for queryset, name, aggregate in others:
        for row in queryset.values(*fields).annotate(value=aggregate).order_by():
            sums[_key(row, child)][name] += row["value"] or 0
    return sums


def _other_records(period: Period, where: Q):
    """The records other than activities that indicators sum over a period: (rows, the
    indicator, its aggregate)."""
    return [
        (
            VisitorCount.objects.filter(where).between(period.start, period.end, "month"),
            Indicator.VISITORS,
            Sum("visitors"),
        ),
        (
            Agreement.objects.filter(where).between(period.start, period.end, "signed_on"),
            Indicator.AGREEMENTS,
            Count("pk"),
        ),
        (
            Regulation.objects.filter(where).between(period.start, period.end, "issued_on"),
            Indicator.REGULATIONS,
            Count("pk"),
        ),
        (
            BudgetAllocation.objects.filter(where).between(period.start, period.end, "decided_on"),
            Indicator.BUDGET,
            Sum("amount"),
        ),
        (
            Publication.objects.filter(where).between(period.start, period.end, "published_on"),
            Indicator.PUBLICATIONS,
            Count("pk"),
        ),
    ]


#: Up to this many libraries, their records are read by listed ids (see ``library_figures``).
MAX_LISTED_LIBRARIES = 1000


@dataclass(frozen=True)
class LibraryFigures:
    """One library's row (``pk``, ``name``, ``province``, ``regency``, ``level``, ``status``),
    what it recorded over a period and its own target for each indicator (None without one:
    none set for its level, cohort and years, or the library is not active)."""

    row: dict
    recorded: dict[str, int]
    targets: dict[str, Decimal | None]


def library_figures(period: Period, where: Q) -> list[LibraryFigures]:
    """The report card's inputs of every library matching ``where`` (a filter on libraries),
    in eight queries however many libraries and records there are: the libraries, then one
    grouped sum per kind of record restricted to those libraries' ids (so that each reads
    only their rows of the period through its (library, date) index, never the country's),
    and the targets of the period's years."""
    libraries = list(
        Library.objects.filter(where)
        .values("pk", "name", "province", "regency", "level", "cohort_year", "status")
        .order_by("pk")
    )
    if not libraries:
        return []
    recorded: dict[int, dict[str, int]] = defaultdict(_empty)
    if len(libraries) <= MAX_LISTED_LIBRARIES:
        ids = Q(library__in=[row["pk"] for row in libraries])
    else:
        # Most of the country (the background task's pass over every province): reading the
        # period's records and joining their libraries is the cheaper plan then.
        ids = Q(library__in=Library.objects.filter(where).values("pk"))
    activities = (
        Activity.objects.filter(ids)
        .between(period.start, period.end)
        .values("library")
        .annotate(
            **{
                Indicator.ACTIVITIES: Count("pk"),
                Indicator.ENGAGEMENT: Count("pk", filter=Q(strategy=Strategy.ENGAGEMENT)),
                Indicator.ADVOCACY: Count("pk", filter=Q(strategy=Strategy.ADVOCACY)),
                Indicator.PARTICIPANTS: Coalesce(Sum("participants_total"), 0),
            }
        )
        .order_by()
    )
    for row in activities:
        sums = recorded[row.pop("library")]
        for name, value in row.items():
            sums[name] += value or 0
    for queryset, name, aggregate in _other_records(period, ids):
        for row in queryset.values("library").annotate(value=aggregate).order_by():
            recorded[row["library"]][name] += row["value"] or 0
    targets = _Targets(period)
    result = []
    for row in libraries:
        active = row["status"] == Library.Status.ACTIVE
        own = {}
        for indicator in INDICATORS:
            per_library = (
                targets.for_library(indicator, row["level"], row["cohort_year"]) if active else None
            )
            # Whole, as the indicators read a library's target (``_combine``).
            own[indicator] = None if per_library is None else _whole(per_library)
        result.append(LibraryFigures(dict(row), recorded.get(row["pk"], {}), own))
    return result


def _library_buckets(area: Area, child: str | None, where: Q | None = None) -> dict[_Bucket, int]:
    fields = ["level", "cohort_year", "status"]
    if child:
        fields.insert(0, child)
    rows = (
        Library.objects.filter(area.library_q() if where is None else where)
        .values(*fields)
        .annotate(libraries=Count("pk"))
        .order_by()
    )
    return {_key(row, child, prefix=""): row["libraries"] for row in rows}


class _Targets:
    """Targets of the period's years, resolved for a library level and cohort."""

    def __init__(self, period: Period):
        self.period = period
        self.by_key: dict[tuple, Decimal] = {}
        self._resolved: dict[tuple, Decimal | None] = {}
        for target in Target.objects.filter(year__in=period.years):
            key = (target.indicator, target.level, target.cohort_year, target.year)
            self.by_key[key] = target.per_month

    def for_library(self, indicator: str, level: str, cohort: int) -> Decimal | None:
        """One library's target over the whole period, or None if it has none."""
        key = (indicator, level, cohort)
        if key not in self._resolved:
            self._resolved[key] = self._resolve(indicator, level, cohort)
        return self._resolved[key]

    def _resolve(self, indicator: str, level: str, cohort: int) -> Decimal | None:
        total, found = Decimal(0), False
        for month in self.period.months:
            if cohort > month.year:
                continue  # not yet in the programme that month
            per_month = self.by_key.get((indicator, level, cohort, month.year))
            if per_month is None:
                per_month = self.by_key.get((indicator, level, None, month.year))
            if per_month is not None:
                total += per_month
                found = True
        return total if found else None


def _combine(
    area: Area,
    period: Period,
    actuals: dict[_Bucket, dict[str, int]],
    libraries: dict[_Bucket, int],
    targets: _Targets,
    rules: dict[str, ThresholdRule],
) -> AreaIndicators:
    values = {}
    for indicator in INDICATORS:
        actual = measured = with_target = without_target = 0
        target_sum, has_target = Decimal(0), False
        for bucket in set(actuals) | set(libraries):
            _child, level, cohort, active = bucket
            value = actuals.get(bucket, {}).get(indicator, 0)
            actual += value
            per_library = targets.for_library(indicator, level, cohort) if active else None
            count = libraries.get(bucket, 0)
            if per_library is None:
                if active:
                    without_target += count
                continue
            measured += value
            with_target += count
            if count:
                # Each library's own target is whole, so the targets of the kab/kota add up
                # to the province's.
                target_sum += _whole(per_library) * count
                has_target = True
        target = target_sum if has_target else None
        values[indicator] = IndicatorValue(
            indicator=indicator,
            actual=actual,
            measured=measured,
            target=target,
            libraries_with_target=with_target,
            libraries_without_target=without_target,
            rule=rules[indicator],
            status=rules[indicator].status(measured, target),
        )
    breakdown = dict.fromkeys(BREAKDOWN_KEYS, 0)
    for sums in actuals.values():
        for name in BREAKDOWN_KEYS:
            breakdown[name] += sums.get(name, 0)
    active_libraries = sum(count for bucket, count in libraries.items() if bucket[3])
    return AreaIndicators(area, period, values, breakdown, active_libraries)


def area_indicators(area: Area, period: Period) -> AreaIndicators:
    """Every indicator of ``area`` over ``period`` (nine queries)."""
    actuals = _actuals(area, period, None)
    libraries = _library_buckets(area, None)
    return _combine(area, period, actuals, libraries, _Targets(period), thresholds())


def _child_areas(area: Area, keys: set) -> dict:
    if area.child_level == Area.PROVINCE:
        return {p.code: Area.for_province(p) for p in Province.objects.filter(code__in=keys)}
    if area.child_level == Area.REGENCY:
        # Keyed by kab/kota code, and None for the provincial library.
        named: dict[str | None, Area] = {
            r.code: Area.for_regency(r) for r in Regency.objects.filter(code__in=keys)
        }
        if None in keys:
            # The provincial library sits in no kab/kota: it is its own row.
            named[None] = Area(Area.LIBRARY, "", str(_("Provincial library")))
            provincial = Library.objects.filter(
                province=area.key, level=Library.Level.PROVINCE
            ).first()
            if provincial is not None:
                named[None] = Area.for_library(provincial)
        return named
    return {
        library.pk: Area.for_library(library)
        for library in Library.objects.filter(pk__in=keys).only("pk", "name")
    }


def indicator_breakdown(area: Area, period: Period) -> tuple[AreaIndicators, list[AreaIndicators]]:
    """The area as a whole and each of its children (provinces, kab/kota or libraries).

    Children are those with a library or a record; ordered by name. A fixed number of queries
    (at most ten) however many children and records there are.
    """
    child = area.child_field
    actuals = _actuals(area, period, child)
    libraries = _library_buckets(area, child)
    targets, rules = _Targets(period), thresholds()
    total = _combine(area, period, actuals, libraries, targets, rules)
    if child is None or area.child_level is None:
        return total, []
    child_level = area.child_level
    child_actuals: defaultdict[object, dict[_Bucket, dict[str, int]]] = defaultdict(dict)
    child_libraries: defaultdict[object, dict[_Bucket, int]] = defaultdict(dict)
    for bucket, sums in actuals.items():
        child_actuals[bucket[0]][bucket] = sums
    for bucket, count in libraries.items():
        child_libraries[bucket[0]][bucket] = count
    keys = set(child_actuals) | set(child_libraries)
    names = _child_areas(area, keys)
    rows = [
        _combine(
            names.get(key) or Area(child_level, str(key), str(key)),
            period,
            child_actuals[key],
            child_libraries[key],
            targets,
            rules,
        )
        for key in keys
    ]
    rows.sort(key=lambda row: (row.area.name, row.area.key))
    return total, rows


def regency_breakdown(area: Area, period: Period) -> dict[str, AreaIndicators]:
    """Every kab/kota of ``area`` (the nation or a province), keyed by code.

    The same figures as the kab/kota rows of ``indicator_breakdown`` of a province, for the
    whole country at once: a fixed number of queries (at most nine) however many kab/kota.
    Provincial libraries, which sit in no kab/kota, are left out.
    """
    actuals = _actuals(area, period, "regency")
    libraries = _library_buckets(area, "regency")
    targets, rules = _Targets(period), thresholds()
    grouped_actuals: defaultdict[str, dict[_Bucket, dict[str, int]]] = defaultdict(dict)
    grouped_libraries: defaultdict[str, dict[_Bucket, int]] = defaultdict(dict)
    for bucket, sums in actuals.items():
        if bucket[0] is not None:
            grouped_actuals[bucket[0]][bucket] = sums
    for bucket, count in libraries.items():
        if bucket[0] is not None:
            grouped_libraries[bucket[0]][bucket] = count
    keys = set(grouped_actuals) | set(grouped_libraries)
    names = {r.code: Area.for_regency(r) for r in Regency.objects.filter(code__in=keys)}
    return {
        key: _combine(
            names.get(key) or Area(Area.REGENCY, key, key),
            period,
            grouped_actuals[key],
            grouped_libraries[key],
            targets,
            rules,
        )
        for key in sorted(keys)
    }
