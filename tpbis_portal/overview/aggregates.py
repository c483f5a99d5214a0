"""Counts of participating libraries per province and per kab/kota, cached.

One grouped query feeds each summary; the result is cached under the province's (or the
country's) data version token from :mod:`libraries.data_version`, which the library services
renew when data changes. Entries also expire after ``AGGREGATE_TTL`` seconds, which bounds how
stale a page can be when several server processes each keep their own cache.
"""

from __future__ import annotations

import datetime
from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TypeVar

from django.core.cache import cache
from django.db.models import Count, Sum
from django.utils import timezone

from events.selectors import public_event_summaries
from impact.products.selectors import ProductFigures, product_figures, public_product_cards
from impact.selectors import (
    public_story_cards,
    public_story_counts,
    public_story_counts_by_region,
)
from libraries.data_version import NATIONAL, data_version
from libraries.models import Activity, Indicator, Library, Province, Regency
from libraries.reporting.indicators import (
    Area,
    Period,
    area_indicators,
    indicator_breakdown,
    regency_breakdown,
)
from libraries.reporting.trends import activity_trend
from tpbis_portal.overview.suppression import MALE, Place, suppress_by_gender

AGGREGATE_TTL = 15 * 60

T = TypeVar("T")


def cached_aggregate(name: str, province_code: str, compute: Callable[[], T]) -> T:
    """``compute()``, cached until the data of ``province_code`` (or the country) changes.

    Other apps' sections cache their own aggregates the same way, under their own ``name``.
    """
    key = f"tpbis:aggregate:{name}:{province_code}:{data_version(province_code)}"
    value = cache.get(key)
    if value is None:
        value = compute()
        cache.set(key, value, AGGREGATE_TTL)
    return value


def _ready_key(national_version: str) -> str:
    return f"tpbis:aggregates-ready:{national_version}"


def aggregates_mark_ready(national_version: str) -> None:
    """The task worker has rebuilt the aggregates of this national data version."""
    cache.set(_ready_key(national_version), True, AGGREGATE_TTL)


def aggregates_ready(national_version: str) -> bool:
    """Whether the aggregates of this data version were rebuilt by the task worker (the
    pages rendered from them may then be rendered anew without scanning the tables)."""
    return bool(cache.get(_ready_key(national_version)))


@dataclass
class RegionCounts:
    """Participating (active) libraries of one region, by level, cohort year and tier."""

    code: str
    name: str = ""
    provincial: int = 0
    regency: int = 0
    village: int = 0
    #: Taman Bacaan Masyarakat: community reading spaces, counted apart from village libraries.
    tbm: int = 0
    regencies_reached: int = 0
    cohorts: Counter = field(default_factory=Counter)
    tiers: Counter = field(default_factory=Counter)
    cohort_levels: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.provincial + self.regency + self.village + self.tbm

    @property
    def villages_reached(self) -> int:
        # A village has at most one library (library_one_per_village).
        return self.village

    @property
    def cohort_years(self) -> list[int]:
        return sorted(self.cohorts)

    @property
    def cohort_range(self) -> str:
        years = self.cohort_years
        if not years:
            return ""
        if len(years) == 1:
            return str(years[0])
        return f"{years[0]}–{years[-1]}"

    def cohort_rows(self) -> list[dict]:
        """One row per cohort year: libraries by level that joined that year."""
        return [
            {"year": year, "total": self.cohorts[year], **self.cohort_levels.get(year, {})}
            for year in self.cohort_years
        ]

    def tier_rows(self) -> list[tuple[str, int]]:
        return [(label, self.tiers.get(value, 0)) for value, label in Library.SupportTier.choices]

    def add(self, level: str, cohort_year: int, tier: str, count: int) -> None:
        if level == Library.Level.PROVINCE:
            self.provincial += count
        elif level == Library.Level.REGENCY:
            self.regency += count
        elif level == Library.Level.TBM:
            self.tbm += count
        else:
            self.village += count
        self.cohorts[cohort_year] += count
        self.tiers[tier] += count
        by_level = self.cohort_levels.setdefault(cohort_year, {})
        by_level[level] = by_level.get(level, 0) + count


