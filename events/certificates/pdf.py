"""The attendance certificate as an A4 landscape PDF page, one page per certificate.

Everything printed comes from the certificate's own record (name, library or institution,
sessions and hours as they were when it was issued) and from its event (title, kind, place and
dates in the province's time zone, named). The QR code opens the public verification page.
"""

from __future__ import annotations

import datetime
import io
import itertools
from collections.abc import Callable, Iterable, Iterator

from django.utils import dateformat, formats, timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from fpdf import FPDF
from pypdf import PdfReader, PdfWriter
from pypdf.generic import NameObject, TextStringObject

from events.models import Certificate, Event, Facilitator
from libraries.pdf import FONT, draw_qr, fit_font_size, new_document

PRIMARY = (11, 79, 108)  # the portal's colour (static/css/portal.css)
GREY = (90, 90, 90)
BLACK = (0, 0, 0)
PAGE_WIDTH = 297
ISSUER = "Perpustakaan Nasional Republik Indonesia"
# Certificates drawn into one document before it is cut into one PDF each (see
# certificate_pdfs): about 2 MB of memory, a few seconds of work.
BATCH = 50


def _date(value: datetime.date) -> str:
    return dateformat.format(value, "j F Y")


def date_range(start: datetime.date, end: datetime.date) -> str:
    if start == end:
        return _date(start)
    if (start.year, start.month) == (end.year, end.month):
        return f"{start.day}–{_date(end)}"
    if start.year == end.year:
        return f"{dateformat.format(start, 'j F')} – {_date(end)}"
    return f"{_date(start)} – {_date(end)}"


def _clock(text: str) -> str:
    """``08:00`` as Indonesians write it (``08.00``), or as it is in English."""
    return text.replace(":", ".") if translation.get_language() == "id" else text


def hours_text(minutes: int) -> str:
    if minutes % 60 == 0:
        return str(minutes // 60)
    return formats.number_format(round(minutes / 60, 1), decimal_pos=1)


def role_text(certificate: Certificate) -> str:
    if certificate.role:
        return str(Facilitator.Role(certificate.role).label)
    return _("participant")


def attendance_lines(certificate: Certificate, abbreviation: str) -> list[str]:
    """One line per day attended: the day, its sessions with their hours."""
    by_day: dict[str, list[dict]] = {}
    for entry in certificate.sessions:
        by_day.setdefault(entry["date"], []).append(entry)
    lines = []
    for day, entries in by_day.items():
        parts = []
        for entry in entries:
            if entry["start"]:
                hours = f"{_clock(entry['start'])}–{_clock(entry['end'])} {abbreviation}"
                parts.append(f"{entry['name']} {hours}")
            else:
                parts.append(entry["name"])
        minutes = sum(entry["minutes"] for entry in entries)
        hours = (
            _("%(hours)s hours") % {"hours": hours_text(minutes)}
            if minutes
            else _("hours not recorded")
        )
        day_text = dateformat.format(datetime.date.fromisoformat(day), "l, j F Y")
        lines.append(f"{day_text}: {', '.join(parts)} ({hours})")
    return lines


def _centred(pdf: FPDF, y: float, text: str, *, size: float, bold=False, colour=BLACK, fit=0.0):
    pdf.set_font(FONT, "B" if bold else "", size)
    if fit:
        fit_font_size(pdf, text, width=fit, size=size, smallest=max(size * 0.55, 7))
    pdf.set_text_color(*colour)
    pdf.set_xy(15, y)
    pdf.cell(PAGE_WIDTH - 30, 0, text, align="C")


def draw_certificate(pdf: FPDF, certificate: Certificate, event: Event, verify_url: str) -> None:
    """Add one page to ``pdf``: the certificate. The language is the active one."""
    pdf.add_page()
    abbreviation = event.time_zone_abbreviation
    pdf.set_draw_color(*PRIMARY)
    pdf.set_line_width(1.2)
    pdf.rect(7, 7, PAGE_WIDTH - 14, 196)
    pdf.set_line_width(0.3)
    pdf.rect(10, 10, PAGE_WIDTH - 20, 190)

    _centred(pdf, 19, "PERPUSTAKAAN NASIONAL REPUBLIK INDONESIA", size=12, bold=True)
    _centred(pdf, 25, _("Social Inclusion-Based Library Transformation (TPBIS)"), size=10)
    _centred(pdf, 39, _("CERTIFICATE"), size=30, bold=True, colour=PRIMARY)
    _centred(pdf, 50, _("Number: %(number)s") % {"number": certificate.number}, size=10)
    _centred(pdf, 60, _("is awarded to"), size=11, colour=GREY)
    _centred(pdf, 70, certificate.name, size=24, bold=True, fit=240)
    _centred(pdf, 80, certificate.affiliation, size=12, fit=240)
    _centred(pdf, 90, _("as %(role)s of") % {"role": role_text(certificate)}, size=11, colour=GREY)
    _centred(pdf, 99, event.title, size=16, bold=True, fit=250)
    place = event.venue
    region = event.regency.name if event.regency_id else event.province.name
    if region.lower() not in place.lower():
        place = f"{place}, {region}"
    _centred(pdf, 108, f"{event.get_kind_display()} · {place}", size=11, fit=250)
    dates = date_range(event.local_start.date(), event.local_end.date())
    _centred(pdf, 115, f"{dates} ({abbreviation})", size=11)

    # Left: the QR code to the verification page, and the code to type instead.
    draw_qr(pdf, verify_url, x=20, y=128, size=36)
    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 7)
    pdf.set_xy(16, 165)
    pdf.cell(44, 0, _("Scan to verify"), align="C")
    pdf.set_font(FONT, "B", 7.5)
    pdf.set_xy(16, 169)
    pdf.cell(44, 0, certificate.display_code, align="C")

    # Middle: the days and hours attended.
    pdf.set_text_color(*BLACK)
    pdf.set_font(FONT, "B", 10.5)
    pdf.set_xy(64, 130)
    summary = ngettext(
        "Attended %(days)d day, %(hours)s hours in total",
        "Attended %(days)d days, %(hours)s hours in total",
        certificate.days,
    ) % {"days": certificate.days, "hours": hours_text(certificate.minutes)}
    pdf.cell(140, 0, summary)
    pdf.set_font(FONT, "", 8.5)
    pdf.set_xy(64, 135)
    for line in attendance_lines(certificate, abbreviation)[:10]:
        pdf.set_x(64)
        pdf.multi_cell(140, 4.2, line, align="L")

    # Right: the issuer.
    issued = timezone.localtime(certificate.issued_at, event.tz).date()
    pdf.set_font(FONT, "", 9.5)
    pdf.set_text_color(*GREY)
    pdf.set_xy(208, 140)
    pdf.cell(74, 0, _("Issued by"), align="C")
    pdf.set_text_color(*BLACK)
    pdf.set_font(FONT, "B", 10.5)
    pdf.set_xy(208, 146)
    pdf.multi_cell(74, 5, ISSUER, align="C")
    pdf.set_font(FONT, "", 9.5)
    pdf.set_xy(208, 159)
    pdf.cell(74, 0, _("TPBIS programme"), align="C")
    pdf.set_xy(208, 165)
    pdf.cell(74, 0, _date(issued), align="C")

    pdf.set_text_color(*GREY)
    pdf.set_font(FONT, "", 7.5)
    pdf.set_xy(15, 186)
    note = _(
        "Issued electronically; no signature is needed. Check that it is genuine by scanning "
        "the QR code or at %(url)s"
    ) % {"url": verify_url}
    pdf.multi_cell(PAGE_WIDTH - 30, 3.6, note, align="C")


