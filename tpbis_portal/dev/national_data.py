"""National-scale demo data, generated fast with bulk inserts.

The programme's own volume is the library registry: the full region register and, by default,
5,000 libraries (one provincial library per province, about 400 kab/kota libraries, the rest in
villages of those kab/kota) with cohorts and support tiers. Each app adds its own volume with a
``generate`` function in ``<app>/dev/generators.py``::

    def generate(*, rng: random.Random, scale: float, write: Callable[[str], None]) -> None:
        ...

listed in ``APP_GENERATORS`` below and called after the libraries exist, in that order, with
``scale`` 1.0 meaning national scale (e.g. 3,000 events, 20,000 stories).
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass

from django.db import transaction

from events.dev import generators as events_generators
from impact.dev import generators as impact_generators
from libraries.data_version import province_data_changed
from libraries.dev import generators as libraries_generators
from libraries.models import Library, Province, Regency, Village
from libraries.regions_loader import load_regions

NATIONAL_LIBRARIES = 5_000
# About 8% of the libraries are kab/kota libraries (400 of 514 kab/kota at national scale).
REGENCY_SHARE = 0.08
COHORT_WEIGHTS = {2018: 8, 2019: 20, 2020: 10, 2021: 12, 2022: 15, 2023: 17, 2024: 18}
TIER_WEIGHTS = {
    Library.SupportTier.FULL: 5,
    Library.SupportTier.BOOKS: 3,
    Library.SupportTier.REPLICATION: 2,
}
STATUS_WEIGHTS = {
    Library.Status.ACTIVE: 94,
    Library.Status.INACTIVE: 4,
    Library.Status.WITHDRAWN: 2,
}
_BATCH = 1_000

Hook = Callable[..., None]

# The apps that add their own volume, in the order they run: events before impact, whose
# stories may tell of an event. Listed by hand so that nothing is found by accident; a new
# app adds its generators module here.
APP_GENERATORS = [
    ("libraries", libraries_generators),
    ("events", events_generators),
    ("impact", impact_generators),
]


@dataclass
class Generated:
    provincial: int = 0
    regency: int = 0
    village: int = 0

    @property
    def total(self) -> int:
        return self.provincial + self.regency + self.village


def _pick(rng: random.Random, weights: dict):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


def _cohort(rng: random.Random, *, not_before: int = 2018) -> int:
    years = {year: w for year, w in COHORT_WEIGHTS.items() if year >= not_before}
    return _pick(rng, years or {not_before: 1})


def generate_libraries(*, count: int, rng: random.Random) -> Generated:
    """Add up to ``count`` libraries in regions that have none yet (a second run adds more)."""
    taken_provinces = set(
        Library.objects.filter(level=Library.Level.PROVINCE).values_list("province_id", flat=True)
    )
    taken_regencies = dict(
        Library.objects.filter(level=Library.Level.REGENCY).values_list("regency_id", "cohort_year")
    )
    taken_villages = set(
        Library.objects.filter(level=Library.Level.VILLAGE).values_list("village_id", flat=True)
    )
    provinces = [p for p in Province.objects.order_by("code") if p.code not in taken_provinces]
    provinces = provinces[:count]
    libraries = [
        Library(
            name=f"Dinas Perpustakaan dan Kearsipan Provinsi {province.name}",
            level=Library.Level.PROVINCE,
            province_id=province.code,
            cohort_year=2018,
            support_tier=Library.SupportTier.FULL,
        )
        for province in provinces
    ]
    # At least one kab/kota library, so that village libraries have a kab/kota to belong to.
    regency_count = min(max(round(count * REGENCY_SHARE), 1), count - len(libraries))
    free = [r for r in Regency.objects.order_by("code") if r.code not in taken_regencies]
    chosen = rng.sample(free, min(regency_count, len(free)))
    cohorts = dict(taken_regencies)
    for regency in chosen:
        cohorts[regency.code] = _cohort(rng)
        libraries.append(
            Library(
                name=f"Dinas Perpustakaan {regency.name}",
                level=Library.Level.REGENCY,
                province_id=regency.province_id,
                regency_id=regency.code,
                cohort_year=cohorts[regency.code],
                support_tier=_pick(rng, TIER_WEIGHTS),
                status=_pick(rng, STATUS_WEIGHTS),
                address=f"Jl. Perpustakaan No. {rng.randint(1, 120)}, {regency.name}",
            )
        )
    generated = Generated(provincial=len(provinces), regency=len(chosen))
    # Village libraries sit in kab/kota that take part; their cohort is never before the kab/kota's.
    village_count = count - len(libraries)
    pool = [
        village
        for village in Village.objects.filter(district__regency__in=list(cohorts))
        .order_by("code")
        .only("code", "name", "kind", "district_id")
        if village.code not in taken_villages
    ]
    for village in rng.sample(pool, min(village_count, len(pool))):
        regency_code = village.code[:5]
        libraries.append(
            Library(
                name=f"Perpustakaan {village.get_kind_display()} {village.name}",
                level=Library.Level.VILLAGE,
                province_id=village.code[:2],
                regency_id=regency_code,
                village_id=village.code,
                cohort_year=_cohort(rng, not_before=cohorts[regency_code]),
                support_tier=_pick(rng, TIER_WEIGHTS),
                status=_pick(rng, STATUS_WEIGHTS),
                address=f"Kantor {village.get_kind_display()} {village.name}",
            )
        )
        generated.village += 1
    Library.objects.bulk_create(libraries, batch_size=_BATCH)
    province_data_changed(*{library.province_id for library in libraries})
    return generated


def app_generators() -> list[tuple[str, Hook]]:
    """The ``generate`` hook of each app in ``APP_GENERATORS``, in order."""
    return [(label, module.generate) for label, module in APP_GENERATORS]


def generate_national_data(
    *,
    libraries: int = NATIONAL_LIBRARIES,
    scale: float = 1.0,
    seed: int = 2024,
    regions: bool = True,
    write: Callable[[str], None] = print,
) -> Generated:
    """Fill the database at national scale: regions, libraries, then every app's hook."""
    rng = random.Random(seed)
    if regions:
        report = load_regions()
        write(
            f"Region register: {sum(level.created for level in report.levels.values())} new "
            f"regions in {report.seconds:.1f} s."
        )
    with transaction.atomic():
        generated = generate_libraries(count=libraries, rng=rng)
    write(
        f"Libraries: {generated.total} new ({generated.provincial} provincial, "
        f"{generated.regency} kab/kota, {generated.village} desa/kelurahan)."
    )
    for label, hook in app_generators():
        with transaction.atomic():
            hook(rng=rng, scale=scale, write=write)
            province_data_changed(*Province.objects.values_list("code", flat=True))
        write(f"{label}: done.")
    return generated
