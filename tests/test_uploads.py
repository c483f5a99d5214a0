import io

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from PIL import Image

from libraries.uploads import MAX_SIDE, THUMBNAIL_SIDE, process_image

GPS_IFD = 0x8825


def _image_bytes(fmt="JPEG", size=(2400, 1800), exif=None) -> bytes:
    buffer = io.BytesIO()
    image = Image.new("RGB", size, (200, 120, 40))
    kwargs = {"exif": exif} if exif is not None else {}
    image.save(buffer, format=fmt, **kwargs)
    return buffer.getvalue()


def _gps_exif():
    exif = Image.Exif()
    exif[0x010F] = "PhoneMaker"  # Make
    exif.get_ifd(GPS_IFD).update({1: "S", 2: (0.0, 30.0, 0.0), 3: "E", 4: (117.0, 9.0, 0.0)})
    return exif


def _upload(content: bytes, name="foto.jpg"):
    return SimpleUploadedFile(name, content, content_type="image/jpeg")


def test_photo_is_resized_with_a_thumbnail():
    processed = process_image(_upload(_image_bytes()))

    full = Image.open(processed.image)
    thumb = Image.open(processed.thumbnail)
    assert full.format == "JPEG" and max(full.size) == MAX_SIDE
    assert max(thumb.size) == THUMBNAIL_SIDE
    assert (processed.width, processed.height) == full.size


def test_gps_and_camera_metadata_are_stripped_from_a_png():
    original = _image_bytes("PNG", (800, 600), exif=_gps_exif())
    assert Image.open(io.BytesIO(original)).getexif().get_ifd(GPS_IFD)

    processed = process_image(_upload(original, "peta.png"))

    for stored in (processed.image, processed.thumbnail):
        exif = Image.open(stored).getexif()
        assert not exif.get_ifd(GPS_IFD)
        assert 0x010F not in exif
    assert b"PhoneMaker" not in processed.image.read()


def test_script_renamed_to_jpg_is_refused():
    script = b"#!/bin/sh\nrm -rf /\n"

    with pytest.raises(ValidationError) as error:
        process_image(_upload(script, "foto.jpg"))

    assert error.value.code == "format"


def test_oversized_file_is_refused_with_the_limit_in_the_message():
    with pytest.raises(ValidationError) as error:
        process_image(_upload(_image_bytes(size=(400, 300))), max_bytes=1000)

    assert error.value.code == "too_large"
    assert "1000" in error.value.messages[0]


def test_decompression_bomb_is_refused_before_decoding():
    # A tiny PNG that claims 20,000 x 20,000 pixels of one colour.
    bomb = io.BytesIO()
    Image.new("1", (20_000, 20_000)).save(bomb, format="PNG")
    assert len(bomb.getvalue()) < 100_000

    with pytest.raises(ValidationError) as error:
        process_image(_upload(bomb.getvalue(), "bom.png"))

    assert error.value.code == "too_many_pixels"


def test_gif_is_refused_even_though_it_is_an_image():
    with pytest.raises(ValidationError):
        process_image(_upload(_image_bytes("GIF", (50, 50)), "animasi.gif"))


def test_truncated_jpeg_is_refused():
    with pytest.raises(ValidationError):
        process_image(_upload(_image_bytes()[:2000]))


def test_image_or_pdf_accepts_a_complete_pdf_and_a_photo():
    from libraries.uploads import PdfUpload, ProcessedImage, check_image_or_pdf

    pdf = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"

    assert isinstance(check_image_or_pdf(_upload(pdf, "form.pdf")), PdfUpload)
    assert isinstance(check_image_or_pdf(_upload(_image_bytes(size=(40, 30)))), ProcessedImage)


def test_image_or_pdf_refuses_a_truncated_pdf_and_a_script():
    from libraries.uploads import check_image_or_pdf

    for content in (b"%PDF-1.4\n1 0 obj<<", b"#!/bin/sh\necho\n"):
        with pytest.raises(ValidationError) as error:
            check_image_or_pdf(_upload(content, "form.pdf"))
        assert error.value.code == "format"
