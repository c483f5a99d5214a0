"""Reading generated PDFs back: their text, and the QR code drawn on a page."""

import io
import re

import segno
from pypdf import PdfReader

_RECT = re.compile(r"^(-?[\d.]+) (-?[\d.]+) (-?[\d.]+) (-?[\d.]+) re f$")


def pdf_pages(content: bytes) -> list:
    return PdfReader(io.BytesIO(content)).pages


def pdf_text(content: bytes) -> str:
    """All the text of the PDF, with runs of white space made single spaces."""
    return " ".join(" ".join(page.extract_text().split()) for page in pdf_pages(content))


def qr_modules(page) -> set[tuple[int, int]]:
    """The dark modules (row, column) of the QR code on ``page``, read from its squares.

    The code is drawn (libraries.pdf.draw_qr) as a white square with a quiet zone of four
    modules, then one filled rectangle per run of dark modules in a row.
    """
    rects = []
    for line in page.get_contents().get_data().decode("latin-1").splitlines():
        match = _RECT.match(line.strip())
        if match:
            rects.append(tuple(float(value) for value in match.groups()))
    background, *runs = rects
    left, top, size, _height = background
    module = min(width for _x, _y, width, _h in runs)
    side = round(size / module)
    cells = set()
    for x, y, width, _h in runs:
        row = round((top - y) / module) - 4
        column = round((x - left) / module) - 4
        for offset in range(round(width / module)):
            cells.add((row, column + offset))
    assert all(0 <= r < side - 8 and 0 <= c < side - 8 for r, c in cells)
    return cells


def qr_of(data: str) -> set[tuple[int, int]]:
    """The dark modules of the QR code the portal makes for ``data``."""
    matrix = segno.make(data, error="m", micro=False).matrix
    return {(r, c) for r, row in enumerate(matrix) for c, dark in enumerate(row) if dark}
