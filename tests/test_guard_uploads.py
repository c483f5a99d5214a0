"""Every upload: one table of hostile files against every upload and import endpoint.

Each file is refused with a clear message in Indonesian, no row is saved and nothing is left
on disk (neither in MEDIA_ROOT nor in the folder of uploads in progress). How fast they are
refused is measured by ``manage.py benchmark libraries`` ("refuse ..."), not here.
"""

from __future__ import annotations

import functools
import inspect
import uuid
from pathlib import Path

import pytest
from django import forms
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.urls import reverse
from django.utils import translation

import events.forms
import impact.forms
import impact.products.forms
import libraries.forms
import libraries.reporting.forms
from libraries.uploads import check_pdf, process_image
from tests import hostile_files
from tests.world import World, count_rows

# Messages that say why a file was refused (their Indonesian text, up to the first value).
REFUSALS = [
    "This file hides a web page or a script inside it; it was refused.",
    "This file is not a JPEG, PNG, WebP or HEIC photo.",
    "This file is not a JPEG, PNG, WebP or HEIC photo, or it is damaged.",
    "The image is too large (%(width)d x %(height)d pixels).",
    "The image is too large to process safely.",
    "The file is %(size)s; the limit is %(limit)s. Send a smaller photo.",
    "The file is %(size)s; the limit is %(limit)s.",
    "This file is not a PDF, or it is incomplete.",
    "A photo must be an image; a PDF is an attendance sheet.",
    "This Excel workbook cannot be read; it may be damaged.",
    "This file is not an Excel workbook (.xlsx).",
    "The workbook has %(count)d parts; at most %(limit)d are accepted.",
    "The workbook unpacks to %(size)s; the limit is %(limit)s. Keep only the sheet to import "
    "(no pictures or other sheets), or split it into smaller files.",
    "The workbook is packed %(ratio)d times tighter than a spreadsheet can be, as a zip bomb "
    "is; it was not opened.",
    "The file is neither XLSX nor CSV text.",
    "The file is larger than 2 MB.",
    "The first row must name the columns: Nama, Jenis kelamin, and Perpustakaan or Instansi.",
    "The submitted file is empty.",
    "The file is empty.",
]


def _fragments() -> list[str]:
    fragments = []
    with translation.override("id"):
        for message in REFUSALS:
            translated = translation.gettext(message)
            assert translated != message, f"not translated: {message}"
            fragments.append(translated.split("%(")[0].strip()[:60])
    return fragments


# The endpoints: who uploads, where, with which other fields (valid), and under which name.


def _photo_add(world: World):
    return (
        world.village_librarian,
        reverse("impact:photo-add", args=[world.story.pk]),
        {"alt_text": "Foto kegiatan", "shows_face": ""},
        "image",
    )


def _story_first_screen(world: World):
    return (
        world.village_librarian,
        reverse("impact:create"),
        {
            "library": world.library.pk,
            "draft_key": str(uuid.uuid4()),
            "title": "Cerita dengan foto",
            "photo-0-alt_text": "Foto kegiatan",
        },
        "photo-0-image",
    )


def _story_first_consent(world: World):
    return (
        world.village_librarian,
        reverse("impact:create"),
        {
            "library": world.library.pk,
            "draft_key": str(uuid.uuid4()),
            "title": "Cerita dengan persetujuan",
            "consent-purposes": "story_use",
            "consent-given_by": "Ibu Sumiati",
            "consent-method": "signed_form",
            "consent-given_on": "2024-05-02",
        },
        "consent-signed_form",
    )


def _evidence(world: World):
    return (
        world.village_librarian,
        reverse("reporting:evidence-add", args=[world.activity.pk]),
        {"kind": "attendance"},
        "file",
    )


def _activity(world: World, field: str):
    return (
        world.village_librarian,
        reverse("reporting:activity-create"),
        {
            "library": world.library.pk,
            "idempotency_key": str(uuid.uuid4()),
            "strategy": "engagement",
            "kind": "training",
            "title": "Pelatihan membatik",
            "date": "2024-02-01",
            "participants_male": "3",
            "participants_female": "5",
        },
        field,
    )


def _agreement(world: World):
    return (
        world.village_librarian,
        reverse("reporting:partnership-create", args=["kesepakatan"]),
        {
            "library": world.library.pk,
            "partner": world.partner.pk,
            "kind": "mou",
            "number": "002/MOU/2024",
            "title": "MoU baru",
            "signed_on": "2024-02-01",
        },
        "document_file",
    )


def _regulation(world: World):
    return (
        world.village_librarian,
        reverse("reporting:partnership-create", args=["regulasi"]),
        {
            "library": world.library.pk,
            "kind": "perdes",
            "number": "8/2024",
            "title": "Perdes baru",
            "issued_on": "2024-02-01",
        },
        "document_file",
    )


def _consent(world: World):
    return (
        world.village_librarian,
        reverse("impact:consent-add", args=[world.story.pk]),
        {
            "kind": "naming",
            "given_by": "Ibu Sumiati",
            "method": "signed_form",
            "given_on": "2024-05-02",
        },
        "signed_form",
    )


def _product(world: World):
    return (
        world.village_librarian,
        reverse("products:create"),
        {
            "library": world.library.pk,
            "create_key": str(uuid.uuid4()),
            "name": "Keripik tempe",
            "kind": "food",
            "producer_name": "KWT Mawar",
            "photo_alt": "Keripik di meja",
        },
        "photo",
    )


