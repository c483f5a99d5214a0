"""Writing an export to a file on the local disk, a row at a time: memory stays flat whatever
the number of rows (CSV through the csv module, XLSX through openpyxl's write-only mode)."""

from __future__ import annotations

import csv
import io
from collections.abc import Callable, Iterable
from typing import IO

from django.utils.functional import Promise
from openpyxl import Workbook

from libraries.exports import FORMULA_PREFIXES, safe_cell

#: Progress is reported (and the job row updated) once per this many rows.
PROGRESS_EVERY = 2000


def _cell(value):
    # Choice labels may arrive as lazy translations, which openpyxl cannot write.
    return safe_cell(str(value) if isinstance(value, Promise) else value)


def _counted(rows: Iterable[list], progress: Callable[[int], None]):
    written = 0
    formula = FORMULA_PREFIXES
    for row in rows:
        # safe_cell inlined for text, the common case: this runs for every cell of 150,000
        # rows, where a function call per cell is most of the time spent writing.
        yield [
            (("'" + value) if value.startswith(formula) else value)
            if isinstance(value, str)
            else _cell(value)
            for value in row
        ]
        written += 1
        if written % PROGRESS_EVERY == 0:
            progress(written)
    progress(written)


def write_csv(
    handle: IO[bytes], header: list[str], rows: Iterable[list], progress: Callable[[int], None]
) -> None:
    # A byte-order mark first, so that Excel opens the UTF-8 text with its accents intact.
    text = io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")
    writer = csv.writer(text)
    writer.writerow(header)
    for row in _counted(rows, progress):
        writer.writerow(row)
    text.flush()
    text.detach()  # the caller keeps the file open


def write_xlsx(
    handle: IO[bytes],
    header: list[str],
    rows: Iterable[list],
    progress: Callable[[int], None],
    *,
    title: str,
) -> None:
    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet(title=title[:31])
    sheet.append(header)
    for row in _counted(rows, progress):
        sheet.append(row)
    workbook.save(handle)