@dataclass
class ProvinceSummary:
    totals: RegionCounts
    regencies: list[RegionCounts]
    computed_at: datetime.datetime


@dataclass
class NationalSummary:
    provinces: dict[str, RegionCounts]
    computed_at: datetime.datetime
    #: Every kab/kota with a participating library, by code (for the national open data).
    regencies: dict[str, RegionCounts] = field(default_factory=dict)

    def totals(self, codes: Iterable[str] | None = None) -> RegionCounts:
        """The sum over ``codes`` (every province when None)."""
        total = RegionCounts(code=NATIONAL)
        chosen = self.provinces if codes is None else {c: self.provinces.get(c) for c in codes}
        for counts in chosen.values():
            if counts is None:
                continue
            total.provincial += counts.provincial
            total.regency += counts.regency
            total.village += counts.village
            total.tbm += counts.tbm
            total.regencies_reached += counts.regencies_reached
            total.cohorts.update(counts.cohorts)
            total.tiers.update(counts.tiers)
            for year, levels in counts.cohort_levels.items():
                by_level = total.cohort_levels.setdefault(year, {})
                for level, count in levels.items():
                    by_level[level] = by_level.get(level, 0) + count
        return total


def _rows(libraries):
    return (
        libraries.active()
        .order_by()
        .values(
            "province_id", "regency_id", "regency__name", "level", "cohort_year", "support_tier"
        )
        .annotate(n=Count("pk"))
        .values_list(
            "province_id",
            "regency_id",
            "regency__name",
            "level",
            "cohort_year",
            "support_tier",
            "n",
        )
    )


def _compute_province(province: Province) -> ProvinceSummary:
    totals = RegionCounts(code=province.code, name=province.name)
    regencies: dict[str, RegionCounts] = {}
    for _province, regency_code, regency_name, level, cohort, tier, count in _rows(
        Library.objects.filter(province=province.code)
    ):
        totals.add(level, cohort, tier, count)
        if regency_code:
            regency = regencies.setdefault(
                regency_code, RegionCounts(code=regency_code, name=regency_name)
            )
            regency.add(level, cohort, tier, count)
    totals.regencies_reached = len(regencies)
    return ProvinceSummary(
        totals=totals,
        regencies=[regencies[code] for code in sorted(regencies)],
        computed_at=timezone.now(),
    )


def _compute_national() -> NationalSummary:
    provinces: dict[str, RegionCounts] = {}
    regencies: dict[str, RegionCounts] = {}
    reached: dict[str, set] = {}
    for province_code, regency_code, name, level, cohort, tier, count in _rows(Library.objects):
        counts = provinces.setdefault(province_code, RegionCounts(code=province_code))
        counts.add(level, cohort, tier, count)
        if regency_code:
            reached.setdefault(province_code, set()).add(regency_code)
            regency = regencies.setdefault(regency_code, RegionCounts(code=regency_code, name=name))
            regency.add(level, cohort, tier, count)
    for code, codes in reached.items():
        provinces[code].regencies_reached = len(codes)
    return NationalSummary(
        provinces=provinces,
        computed_at=timezone.now(),
        regencies={code: regencies[code] for code in sorted(regencies)},
    )


def province_summary(province: Province) -> ProvinceSummary:
    return cached_aggregate("libraries", province.code, lambda: _compute_province(province))


def national_summary() -> NationalSummary:
    return cached_aggregate("libraries", NATIONAL, _compute_national)


# --- Indicators and stories -------------------------------------------------------------------

#: The indicators public pages show, in this order (the budget stays on the staff pages).
KEY_INDICATORS = (
    Indicator.ACTIVITIES,
    Indicator.ENGAGEMENT,
    Indicator.ADVOCACY,
    Indicator.PARTICIPANTS,
    Indicator.VISITORS,
    Indicator.AGREEMENTS,
    Indicator.REGULATIONS,
)
#: A count of people this small, split by gender, could point at one person (see
#: ``suppress_small`` and ``province_gender``).
SMALL_CELL_MAX = 2
NATIONAL_ZONE = "Asia/Jakarta"


def year_to_date(time_zone: str = NATIONAL_ZONE, year: int | None = None) -> Period:
    """January to the current month in ``time_zone``, or the whole of an earlier ``year``."""
    return Period.year_to_date(time_zone, year)


