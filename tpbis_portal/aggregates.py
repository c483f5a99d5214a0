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
from django.db.models import Count
from django.utils import timezone

from libraries.data_version import NATIONAL, data_version
from libraries.models import Library, Province

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


@dataclass
class RegionCounts:
    """Participating (active) libraries of one region, by level, cohort year and tier."""

    code: str
    name: str = ""
    provincial: int = 0
    regency: int = 0
    village: int = 0
    regencies_reached: int = 0
    cohorts: Counter = field(default_factory=Counter)
    tiers: Counter = field(default_factory=Counter)
    cohort_levels: dict = field(default_factory=dict)

    @property
    def total(self) -> int:
        return self.provincial + self.regency + self.village

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
    reached: dict[str, set] = {}
    for province_code, regency_code, _name, level, cohort, tier, count in _rows(Library.objects):
        counts = provinces.setdefault(province_code, RegionCounts(code=province_code))
        counts.add(level, cohort, tier, count)
        if regency_code:
            reached.setdefault(province_code, set()).add(regency_code)
    for code, regencies in reached.items():
        provinces[code].regencies_reached = len(regencies)
    return NationalSummary(provinces=provinces, computed_at=timezone.now())


def province_summary(province: Province) -> ProvinceSummary:
    return cached_aggregate("libraries", province.code, lambda: _compute_province(province))


def national_summary() -> NationalSummary:
    return cached_aggregate("libraries", NATIONAL, _compute_national)
