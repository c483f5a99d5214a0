"""PDF building blocks shared by the portal's printable documents (attendance certificates,
story cards): an A4 document with an embedded font that prints every name, and QR codes.

fpdf2 writes the PDF; its built-in fonts know only Latin-1, so DejaVu Sans (a permissive
licence, see ``fonts/dejavu-2.37/LICENSE``) is embedded as a subset of the glyphs used.
segno makes the QR code, drawn here as vector squares: sharp at any print size.
"""

from __future__ import annotations

import itertools
from pathlib import Path

import segno
from fpdf import FPDF

FONT_DIR = Path(__file__).resolve().parent / "fonts" / "dejavu-2.37"
FONT = "DejaVu"


def new_document(*, landscape: bool = False, title: str = "", language: str = "id") -> FPDF:
    """An empty A4 document (millimetres) with the portal's font, no automatic page break."""
    pdf = FPDF(orientation="landscape" if landscape else "portrait", unit="mm", format="A4")
    pdf.add_font(FONT, "", FONT_DIR / "DejaVuSans.ttf")
    pdf.add_font(FONT, "B", FONT_DIR / "DejaVuSans-Bold.ttf")
    pdf.set_font(FONT, size=11)
    pdf.set_auto_page_break(False)
    pdf.set_margins(15, 15, 15)
    pdf.set_lang(language)
    pdf.set_creator("TPBIS Portal")
    pdf.set_author("Perpustakaan Nasional Republik Indonesia")
    if title:
        pdf.set_title(title)
    return pdf


def draw_qr(pdf: FPDF, data: str, *, x: float, y: float, size: float) -> None:
    """A QR code of ``data`` in a ``size`` mm square at (x, y), quiet zone included."""
    code = segno.make(data, error="m", micro=False)
    matrix = code.matrix
    quiet = 4  # modules of white border that scanners need
    module = size / (len(matrix) + 2 * quiet)
    pdf.set_fill_color(255, 255, 255)
    pdf.rect(x, y, size, size, style="F")
    pdf.set_fill_color(0, 0, 0)
    for row_number, row in enumerate(matrix):
        column = 0
        # One rectangle per run of dark modules keeps the page small.
        for dark, run in itertools.groupby(row):
            width = len(list(run))
            if dark:
                pdf.rect(
                    x + (quiet + column) * module,
                    y + (quiet + row_number) * module,
                    width * module,
                    module,
                    style="F",
                )
            column += width


def fit_font_size(pdf: FPDF, text: str, *, width: float, size: float, smallest: float) -> float:
    """The largest size up to ``size`` at which ``text`` fits on one line of ``width`` mm."""
    while size > smallest:
        pdf.set_font_size(size)
        if pdf.get_string_width(text) <= width:
            return size
        size -= 0.5
    pdf.set_font_size(smallest)
    return smallest
