"""The one import engine: upload, dry-run preview, confirm once, refused rows to download.

Participants (``events.imports``) and activities (``libraries.reporting.imports``) import
through it; a new import should too. The steps, and who does what:

1. **Upload and read**: :func:`read_table` reads an XLSX (through
   :func:`libraries.uploads.read_spreadsheet`, with its zip-bomb and row limits) or, where the
   importer allows it, CSV text, judged by content. Row numbers are the sheet's own.
2. **Dry run**: the importer checks every row and sorts them into good rows (kept in a form a
   session can hold) and :class:`Refused` rows, each with its reasons. Nothing is saved.
3. **Preview**: :class:`PendingImports` keeps the dry run in the user's session under a fresh
   random token (one pending import per user and kind: a new upload replaces an unconfirmed
   one). The page shows the good and the refused rows; the user may confirm importing only
   the good ones, and download the refused ones with their reasons (:func:`refused_response`,
   CSV or XLSX, in the page's language) to correct them and upload them again.
4. **Confirm once**: :meth:`PendingImports.claim` hands the good rows over once; after
   :meth:`PendingImports.finish` the token answers "already imported". The importer's save
   derives every row's idempotency key from the token and the row number, so two confirms
   racing each other (a double tap, a retried request) still save each row once.
"""

from __future__ import annotations

import csv
import io
import secrets
from dataclasses import asdict, dataclass, field
from typing import Any

from django.core.exceptions import ValidationError
from django.http import Http404
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from libraries.exports import stream_csv, xlsx_response
from libraries.uploads import read_spreadsheet


class UnreadableFile(ValidationError):
    """The file as a whole cannot be used (not a table, too big, missing columns)."""


@dataclass
class Table:
    """A sheet's header and its rows that hold something, numbered as in the sheet."""

    header: list[str]
    rows: list[tuple[int, tuple]] = field(default_factory=list)


@dataclass
class Refused:
    """A row the import leaves out: its number in the sheet, its cells as typed, and why."""

    number: int
    cells: list[str]
    reasons: list[str]

    @property
    def reason(self) -> str:
        return "; ".join(self.reasons)


def text(value) -> str:
    """A cell as the text a person typed (whole numbers without ``.0``)."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    return " ".join(str(value).split())


def row_cells(header: list[str], values) -> list[str]:
    """A row's cells as text, one per column of the header."""
    cells = [text(value) for value in list(values)[: len(header)]]
    return cells + [""] * (len(header) - len(cells))


def _blank(values) -> bool:
    return all(value is None or str(value).strip() == "" for value in values)


def read_table(upload, *, max_rows: int, max_bytes: int, allow_csv: bool = True) -> Table:
    """The header and the non-empty rows of an XLSX (or CSV) upload; saves nothing.

    Raises :class:`UnreadableFile` for a file that is too big, not a table, or empty.
    """
    size = getattr(upload, "size", None) or 0
    if size > max_bytes:
        raise UnreadableFile(
            _("The file is %(size)s; the limit is %(limit)s.")
            % {"size": filesizeformat(size), "limit": filesizeformat(max_bytes)}
        )
    upload.seek(0)
    head = upload.read(4)
    upload.seek(0)
    if head == b"PK\x03\x04":
        values = read_spreadsheet(upload, max_rows=max_rows)
    elif not allow_csv:
        raise UnreadableFile(_("This file is not an Excel workbook (.xlsx)."))
    else:
        values = _read_csv(upload, max_rows=max_rows)
    numbered = [(number, row) for number, row in enumerate(values, start=1) if not _blank(row)]
    if not numbered:
        raise UnreadableFile(_("The file is empty."))
    (_number, header), *rows = numbered
    if len(rows) > max_rows:
        raise UnreadableFile(
            _("The list has more than %(max)d rows; split it into smaller files.")
            % {"max": max_rows}
        )
    names = [text(cell) for cell in header]
    while names and not names[-1]:
        names.pop()
    return Table(header=names, rows=rows)


def _read_csv(upload, *, max_rows: int) -> list[tuple]:
    raw = upload.read()
    if b"\x00" in raw[:4096]:
        raise UnreadableFile(_("The file is neither XLSX nor CSV text."))
    try:
        decoded = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        decoded = raw.decode("cp1252", errors="replace")
    sample = decoded[:4096]
    delimiter = ";" if sample.count(";") > sample.count(",") else ","
    rows: list[tuple] = []
    filled = 0
    try:
        for cells in csv.reader(io.StringIO(decoded), delimiter=delimiter):
            rows.append(tuple(cells))
            filled += not _blank(cells)
            if filled > max_rows + 1:
                break
    except csv.Error as exc:
        raise UnreadableFile(_("The file is neither XLSX nor CSV text.")) from exc
    return rows


class PendingImports:
    """Dry runs waiting for their confirmation, in the user's session, one per ``kind``."""

    def __init__(self, request, kind: str):
        self.session = request.session
        self.key = f"import:{kind}"

    def begin(self, *, owner: dict, header: list[str], good: Any, refused: list[Refused]) -> str:
        """Keep a dry run; returns the token that confirms it and names its refused rows.

        ``owner`` says what the import is for (an event, a library and month): a
        confirmation must name the same.
        """
        token = secrets.token_urlsafe(16)
        self.session[self.key] = {
            "token": token,
            "owner": owner,
            "header": header,
            "good": good,
            "refused": [asdict(row) for row in refused],
            "done": False,
        }
        return token

    def _entry(self, token: str | None) -> dict | None:
        entry = self.session.get(self.key)
        if not entry or not token or not secrets.compare_digest(entry["token"], str(token)):
            return None
        return entry

    def claim(self, token: str | None, *, owner: dict | None = None) -> Any | None:
        """The good rows of a dry run not yet imported, or None (unknown, replaced, done)."""
        entry = self._entry(token)
        if entry is None or entry["done"] or (owner is not None and entry["owner"] != owner):
            return None
        return entry["good"]

    def owner(self, token: str | None) -> dict | None:
        entry = self._entry(token)
        return None if entry is None else entry["owner"]

    def finish(self, token: str) -> None:
        """The good rows are saved: the token cannot confirm again; the refused rows stay
        available for download until the next upload."""
        entry = self._entry(token)
        if entry is not None:
            entry["done"], entry["good"] = True, None
            self.session.modified = True

    def refused(self, token: str | None) -> tuple[list[str], list[Refused]] | None:
        entry = self._entry(token)
        if entry is None:
            return None
        return entry["header"], [Refused(**row) for row in entry["refused"]]


def refused_response(*, header: list[str], rows: list[Refused], fmt: str, filename: str):
    """The refused rows as typed, with their row number and reasons, to correct and re-upload."""
    if fmt not in ("csv", "xlsx"):
        raise Http404
    columns = [_("Row"), *header, _("Reason refused")]
    lines = (
        [row.number, *row.cells, row.reason] for row in sorted(rows, key=lambda row: row.number)
    )
    if fmt == "xlsx":
        return xlsx_response(f"{filename}.xlsx", _("Refused rows"), columns, lines)
    return stream_csv(f"{filename}.csv", columns, lines)
