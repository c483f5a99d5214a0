"""Open data: the public aggregates of the nation, each province and each kab/kota.

    /provinsi/data-terbuka/                      the page: files, dictionary, licence, rules
    /provinsi/data-terbuka/tpbis-indonesia.csv   the nation, every province, every kab/kota
    /provinsi/data-terbuka/tpbis-indonesia.xlsx  the same as a workbook
    /provinsi/data-terbuka/kamus-data.csv        the data dictionary
    /provinsi/<code>-<name>/data.csv (.xlsx)     a province and each of its kab/kota
    /provinsi/<code>-<name>/perpustakaan.csv     a province's participating libraries (NPP)

Every file has the columns of ``columns()``, and the dictionary is written from the same list,
so a column cannot be added without its meaning and unit. Participants by gender are the cells
the public pages show (``aggregates.province_gender``): small counts hidden, together with
every cell that would give one back (``suppression``). The nation's split is hidden whenever a
province's is: otherwise the nation minus the other provinces would give it back.
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, replace
from zoneinfo import ZoneInfo

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.utils import timezone
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET

from libraries.data_version import NATIONAL
from libraries.exports import XLSX_CONTENT_TYPE, stream_csv, xlsx_response
from libraries.models import Indicator, Library, Province
from libraries.reporting.indicators import Area, Period
from tpbis_portal.overview.aggregates import (
    KEY_INDICATORS,
    NATIONAL_ZONE,
    NO_PARTICIPANTS,
    SMALL_CELL_MAX,
    RegionCounts,
    breakdown_of,
    cached_aggregate,
    national_story_counts,
    national_summary,
    province_gender,
    province_summary,
    regencies_of,
    story_counts_by_regency,
    year_to_date,
)
from tpbis_portal.overview.cache import cached_public_page, render_public
from tpbis_portal.overview.models import OpenDataLicence

#: Where the region codes come from (libraries/data/wilayah_kepmendagri_2025.csv).
REGION_CODE_SOURCE = "Keputusan Menteri Dalam Negeri No. 300.2.2-2138 Tahun 2025"


@dataclass(frozen=True)
class Column:
    key: str
    name: str
    meaning: str
    unit: str


def columns() -> list[Column]:
    """Every column of every open-data file, in order, in the active language."""
    libraries, people, text = _("libraries"), _("people"), _("text")
    found = [
        Column(
            "code",
            _("Region code"),
            _(
                "Kemendagri region code (%(source)s): two digits for a province, NN.NN for a "
                "kabupaten/kota; empty for Indonesia as a whole."
            )
            % {"source": REGION_CODE_SOURCE},
            _("code"),
        ),
        Column("name", _("Region"), _("Name of the region in the Kemendagri register."), text),
        Column(
            "level",
            _("Region level"),
            _("Indonesia, Province or Kabupaten/kota: which row sums which."),
            text,
        ),
        Column(
            "provincial",
            _("Provincial libraries"),
            _("Participating (active) provincial libraries."),
            libraries,
        ),
        Column(
            "regency",
            _("Kabupaten/kota libraries"),
            _("Participating (active) kabupaten/kota libraries."),
            libraries,
        ),
        Column(
            "village",
            _("Desa/kelurahan libraries"),
            _("Participating (active) desa/kelurahan libraries."),
            libraries,
        ),
        Column(
            "tbm",
            _("Community reading spaces (TBM)"),
            _("Participating (active) community reading spaces (Taman Bacaan Masyarakat)."),
            libraries,
        ),
        Column(
            "regencies_reached",
            _("Kabupaten/kota reached"),
            _("Kabupaten/kota with at least one participating library; empty on kab/kota rows."),
            _("kabupaten/kota"),
        ),
        Column(
            "villages_reached",
            _("Desa/kelurahan reached"),
            _("Desa/kelurahan with a participating library (at most one each)."),
            _("desa/kelurahan"),
        ),
        Column(
            "cohorts",
            _("Cohort years"),
            _("Years in which the participating libraries joined TPBIS, separated by spaces."),
            _("years"),
        ),
    ]
    for value, label in Library.SupportTier.choices:
        found.append(
            Column(
                f"tier_{value}",
                str(label),
                _("Participating libraries with this support tier: %(tier)s.") % {"tier": label},
                libraries,
            )
        )
    found.append(
        Column(
            "period",
            _("Indicator period"),
            _("First and last month (YYYY-MM/YYYY-MM) that the indicator columns cover."),
            _("months"),
        )
    )
    units = {
        Indicator.ACTIVITIES: _("activities"),
        Indicator.ENGAGEMENT: _("activities"),
        Indicator.ADVOCACY: _("activities"),
        Indicator.PARTICIPANTS: people,
        Indicator.VISITORS: _("visits"),
        Indicator.AGREEMENTS: _("agreements"),
        Indicator.REGULATIONS: _("regulations"),
    }
    for indicator in KEY_INDICATORS:
        label = str(Indicator(indicator).label)
        unit = str(units[indicator])
        found += [
            Column(
                indicator,
                label,
                _("%(indicator)s recorded by the region's libraries in the period.")
                % {"indicator": label},
                unit,
            ),
            Column(
                f"{indicator}_measured",
                _("%(indicator)s: from libraries with a target") % {"indicator": label},
                _(
                    "The part of the figure recorded by libraries that have a target: the figure "
                    "the colour compares with the target. Empty without a target."
                ),
                unit,
            ),
            Column(
                f"{indicator}_libraries",
                _("%(indicator)s: libraries with a target") % {"indicator": label},
                _("Participating libraries of the region that have a target in the period."),
                libraries,
            ),
            Column(
                f"{indicator}_target",
                _("%(indicator)s: target") % {"indicator": label},
                _("Sum of those libraries' targets over the period. Empty without a target."),
                unit,
            ),
            Column(
                f"{indicator}_status",
                _("%(indicator)s: status") % {"indicator": label},
                _(
                    "Colour of the figure against the target: on target (green), close to target "
                    "(yellow) or below target (red), at the thresholds Perpusnas sets."
                ),
                text,
            ),
        ]
    hidden_note = _(
        'Participants of that gender in the period; "%(hidden)s" where the count is hidden '
        "(see the suppression rule)."
    ) % {"hidden": _("hidden")}
    found += [
        Column("male", _("Male participants"), hidden_note, people),
        Column("female", _("Female participants"), hidden_note, people),
        Column(
            "stories",
            _("Published stories"),
            _("Stories of change published with the storyteller's standing consent."),
            _("stories"),
        ),
        Column("notes", _("Notes"), _("Why a cell of the row is hidden, if one is."), text),
        Column(
            "as_of",
            _("Data as of (UTC)"),
            _("When the figures were computed, in UTC (YYYY-MM-DD HH:MM)."),
            _("date and time"),
        ),
    ]
    return found


def suppression_rule() -> str:
    return _(
        "A count of 1 or 2 people of one gender in a place could point at a person, so it is "
        "hidden. Other cells are hidden too wherever they would let a hidden count be worked "
        "out, by subtracting the other rows or the row's other gender from a total "
        "(complementary suppression): the same cells on every page and in every file. "
        "Participants in all, libraries, activities and stories are never hidden: they say "
        "nothing about one person."
    )


# Rows


def _indicator_cells(report) -> dict:
    cells: dict = {}
    for indicator in KEY_INDICATORS:
        value = report[indicator] if report is not None else None
        if value is None or value.target is None:
            cells.update(
                {
                    indicator: value.actual if value else 0,
                    f"{indicator}_measured": "",
                    f"{indicator}_libraries": 0,
                    f"{indicator}_target": "",
                    f"{indicator}_status": "",
                }
            )
            continue
        cells.update(
            {
                indicator: value.actual,
                f"{indicator}_measured": value.measured,
                f"{indicator}_libraries": value.libraries_with_target,
                f"{indicator}_target": int(value.target),
                f"{indicator}_status": value.status_label,
            }
        )
    return cells


def _note(gender: dict, report) -> str:
    if gender["male"] is not None and gender["female"] is not None:
        return ""
    breakdown = report.breakdown if report is not None else {}
    counts = [breakdown.get(f"participants_{gender}", 0) for gender in ("male", "female")]
    if any(0 < count <= SMALL_CELL_MAX for count in counts):
        return _("Participants by gender hidden: a count of 1 or 2 people could point at a person.")
    return _(
        "Participants by gender hidden: with the other rows, the library pages or the "
        "total they would give back a count of 1 or 2 people elsewhere."
    )


@dataclass
class _Rows:
    period: Period
    stamp: str

    def row(
        self,
        counts: RegionCounts,
        *,
        level: str,
        reached: int | str,
        report,
        gender: dict,
        stories: int,
    ) -> dict:
        hidden = _("hidden")
        return {
            "code": "" if counts.code == NATIONAL else counts.code,
            "name": counts.name,
            "level": level,
            "provincial": counts.provincial,
            "regency": counts.regency,
            "village": counts.village,
            "tbm": counts.tbm,
            "regencies_reached": reached,
            "villages_reached": counts.villages_reached,
            "cohorts": " ".join(str(year) for year in counts.cohort_years),
            **{f"tier_{tier}": counts.tiers.get(tier, 0) for tier in Library.SupportTier.values},
            "period": f"{self.period.start:%Y-%m}/{self.period.end:%Y-%m}",
            **_indicator_cells(report),
            "male": hidden if gender["male"] is None else gender["male"],
            "female": hidden if gender["female"] is None else gender["female"],
            "stories": stories,
            "notes": _note(gender, report),
            "as_of": self.stamp,
        }


def _stamp(*stamps: datetime.datetime) -> str:
    return min(stamps).astimezone(datetime.UTC).strftime("%Y-%m-%d %H:%M")


def province_rows(province: Province) -> list[dict]:
    """The province's row, then one row per kab/kota with a participating library."""
    summary = province_summary(province)
    period = year_to_date(province.time_zone)
    figures = breakdown_of(Area.for_province(province), province.code, period)
    total, indicator_rows = figures.value
    by_regency = {row.area.key: row for row in indicator_rows if row.area.level == Area.REGENCY}
    stories = story_counts_by_regency(province)
    genders = province_gender(province, period)
    rows = _Rows(period, _stamp(summary.computed_at, figures.computed_at, genders.computed_at))
    found = [
        rows.row(
            summary.totals,
            level=_("Province"),
            reached=summary.totals.regencies_reached,
            report=total,
            gender=genders.value.get(("province", province.code), NO_PARTICIPANTS),
            stories=sum(stories.values()),
        )
    ]
    found += [
        rows.row(
            regency,
            level=_("Kabupaten/kota"),
            reached="",
            report=by_regency.get(regency.code),
            gender=genders.value.get(("regency", regency.code), NO_PARTICIPANTS),
            stories=stories.get(regency.code, 0),
        )
        for regency in summary.regencies
    ]
    return found