def _document(event: Event) -> FPDF:
    return new_document(
        landscape=True,
        title=_("Certificates: %(event)s") % {"event": event.title},
        language=translation.get_language() or "id",
    )


def certificate_pdf(
    certificate: Certificate, event: Event, verify_url: str, *, language: str = "id"
) -> bytes:
    with translation.override(language):
        pdf = _document(event)
        draw_certificate(pdf, certificate, event, verify_url)
        return bytes(pdf.output())


def certificates_pdf(
    certificates: Iterable[Certificate],
    event: Event,
    verify_url: Callable[[str], str],
    *,
    language: str = "id",
) -> bytes:
    """All ``certificates`` in one PDF, one page each. Pages are vector text and squares
    (a few kilobytes each) and the font is embedded once."""
    with translation.override(language):
        pdf = _document(event)
        for certificate in certificates:
            draw_certificate(pdf, certificate, event, verify_url(certificate.code))
        return bytes(pdf.output())


def certificate_pdfs(
    certificates: Iterable[Certificate],
    event: Event,
    verify_url: Callable[[str], str],
    *,
    language: str = "id",
) -> Iterator[tuple[Certificate, bytes]]:
    """Each certificate as a PDF of its own, for a streamed ZIP.

    Preparing the embedded font costs more than drawing a page, so certificates are drawn
    ``BATCH`` at a time into one document, which is then cut into one-page documents: memory
    holds one batch, and the font is prepared once per batch.
    """
    certificates = iter(certificates)
    while batch := list(itertools.islice(certificates, BATCH)):
        combined = certificates_pdf(batch, event, verify_url, language=language)
        reader = PdfReader(io.BytesIO(combined))
        for certificate, page in zip(batch, reader.pages, strict=True):
            writer = PdfWriter()
            writer.add_page(page)
            writer.add_metadata(reader.metadata)
            writer.root_object[NameObject("/Lang")] = TextStringObject(language)
            output = io.BytesIO()
            writer.write(output)
            yield certificate, output.getvalue()
