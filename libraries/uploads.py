"""The one safe path for files people upload (story photos, evidence, signed forms, imports).

Every upload is checked by its content, never by its name: it must decode as JPEG, PNG, WebP
or HEIC/HEIF, stay under a byte limit and a pixel limit (decompression bombs are refused before
they are decoded), and is then re-encoded from pixels: orientation applied, resized to at most
``MAX_SIDE``, metadata (EXIF, GPS, ICC comments) dropped. The original bytes are never stored.

Spreadsheets to import (XLSX) are judged from their zip directory before anything is unpacked
(unpacked size, compression ratio, number of parts), then read as a stream with a row cap
(:func:`read_spreadsheet`).
"""

from __future__ import annotations

import io
import re
import warnings
import zipfile
import zlib
from dataclasses import dataclass
from xml.parsers.expat import ExpatError

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
from openpyxl import load_workbook
from PIL import Image, ImageOps, UnidentifiedImageError
from pillow_heif import register_heif_opener

register_heif_opener()

MAX_UPLOAD_BYTES = 10 * 1024 * 1024
# 40 megapixels: above any phone camera, far below what would exhaust memory.
MAX_PIXELS = 40_000_000
MAX_SIDE = 1600
THUMBNAIL_SIDE = 400
ACCEPTED_FORMATS = {"JPEG", "PNG", "WEBP", "HEIF"}
MAX_PDF_BYTES = 10 * 1024 * 1024
PDF_SIGNATURE = b"%PDF-"
JPEG_QUALITY = 82


# Markup a browser would run if it ever took the file for a page: a photo or a PDF that is also
# a web page (a polyglot) is refused, even though the photo would be re-encoded anyway.
_MARKUP = re.compile(
    rb"<\s*(?:script|html|body|iframe|svg|object|embed)\b|<\?php|javascript:", re.IGNORECASE
)


def _refuse_markup(upload) -> None:
    upload.seek(0)
    found = _MARKUP.search(upload.read())
    upload.seek(0)
    if found:
        raise ValidationError(
            _("This file hides a web page or a script inside it; it was refused."),
            code="markup",
        )


@dataclass(frozen=True)
class ProcessedImage:
    image: ContentFile
    thumbnail: ContentFile
    width: int
    height: int


def _encode(image: Image.Image, name: str) -> ContentFile:
    buffer = io.BytesIO()
    # A fresh save without exif= or icc_profile= writes no metadata at all.
    image.save(buffer, format="JPEG", quality=JPEG_QUALITY, optimize=True, progressive=True)
    return ContentFile(buffer.getvalue(), name=name)


def process_image(
    upload, *, max_bytes: int = MAX_UPLOAD_BYTES, max_pixels: int = MAX_PIXELS
) -> ProcessedImage:
    """Validate ``upload`` (a Django UploadedFile or file object) and re-encode it.

    Raises ValidationError with a message the uploader can act on.
    """
    size = getattr(upload, "size", None)
    if size is None:
        upload.seek(0, io.SEEK_END)
        size = upload.tell()
    if size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s. Send a smaller photo."),
            code="too_large",
            params={"size": filesizeformat(size), "limit": filesizeformat(max_bytes)},
        )
    _refuse_markup(upload)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(upload) as probe:
                image_format = probe.format
                width, height = probe.size
                if image_format not in ACCEPTED_FORMATS:
                    raise ValidationError(
                        _("This file is not a JPEG, PNG, WebP or HEIC photo."), code="format"
                    )
                if width * height > max_pixels:
                    raise ValidationError(
                        _("The image is too large (%(width)d x %(height)d pixels)."),
                        code="too_many_pixels",
                        params={"width": width, "height": height},
                    )
                probe.load()
                image = ImageOps.exif_transpose(probe)
                image = image.convert("RGB")
    except ValidationError:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ValidationError(
            _("The image is too large to process safely."), code="too_many_pixels"
        ) from exc
    except (UnidentifiedImageError, OSError, SyntaxError, ValueError) as exc:
        raise ValidationError(
            _("This file is not a JPEG, PNG, WebP or HEIC photo, or it is damaged."),
            code="format",
        ) from exc

    full = image.copy()
    full.thumbnail((MAX_SIDE, MAX_SIDE), Image.Resampling.LANCZOS)
    thumbnail = image.copy()
    thumbnail.thumbnail((THUMBNAIL_SIDE, THUMBNAIL_SIDE), Image.Resampling.LANCZOS)
    return ProcessedImage(
        image=_encode(full, "photo.jpg"),
        thumbnail=_encode(thumbnail, "thumbnail.jpg"),
        width=full.width,
        height=full.height,
    )


@dataclass(frozen=True)
class PdfUpload:
    """A PDF whose content was checked by :func:`check_pdf`."""

    content: bytes

    def as_file(self, name: str) -> ContentFile:
        return ContentFile(self.content, name=name)


def check_pdf(upload, *, max_bytes: int = MAX_PDF_BYTES) -> PdfUpload:
    """A PDF recognised by its content (signature and end marker), never by its name."""
    if upload.size > max_bytes:
        raise ValidationError(
            _("The file is %(size)s; the limit is %(limit)s."),
            code="too_large",
            params={"size": filesizeformat(upload.size), "limit": filesizeformat(max_bytes)},
        )
    upload.seek(0)
    content = upload.read()
    if not content.startswith(PDF_SIGNATURE) or b"%%EOF" not in content[-2048:]:
        raise ValidationError(_("This file is not a PDF, or it is incomplete."), code="format")
    _refuse_markup(upload)
    return PdfUpload(content)


