"""The one safe path for files people upload (story photos, evidence, signed forms).

Every upload is checked by its content, never by its name: it must decode as JPEG, PNG, WebP
or HEIC/HEIF, stay under a byte limit and a pixel limit (decompression bombs are refused before
they are decoded), and is then re-encoded from pixels: orientation applied, resized to at most
``MAX_SIDE``, metadata (EXIF, GPS, ICC comments) dropped. The original bytes are never stored.
"""

from __future__ import annotations

import io
import warnings
from dataclasses import dataclass

from django import forms
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext_lazy as _
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
    upload.seek(0)
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