def national_rows() -> list[dict]:
    """Indonesia, then each province followed by its kab/kota (the year to date in WIB).

    The figures come from the national aggregates (a fixed number of queries) and, for
    participants by gender, from each province's own table, so that every hidden cell is
    hidden here too. Cached until any data changes.
    """
    # The rows hold words (levels, statuses, notes): one copy per language.
    name = f"opendata-{get_language()}-{_period_name()}"
    return cached_aggregate(name, NATIONAL, _compute_national_rows)


def _period_name() -> str:
    period = year_to_date(NATIONAL_ZONE)
    return f"{period.start:%Y%m}-{period.end:%Y%m}"


def _compute_national_rows() -> list[dict]:
    period = year_to_date(NATIONAL_ZONE)
    summary = national_summary()
    figures = breakdown_of(Area.nation(), NATIONAL, period)
    total, province_reports = figures.value
    by_province = {row.area.key: row for row in province_reports}
    regencies = regencies_of(Area.nation(), NATIONAL, period)
    story_provinces, story_regencies = national_story_counts()
    provinces = list(Province.objects.order_by("code"))
    genders = {province.code: province_gender(province, period) for province in provinces}
    stamps = [summary.computed_at, figures.computed_at, regencies.computed_at]
    stamps += [table.computed_at for table in genders.values()]
    rows = _Rows(period, _stamp(*stamps))
    province_cells = [
        genders[p.code].value.get(("province", p.code), NO_PARTICIPANTS) for p in provinces
    ]
    if any(cell["male"] is None or cell["female"] is None for cell in province_cells):
        # Indonesia's split minus the other provinces would give a hidden one back.
        national_gender: dict = {"male": None, "female": None}
    else:
        national_gender = {
            gender: sum(cell[gender] for cell in province_cells) for gender in ("male", "female")
        }
    nation = replace(summary.totals(), name=str(_("Indonesia")))
    found = [
        rows.row(
            nation,
            level=_("Indonesia"),
            reached=nation.regencies_reached,
            report=total,
            gender=national_gender,
            stories=sum(story_provinces.values()),
        )
    ]
    regency_counts = summary.regencies
    for province, cell in zip(provinces, province_cells, strict=True):
        counts = replace(
            summary.provinces.get(province.code) or RegionCounts(code=province.code),
            name=province.name,
        )
        found.append(
            rows.row(
                counts,
                level=_("Province"),
                reached=counts.regencies_reached,
                report=by_province.get(province.code),
                gender=cell,
                stories=story_provinces.get(province.code, 0),
            )
        )
        table = genders[province.code].value
        for code in sorted(c for c in regency_counts if c.startswith(province.code + ".")):
            found.append(
                rows.row(
                    regency_counts[code],
                    level=_("Kabupaten/kota"),
                    reached="",
                    report=regencies.value.get(code),
                    gender=table.get(("regency", code), NO_PARTICIPANTS),
                    stories=story_regencies.get(code, 0),
                )
            )
    return found


