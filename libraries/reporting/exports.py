"""CSV and XLSX exports of reporting data. Callers pass querysets already scoped to the user."""

from __future__ import annotations

from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from libraries.exports import XLSX_CONTENT_TYPE, stream_csv, xlsx_response
from libraries.models import Indicator
from libraries.reporting.indicators import AreaIndicators
from libraries.reporting.reportcard import ADVOCACY, ENGAGEMENT, PUBLICATION, Colour

__all__ = ["XLSX_CONTENT_TYPE"]

CHUNK = 2000


def _respond(fmt: str, name: str, title: str, header: list[str], rows):
    filename = f"{name}-{timezone.localdate():%Y%m%d}.{fmt}"
    if fmt == "csv":
        return stream_csv(filename, header, rows)
    if fmt == "xlsx":
        return xlsx_response(filename, title, header, rows)
    raise Http404


def _library_columns(library) -> list:
    return [
        library.name,
        library.province.name,
        library.regency.name if library.regency_id else "",
    ]


def activity_header() -> list[str]:
    return [
        _("Date"),
        _("Library"),
        _("Province"),
        _("Kabupaten/kota"),
        _("Strategy"),
        _("Kind of activity"),
        _("Title"),
        _("Skills taught"),
        _("Male participants"),
        _("Female participants"),
        _("Participants"),
        _("Children (0-12)"),
        _("Youth (13-17)"),
        _("Adults (18-59)"),
        _("Elderly (60+)"),
        _("Partners"),
    ]


def activity_row(activity) -> list:
    """One activity; its library with regions and its partners are fetched by the caller."""
    return [
        activity.date,
        *_library_columns(activity.library),
        activity.get_strategy_display(),
        activity.get_kind_display(),
        activity.title,
        activity.skills,
        activity.participants_male,
        activity.participants_female,
        activity.participants_total,
        activity.age_children,
        activity.age_youth,
        activity.age_adults,
        activity.age_elderly,
        "; ".join(partner.name for partner in activity.partners.all()),
    ]


def activities_export(fmt: str, activities):
    rows = (activity_row(activity) for activity in activities.iterator(chunk_size=CHUNK))
    return _respond(fmt, "kegiatan-tpbis", _("Activities"), activity_header(), rows)


DATASETS = {
    "pengunjung": (
        "pengunjung-tpbis",
        lambda: [_("Library"), _("Province"), _("Kabupaten/kota"), _("Month"), _("Visitors")],
        lambda r: [*_library_columns(r.library), r.month.strftime("%m-%Y"), r.visitors],
    ),
    "mitra": (
        "mitra-tpbis",
        lambda: [_("Library"), _("Province"), _("Kabupaten/kota"), _("Partner"), _("Kind")],
        lambda r: [*_library_columns(r.library), r.name, r.get_kind_display()],
    ),
    "kesepakatan": (
        "kesepakatan-tpbis",
        lambda: [
            _("Library"),
            _("Province"),
            _("Kabupaten/kota"),
            _("Partner"),
            _("Kind"),
            _("Number"),
            _("Subject"),
            _("Signed on"),
            _("Valid until"),
        ],
        lambda r: [
            *_library_columns(r.library),
            r.partner.name,
            r.get_kind_display(),
            r.number,
            r.title,
            r.signed_on,
            r.valid_until,
        ],
    ),
    "regulasi": (
        "regulasi-tpbis",
        lambda: [
            _("Library"),
            _("Province"),
            _("Kabupaten/kota"),
            _("Kind"),
            _("Number"),
            _("Title"),
            _("Issued on"),
        ],
        lambda r: [
            *_library_columns(r.library),
            r.get_kind_display(),
            r.number,
            r.title,
            r.issued_on,
        ],
    ),
    "anggaran": (
        "anggaran-tpbis",
        lambda: [
            _("Library"),
            _("Province"),
            _("Kabupaten/kota"),
            _("Source"),
            _("Amount (Rp)"),
            _("Purpose"),
            _("Decided on"),
        ],
        lambda r: [
            *_library_columns(r.library),
            r.get_source_display(),
            r.amount,
            r.purpose,
            r.decided_on,
        ],
    ),
}


def dataset_export(fmt: str, dataset: str, queryset):
    name, header, row = DATASETS[dataset]
    queryset = queryset.select_related("library__province", "library__regency")
    rows = (row(record) for record in queryset.iterator(chunk_size=CHUNK))
    return _respond(fmt, name, queryset.model._meta.verbose_name_plural, header(), rows)


def _indicator_header() -> list[str]:
    header = [_("Area")]
    for indicator in Indicator:
        label = {"indicator": indicator.label}
        header += [
            _("%(indicator)s: in all") % label,
            _("%(indicator)s: from libraries with a target") % label,
            _("%(indicator)s: libraries with a target") % label,
            _("%(indicator)s: target") % label,
            f"{indicator.label}: %",
            _("%(indicator)s: status") % label,
        ]
    return [*header, _("Male participants"), _("Female participants"), _("Active libraries")]


def _indicator_row(report: AreaIndicators) -> list:
    row = [report.area.name]
    for value in report:
        row += [
            value.actual,
            value.measured,
            value.libraries_with_target,
            value.target,
            value.percent,
            value.status_label,
        ]
    return [
        *row,
        report.breakdown["participants_male"],
        report.breakdown["participants_female"],
        report.libraries,
    ]


def indicators_export(fmt: str, total: AreaIndicators, rows: list[AreaIndicators]):
    body = [_indicator_row(row) for row in rows] + [_indicator_row(total)]
    name = f"indikator-{total.area.key or 'nasional'}-{total.period.start:%Y%m}"
    return _respond(fmt, name.replace(".", ""), _("Indicators"), _indicator_header(), body)


def ranking_export(fmt: str, province, period, indicator: str, ranked):
    header = [
        _("Rank"),
        _("Tied"),
        _("Library"),
        _("Kabupaten/kota"),
        _("Activities"),
        _("Community-engagement activities"),
        _("Advocacy activities"),
        _("Participants"),
        _("Visitors"),
    ]
    rows = [
        [
            row.rank,
            _("yes") if row.tied else "",
            row.library.name,
            row.library.regency.name if row.library.regency_id else "",
            row.numbers[Indicator.ACTIVITIES],
            row.numbers[Indicator.ENGAGEMENT],
            row.numbers[Indicator.ADVOCACY],
            row.numbers[Indicator.PARTICIPANTS],
            row.numbers[Indicator.VISITORS],
        ]
        for row in ranked
    ]
    name = f"peringkat-{province.code}-{period.start:%Y%m}-{period.end:%Y%m}-{indicator}"
    return _respond(fmt, name, _("Ranking"), header, rows)


def report_card_ranking_export(fmt: str, province, period, ranked):
    """The report card ranking of a province: rank, score, colour and the three sub-scores."""
    header = [
        _("Rank"),
        _("Tied"),
        _("Library"),
        _("Score"),
        _("Colour"),
        _("Community engagement"),
        _("Publication"),
        _("Advocacy and partnerships"),
    ]
    rows = [
        [
            rank,
            _("yes") if tied else "",
            library.name,
            library.score,
            str(Colour.LABELS[library.colour]),
            library.sub_scores.get(ENGAGEMENT),
            library.sub_scores.get(PUBLICATION),
            library.sub_scores.get(ADVOCACY),
        ]
        for rank, tied, library in ranked
    ]
    name = f"peringkat-rapor-{province.code}-{period.start:%Y%m}-{period.end:%Y%m}"
    return _respond(fmt, name, _("Report card ranking"), header, rows)
