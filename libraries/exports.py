"""Registry exports. Callers pass querysets already limited to the user's scope."""

import csv
from collections.abc import Iterable, Iterator

from django.http import HttpResponse, StreamingHttpResponse
from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook

from libraries.models import Library

XLSX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


class _Echo:
    """A file-like object whose write() hands the line back to the CSV writer's caller."""

    def write(self, value: str) -> str:
        return value


FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value):
    """Keep spreadsheet programs from running text typed by users as a formula."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def stream_csv(filename: str, header: list[str], rows: Iterable[list]) -> StreamingHttpResponse:
    """Stream a CSV of any length without holding it in memory.

    A byte-order mark first, so that Excel opens the UTF-8 text with its accents intact.
    """
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield "\ufeff"
        yield writer.writerow(header)
        for row in rows:
            yield writer.writerow([safe_cell(value) for value in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def xlsx_response(filename: str, title: str, header: list[str], rows: Iterable[list]):
    """An XLSX workbook written row by row (openpyxl's write-only mode)."""
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in rows:
        sheet.append([safe_cell(value) for value in row])
    response = HttpResponse(content_type=XLSX_CONTENT_TYPE)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    workbook.save(response)
    return response


def library_header() -> list[str]:
    return [
        _("Name"),
        _("NPP"),
        _("Level"),
        _("Province"),
        _("Kabupaten/kota"),
        _("Desa/kelurahan code"),
        _("Desa/kelurahan"),
        _("Cohort year"),
        _("Support tier"),
        _("Status"),
        _("Address"),
        _("Phone"),
        _("Email"),
        _("Aid items"),
    ]


def _library_rows(libraries) -> Iterator[list]:
    for library in libraries.iterator(chunk_size=2000):
        yield library_row(library)


def library_row(library) -> list:
    return [
        library.name,
        library.npp,
        library.get_level_display(),
        library.province.name,
        library.regency.name if library.regency_id else "",
        library.village_id or "",
        library.village.name if library.village_id else "",
        library.cohort_year,
        library.get_support_tier_display(),
        library.get_status_display(),
        library.address,
        library.phone,
        library.email,
        library.aid_item_count,
    ]


def _filename(extension: str) -> str:
    return f"perpustakaan-tpbis-{timezone.localdate():%Y%m%d}.{extension}"


def libraries_csv(libraries) -> StreamingHttpResponse:
    return stream_csv(_filename("csv"), library_header(), _library_rows(libraries))


def libraries_xlsx(libraries) -> HttpResponse:
    return xlsx_response(
        _filename("xlsx"),
        str(Library._meta.verbose_name_plural),
        library_header(),
        _library_rows(libraries),
    )
