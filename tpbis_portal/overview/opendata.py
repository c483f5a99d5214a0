"""Open data: a province's public aggregates, and its participating libraries, as CSV."""

from __future__ import annotations

import datetime
from zoneinfo import ZoneInfo

from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from libraries.exports import stream_csv
from libraries.models import Indicator, Library, Province
from libraries.reporting.indicators import Area
from tpbis_portal.overview.aggregates import (
    KEY_INDICATORS,
    NO_PARTICIPANTS,
    SMALL_CELL_MAX,
    RegionCounts,
    breakdown_of,
    province_gender,
    province_summary,
    story_counts_by_regency,
    year_to_date,
)


@require_GET
def province_csv(request, code: str, slug: str = ""):
    """The province's public aggregates as open data: one row per kab/kota and a total.

    Libraries by level, cohort and tier; the year-to-date indicators against target; and
    the published stories. Participants by gender are hidden where a count is small, and
    wherever they would give such a count back together with the other rows, the library
    pages or the row's own total (``aggregates.province_gender``); a note on the row says so.
    """
    province = get_object_or_404(Province, code=code)
    summary = province_summary(province)
    period = year_to_date(province.time_zone)
    figures = breakdown_of(Area.for_province(province), province.code, period)
    indicator_total, indicator_rows = figures.value
    by_regency = {row.area.key: row for row in indicator_rows if row.area.level == Area.REGENCY}
    stories = story_counts_by_regency(province)
    genders = province_gender(province, period)
    tiers = [value for value, _label in Library.SupportTier.choices]
    hidden = _("hidden")
    header = [
        _("Region code"),
        _("Region"),
        _("Provincial libraries"),
        _("Kabupaten/kota libraries"),
        _("Desa/kelurahan libraries"),
        _("Community reading spaces (TBM)"),
        _("Kabupaten/kota reached"),
        _("Desa/kelurahan reached"),
        _("Cohort years"),
        *[str(label) for _value, label in Library.SupportTier.choices],
        _("Indicator period"),
    ]
    for indicator in KEY_INDICATORS:
        label = str(Indicator(indicator).label)
        # The colour compares what the libraries with a target achieved with their target:
        # that figure and the number of libraries it covers sit beside everything recorded.
        header += [
            label,
            _("%(indicator)s: from libraries with a target") % {"indicator": label},
            _("%(indicator)s: libraries with a target") % {"indicator": label},
            _("%(indicator)s: target") % {"indicator": label},
            _("%(indicator)s: status") % {"indicator": label},
        ]
    header += [
        _("Male participants"),
        _("Female participants"),
        _("Published stories"),
        _("Notes"),
        _("Data as of (UTC)"),
    ]
    stamp = min(summary.computed_at, figures.computed_at, genders.computed_at)
    stamp = stamp.astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")
    period_text = f"{period.start:%Y-%m}/{period.end:%Y-%m}"

    def indicator_cells(report) -> list:
        cells = []
        for indicator in KEY_INDICATORS:
            value = report[indicator] if report is not None else None
            if value is None or value.target is None:
                cells += [value.actual if value else 0, "", 0, "", ""]
                continue
            cells += [
                value.actual,
                value.measured,
                value.libraries_with_target,
                int(value.target),
                value.status_label,
            ]
        return cells

    def note(gender: dict, report) -> str:
        if gender["male"] is not None and gender["female"] is not None:
            return ""
        breakdown = report.breakdown if report is not None else {}
        counts = [breakdown.get(f"participants_{gender}", 0) for gender in ("male", "female")]
        if any(0 < count <= SMALL_CELL_MAX for count in counts):
            return _(
                "Participants by gender hidden: a count of 1 or 2 people could point at a person."
            )
        return _(
            "Participants by gender hidden: with the other rows, the library pages or the "
            "total they would give back a count of 1 or 2 people elsewhere."
        )

    def row(counts: RegionCounts, key: tuple, reached: int | str, report, story_count: int):
        gender = genders.value.get(key, NO_PARTICIPANTS)
        return [
            counts.code,
            counts.name,
            counts.provincial,
            counts.regency,
            counts.village,
            counts.tbm,
            reached,
            counts.villages_reached,
            " ".join(str(year) for year in counts.cohort_years),
            *[counts.tiers.get(tier, 0) for tier in tiers],
            period_text,
            *indicator_cells(report),
            hidden if gender["male"] is None else gender["male"],
            hidden if gender["female"] is None else gender["female"],
            story_count,
            note(gender, report),
            stamp,
        ]

    rows = [
        row(
            summary.totals,
            ("province", province.code),
            summary.totals.regencies_reached,
            indicator_total,
            sum(stories.values()),
        )
    ]
    rows += [
        row(
            regency,
            ("regency", regency.code),
            "",
            by_regency.get(regency.code),
            stories.get(regency.code, 0),
        )
        for regency in summary.regencies
    ]
    filename = (
        f"tpbis-{province.code}-{slugify(province.name)}-"
        f"{timezone.localdate(summary.computed_at, timezone=_zone(province)):%Y%m%d}.csv"
    )
    return stream_csv(filename, header, rows)


@require_GET
def province_libraries_csv(request, code: str, slug: str = ""):
    """The province's participating (active) libraries, as on its public page: names,
    levels, places, NPP, cohort and tier. Nothing about a person (no contacts)."""
    province = get_object_or_404(Province, code=code)
    libraries = (
        Library.objects.active()
        .filter(province=province)
        .select_related("regency", "village__district")
        .order_by("regency_id", "level", "name")
    )
    header = [
        _("NPP"),
        _("Name"),
        _("Level"),
        _("Kabupaten/kota code"),
        _("Kabupaten/kota"),
        _("Kecamatan"),
        _("Desa/kelurahan code"),
        _("Desa/kelurahan"),
        _("Cohort year"),
        _("Support tier"),
        _("Website"),
    ]

    def rows():
        for library in libraries.iterator(chunk_size=2000):
            village = library.village
            yield [
                library.npp,
                library.name,
                library.get_level_display(),
                library.regency_id or "",
                library.regency.name if library.regency_id else "",
                village.district.name if village else "",
                library.village_id or "",
                village.name if village else "",
                library.cohort_year,
                library.get_support_tier_display(),
                library.website,
            ]

    filename = (
        f"tpbis-{province.code}-{slugify(province.name)}-perpustakaan-"
        f"{timezone.localdate(timezone=_zone(province)):%Y%m%d}.csv"
    )
    return stream_csv(filename, header, rows())


def _zone(province: Province) -> ZoneInfo:
    return ZoneInfo(province.time_zone)