def suppress_small(counts: dict[str, int]) -> dict[str, int | None]:
    """A breakdown of people with every cell hidden (None) if any cell counts 1 or 2.

    A group of one or two people of a gender in a small place could be recognised, and with
    the total (which stays) a single hidden cell could be worked out by subtraction. This
    judges one area alone, as the staff dashboards show it; what the public sees is hidden
    across the whole province at once (``province_gender``), so that no total or other row
    gives a hidden count back. Zero stays: it points at nobody.
    """
    if any(0 < count <= SMALL_CELL_MAX for count in counts.values()):
        return dict.fromkeys(counts)
    return dict(counts)


def participants_by_gender(breakdown: dict[str, int]) -> dict[str, int | None]:
    """One place's participants by gender, judged alone (the dashboards: staff only)."""
    return suppress_small(
        {"male": breakdown["participants_male"], "female": breakdown["participants_female"]}
    )


#: Nobody to hide: a place without participants in the period.
NO_PARTICIPANTS = {"male": 0, "female": 0}


def _gender_table(province: Province, period: Period) -> dict[tuple[str, str], dict]:
    """Participants by gender of the province, each kab/kota and each library, as the public
    pages and the open data show them: small counts hidden with every cell that would give one
    back by subtraction (``tpbis_portal.overview.suppression``). One grouped query.

    Keyed by ``("province", code)``, ``("regency", code)`` and ``("library", str(pk))``. A
    withdrawn library has no page: its counts are unknown to readers but are in the totals.
    """
    rows = (
        Activity.objects.filter(library__province=province.code)
        .between(period.start, period.end)
        .values("library", "library__regency", "library__status")
        .annotate(male=Sum("participants_male"), female=Sum("participants_female"))
        # The same rows in the same order every time: the pages and the open data that read
        # the table after the cache expires must hide the same cells.
        .order_by("library")
    )
    root = ("province", province.code)
    places: list[Place] = []
    sums: dict[tuple, list[int]] = {root: [0, 0]}
    for row in rows:
        male, female = row["male"] or 0, row["female"] or 0
        parent = ("regency", row["library__regency"]) if row["library__regency"] else root
        for key in {root, parent}:
            total = sums.setdefault(key, [0, 0])
            total[0] += male
            total[1] += female
        places.append(
            Place(
                ("library", str(row["library"])),
                parent,
                male,
                female,
                published=row["library__status"] == Library.Status.ACTIVE,
            )
        )
    for key, (male, female) in sums.items():
        places.append(Place(key, None if key == root else root, male, female))
    hidden = suppress_by_gender(places, small=SMALL_CELL_MAX)
    return {
        place.key: {
            gender: None if (place.key, gender) in hidden else place.count(gender)
            for gender in (MALE, "female")
        }
        for place in places
    }


def province_gender(province: Province, period: Period | None = None) -> Stamped:
    """``Stamped`` table of ``_gender_table``, by default for the year to date."""
    period = period or year_to_date(province.time_zone)
    return cached_aggregate(
        _period_key("gender", period),
        province.code,
        _stamped(lambda: _gender_table(province, period)),
    )


def _period_key(name: str, period: Period) -> str:
    return f"{name}:{period.start:%Y%m}-{period.end:%Y%m}"


@dataclass
class Stamped:
    """A cached figure and when it was computed (for the "data as of" stamp)."""

    value: object
    computed_at: datetime.datetime


def _stamped(compute: Callable[[], T]) -> Callable[[], Stamped]:
    return lambda: Stamped(compute(), timezone.now())


def province_indicators(province: Province, period: Period | None = None) -> Stamped:
    """``Stamped(AreaIndicators)`` of a province, by default for the year to date."""
    period = period or year_to_date(province.time_zone)
    return cached_aggregate(
        _period_key("indicators", period),
        province.code,
        _stamped(lambda: area_indicators(Area.for_province(province), period)),
    )


def regency_indicators(regency: Regency, period: Period | None = None) -> Stamped:
    """``Stamped(AreaIndicators)`` of a kab/kota, cached with its province's data."""
    period = period or year_to_date(regency.province.time_zone)
    return cached_aggregate(
        _period_key(f"indicators-regency-{regency.code}", period),
        regency.province_id,
        _stamped(lambda: area_indicators(Area.for_regency(regency), period)),
    )