# Files


def _write(fmt: str, filename: str, title: str, rows: list[dict]):
    chosen = columns()
    header = [column.name for column in chosen]
    cells = ([row[column.key] for column in chosen] for row in rows)
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", title, header, cells)
    return stream_csv(f"{filename}.csv", header, cells)


@require_GET
def province_data(request, code: str, fmt: str, slug: str = ""):
    """A province's public aggregates: its row and one per kab/kota (CSV or XLSX)."""
    province = get_object_or_404(Province, code=code)
    rows = province_rows(province)
    day = timezone.localdate(timezone=ZoneInfo(province.time_zone))
    filename = f"tpbis-{province.code}-{slugify(province.name)}-{day:%Y%m%d}"
    return _write(fmt, filename, province.name, rows)


@require_GET
def national_data(request, fmt: str):
    """Indonesia, every province and every kab/kota (CSV or XLSX)."""
    day = timezone.localdate(timezone=ZoneInfo(NATIONAL_ZONE))
    filename = f"tpbis-indonesia-{day:%Y%m%d}"
    if fmt == "csv":
        return _write(fmt, filename, "TPBIS Indonesia", national_rows())
    # Writing some 35,000 cells takes a worker the best part of a second: the workbook is
    # kept until the data change, like the rows it is written from.
    content = cached_aggregate(
        f"opendata-xlsx-{get_language()}-{_period_name()}",
        NATIONAL,
        lambda: _write(fmt, filename, "TPBIS Indonesia", national_rows()).content,
    )
    response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}.xlsx"'
    return response


@require_GET
def data_dictionary(request):
    """Every column of the open-data files: its name, meaning and unit."""
    rows = ([column.name, column.meaning, column.unit] for column in columns())
    return stream_csv("tpbis-kamus-data.csv", [_("Column"), _("Meaning"), _("Unit")], rows)


@require_GET
@cached_public_page()
def open_data(request):
    """The public page of the open data: the files, the dictionary, the licence, the rule."""
    provinces = Province.objects.order_by("name")
    return render_public(
        request,
        "public/open_data.html",
        {
            "provinces": provinces,
            "columns": columns(),
            "licence": OpenDataLicence.current(),
            "suppression_rule": suppression_rule(),
            "region_code_source": REGION_CODE_SOURCE,
            "as_of": national_summary().computed_at,
        },
    )


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