def _product_photo(world: World):
    return (
        world.village_librarian,
        reverse("products:photo-set", args=[world.product.pk]),
        {"photo_alt": "Keripik di meja"},
        "photo",
    )


def _product_consent(world: World):
    return (
        world.village_librarian,
        reverse("products:consent-add", args=[world.product.pk]),
        {"given_by": "Ibu Sumiati", "method": "signed_form", "given_on": "2024-05-02"},
        "signed_form",
    )


def _participants(world: World):
    return (world.consultant, reverse("events:import", args=[world.event.pk]), {}, "file")


def _activities(world: World):
    return (
        world.village_librarian,
        reverse("reporting:activity-import"),
        {"library": world.library.pk, "month": "2024-01"},
        "file",
    )


ENDPOINTS = {
    "story photo": _photo_add,
    "new story's photo": _story_first_screen,
    "new story's signed consent form": _story_first_consent,
    "activity evidence": _evidence,
    "activity photos": functools.partial(_activity, field="photos"),
    "activity attendance sheet": functools.partial(_activity, field="attendance"),
    "agreement document": _agreement,
    "regulation document": _regulation,
    "signed consent form": _consent,
    "participant import": _participants,
    "activity import": _activities,
    "product with its photo": _product,
    "product photo": _product_photo,
    "producer's signed consent form": _product_consent,
}

#: Every file field of the portal's forms, and the endpoint above that posts to it.
FILE_FIELDS = {
    ("PhotoForm", "image"): "story photo",
    ("StoryPhotoForm", "image"): "new story's photo",
    ("StoryConsentForm", "signed_form"): "new story's signed consent form",
    ("EvidenceForm", "file"): "activity evidence",
    ("ActivityForm", "photos"): "activity photos",
    ("ActivityForm", "attendance"): "activity attendance sheet",
    ("AgreementForm", "document_file"): "agreement document",
    ("RegulationForm", "document_file"): "regulation document",
    ("ConsentForm", "signed_form"): "signed consent form",
    ("ImportUploadForm", "file"): "participant import",
    ("ImportForm", "file"): "activity import",
    ("ProductForm", "photo"): "product with its photo",
    ("ProductPhotoForm", "photo"): "product photo",
    ("ProductConsentForm", "signed_form"): "producer's signed consent form",
}


@functools.cache
def _built(kind: str) -> tuple[str, bytes]:
    return hostile_files.HOSTILE_FILES[kind]()


def test_every_file_field_of_the_portal_is_in_the_table():
    found = set()
    for module in (
        events.forms,
        impact.forms,
        impact.products.forms,
        libraries.forms,
        libraries.reporting.forms,
    ):
        for name, form in inspect.getmembers(module, inspect.isclass):
            if issubclass(form, forms.BaseForm) and form.__module__ == module.__name__:
                for field_name, field in form.base_fields.items():
                    if isinstance(field, forms.FileField):
                        found.add((name, field_name))
    assert found == set(FILE_FIELDS)
    assert set(FILE_FIELDS.values()) == set(ENDPOINTS)


def _files_under(*folders: Path) -> set[str]:
    return {str(path) for folder in folders if folder.exists() for path in folder.rglob("*")} - {
        str(folder) for folder in folders
    }


@pytest.fixture
def upload_folders(settings, tmp_path):
    folder = tmp_path / "uploads-in-progress"
    folder.mkdir()
    settings.FILE_UPLOAD_TEMP_DIR = str(folder)
    return folder


@pytest.mark.parametrize("endpoint", list(ENDPOINTS))
def test_every_hostile_file_is_refused_with_a_message_and_leaves_nothing(
    world, client_for, settings, upload_folders, endpoint
):
    user, url, data, field = ENDPOINTS[endpoint](world)
    client = client_for(user)
    fragments = _fragments()
    media = Path(settings.MEDIA_ROOT)
    problems = []
    for kind in hostile_files.HOSTILE_FILES:
        name, content = _built(kind)
        before_files = _files_under(media, upload_folders)
        with transaction.atomic():
            before_rows = count_rows()
            response = client.post(
                url, {**data, field: SimpleUploadedFile(name, content)}, follow=True
            )
            saved = count_rows() != before_rows
            transaction.set_rollback(True)
        text = response.content.decode("utf-8", errors="replace")
        left = _files_under(media, upload_folders) - before_files
        if response.status_code >= 500:
            problems.append(f"{kind}: {response.status_code}")
        if saved:
            problems.append(f"{kind}: a row was saved")
        if left:
            problems.append(f"{kind}: left {sorted(left)}")
        if not any(fragment in text for fragment in fragments):
            problems.append(f"{kind}: no message saying why the file was refused")
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize(
    "built", [hostile_files.polyglot_jpeg_html, hostile_files.polyglot_pdf_html]
)
def test_a_file_that_is_also_a_web_page_is_refused(built):
    name, content = built()
    check = check_pdf if name.endswith(".pdf") else process_image

    with pytest.raises(ValidationError) as error:
        check(SimpleUploadedFile(name, content))

    assert error.value.code == "markup"


def test_a_photo_and_a_pdf_without_markup_still_pass():
    assert process_image(SimpleUploadedFile("foto.jpg", hostile_files.jpeg())).width == 64
    assert check_pdf(SimpleUploadedFile("dokumen.pdf", hostile_files.pdf())).content