def regencies_of(area: Area, province_code: str, period: Period) -> Stamped:
    """``Stamped({code: AreaIndicators})``: every kab/kota of the area (``regency_breakdown``)."""
    return cached_aggregate(
        _period_key(f"regencies-{area.level}-{area.key}", period),
        province_code,
        _stamped(lambda: regency_breakdown(area, period)),
    )


def library_indicators(library: Library, period: Period | None = None) -> Stamped:
    period = period or year_to_date(library.province.time_zone)
    return cached_aggregate(
        _period_key(f"indicators-library-{library.pk}", period),
        library.province_id,
        _stamped(lambda: area_indicators(Area.for_library(library), period)),
    )


def breakdown_of(area: Area, province_code: str, period: Period):
    """``indicator_breakdown`` of an area, cached with the data of its province (or nation)."""
    return cached_aggregate(
        _period_key(f"breakdown-{area.level}-{area.key}", period),
        province_code,
        _stamped(lambda: indicator_breakdown(area, period)),
    )


def trend_of(area: Area, province_code: str, provinces: tuple[str, ...] | None = None):
    """Activities per year and cohort (``reporting.trends.activity_trend``), cached."""
    scope_key = "-".join(provinces) if provinces is not None else "all"
    return cached_aggregate(
        f"trend-{area.level}-{area.key}-{scope_key}",
        province_code,
        _stamped(lambda: activity_trend(area, provinces=provinces)),
    )


@dataclass
class StoryCards:
    stories: list
    total: int


def province_stories(
    province: Province, *, library: Library | None = None, regency: Regency | None = None
) -> StoryCards:
    """The newest public stories of a province, kab/kota or library, cached with the
    province's data."""

    def compute():
        stories, total = public_story_cards(
            province_code=province.code,
            library_id=library.pk if library else None,
            regency_code=regency.code if regency else None,
        )
        return StoryCards(stories, total)

    if library:
        name = f"stories-library-{library.pk}"
    elif regency:
        name = f"stories-regency-{regency.code}"
    else:
        name = "stories"
    return cached_aggregate(name, province.code, compute)


def national_story_counts() -> tuple[dict[str, int], dict[str, int]]:
    """Public stories per province and per kab/kota of the whole country."""
    return cached_aggregate("story-counts", NATIONAL, public_story_counts_by_region)


@dataclass
class ProductCards:
    products: list
    total: int
    figures: ProductFigures


def province_products(province: Province) -> ProductCards:
    """The newest consented products of a province, and the province's product figures."""

    def compute():
        figures = product_figures(province_codes=(province.code,))
        if not figures.products:
            return ProductCards([], 0, figures)  # nothing to show: no query for the cards
        products, total = public_product_cards(province_code=province.code)
        return ProductCards(products, total, figures)

    return cached_aggregate("products", province.code, compute)


def area_product_figures(
    cache_code: str,
    *,
    province_codes: tuple[str, ...] | None = None,
    regency_code: str | None = None,
    library_id: int | None = None,
) -> ProductFigures:
    """Product figures of a dashboard area, cached under the data of its province (or the
    country's)."""
    name = f"product-figures-{province_codes}-{regency_code}-{library_id}"
    return cached_aggregate(
        name,
        cache_code,
        lambda: product_figures(
            province_codes=province_codes, regency_code=regency_code, library_id=library_id
        ),
    )


def story_counts_by_regency(province: Province) -> dict[str | None, int]:
    return cached_aggregate(
        "story-counts", province.code, lambda: public_story_counts(province.code)
    )


@dataclass
class EventList:
    events: list
    total: int


def province_events(province: Province, regency: Regency | None = None) -> Stamped:
    """The latest Bimtek, PLM and SHM held in a province (or one of its kab/kota),
    attendance as counts only."""

    def compute():
        events, total = public_event_summaries(
            province_code=province.code, regency_code=regency.code if regency else None
        )
        return EventList(events, total)

    name = f"events-regency-{regency.code}" if regency else "events"
    return cached_aggregate(name, province.code, _stamped(compute))