def check_image_or_pdf(upload, *, max_bytes: int = MAX_PDF_BYTES) -> ProcessedImage | PdfUpload:
    """A scanned sheet or signed form: a PDF, or a photo through the image pipeline."""
    upload.seek(0)
    is_pdf = upload.read(len(PDF_SIGNATURE)) == PDF_SIGNATURE
    upload.seek(0)
    if is_pdf:
        return check_pdf(upload, max_bytes=max_bytes)
    return process_image(upload, max_bytes=max_bytes)


class SafeImageField(forms.FileField):
    """A form field whose cleaned value is a :class:`ProcessedImage`."""

    default_error_messages = {"empty": _("The file is empty.")}

    def __init__(self, *, max_bytes: int = MAX_UPLOAD_BYTES, **kwargs):
        self.max_bytes = max_bytes
        kwargs.setdefault(
            "help_text",
            _("JPEG, PNG, WebP or HEIC, up to %(limit)s.") % {"limit": filesizeformat(max_bytes)},
        )
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("accept", "image/jpeg,image/png,image/webp,image/heic")

    def clean(self, data, initial=None):
        upload = super().clean(data, initial)
        if not upload:
            return upload
        return process_image(upload, max_bytes=self.max_bytes)


# Spreadsheets ---------------------------------------------------------------------------------

# An import sheet of a few thousand rows unpacks to a few megabytes of XML.
MAX_SPREADSHEET_UNPACKED_BYTES = 20 * 1024 * 1024
# Sheet XML compresses about 10 to 20 times; a zip bomb a thousand times.
MAX_SPREADSHEET_RATIO = 100
# Parts small enough to compress very well whatever they hold are not judged by their ratio.
RATIO_CHECKED_FROM_BYTES = 1024 * 1024
# A workbook saved by Excel or LibreOffice has a few dozen parts.
MAX_SPREADSHEET_MEMBERS = 200
# The first sheet is read up to this many columns; an import uses about a dozen.
MAX_SPREADSHEET_COLUMNS = 50
# Empty rows (formatted, or left below the list) are skipped, up to this many per data row.
EMPTY_ROWS_PER_ROW = 10

_UNREADABLE = _("This Excel workbook cannot be read; it may be damaged.")


def check_spreadsheet(upload) -> None:
    """Refuse an XLSX whose zip directory promises more work than an import sheet needs.

    Reads only the directory at the end of the file: nothing is unpacked, so a zip bomb is
    refused in milliseconds. zipfile never yields more than the size a part declares, so the
    declared sizes bound what a later reader unpacks.
    """
    upload.seek(0)
    try:
        with zipfile.ZipFile(upload) as archive:
            members = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        raise ValidationError(_UNREADABLE, code="format") from exc
    finally:
        upload.seek(0)
    if len(members) > MAX_SPREADSHEET_MEMBERS:
        raise ValidationError(
            _("The workbook has %(count)d parts; at most %(limit)d are accepted."),
            code="too_many_parts",
            params={"count": len(members), "limit": MAX_SPREADSHEET_MEMBERS},
        )
    unpacked = sum(member.file_size for member in members)
    if unpacked > MAX_SPREADSHEET_UNPACKED_BYTES:
        raise ValidationError(
            _(
                "The workbook unpacks to %(size)s; the limit is %(limit)s. Keep only the sheet "
                "to import (no pictures or other sheets), or split it into smaller files."
            ),
            code="too_large_unpacked",
            params={
                "size": filesizeformat(unpacked),
                "limit": filesizeformat(MAX_SPREADSHEET_UNPACKED_BYTES),
            },
        )
    for member in members:
        if member.file_size < RATIO_CHECKED_FROM_BYTES:
            continue
        ratio = member.file_size / max(member.compress_size, 1)
        if ratio > MAX_SPREADSHEET_RATIO:
            raise ValidationError(
                _(
                    "The workbook is packed %(ratio)d times tighter than a spreadsheet can be, "
                    "as a zip bomb is; it was not opened."
                ),
                code="ratio",
                params={"ratio": ratio},
            )


def read_spreadsheet(upload, *, max_rows: int) -> list[tuple]:
    """The rows of the first sheet of an XLSX, as tuples of cell values, header included.

    Checked first with :func:`check_spreadsheet`, then streamed (openpyxl's read-only mode)
    and stopped as soon as there are more than ``max_rows`` rows below the header that hold
    something, or too many empty ones. Empty rows are kept, so that row numbers match the sheet.
    """
    check_spreadsheet(upload)
    rows: list[tuple] = []
    filled = 0
    try:
        workbook = load_workbook(upload, read_only=True, data_only=True)
        try:
            sheet = workbook.worksheets[0]
            for values in sheet.iter_rows(values_only=True, max_col=MAX_SPREADSHEET_COLUMNS):
                rows.append(values)
                if any(value is not None and str(value).strip() for value in values):
                    filled += 1
                if filled > max_rows + 1:
                    raise ValidationError(
                        _("The sheet has more than %(count)d rows; split it into smaller files."),
                        code="too_many_rows",
                        params={"count": max_rows},
                    )
                if len(rows) > (max_rows + 1) * EMPTY_ROWS_PER_ROW:
                    raise ValidationError(
                        _(
                            "The sheet has more than %(count)d rows, most of them empty; delete "
                            "the empty rows below the list and send it again."
                        ),
                        code="too_many_rows",
                        params={"count": len(rows) - 1},
                    )
        finally:
            workbook.close()
    except ValidationError:
        raise
    except (
        zipfile.BadZipFile,
        zipfile.LargeZipFile,
        zlib.error,
        KeyError,
        IndexError,
        OSError,
        ValueError,
        TypeError,
        AttributeError,
        SyntaxError,  # xml.etree's ParseError
        ExpatError,
        EOFError,
    ) as exc:
        raise ValidationError(_UNREADABLE, code="format") from exc
    return rows
