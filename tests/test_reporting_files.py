"""Evidence and documents of activity reporting: private storage, cleanup, admin corrections."""

import io
from importlib import import_module

import pytest
from django.apps import apps
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from libraries.models import ActivityEvidence, Agreement, Regulation
from tests import factories

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    return tmp_path


def _photo() -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile("foto.jpg", buffer.getvalue(), content_type="image/jpeg")


def _files(root) -> set[str]:
    return {str(path.relative_to(root)) for path in root.rglob("*") if path.is_file()}


@pytest.fixture
def activity(village_library):
    return factories.ActivityFactory(library=village_library)


@pytest.fixture
def sheet(client_for, village_librarian, activity):
    """A scanned attendance sheet, uploaded through the portal."""
    client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "attendance", "file": SimpleUploadedFile("daftar-hadir.pdf", PDF)},
    )
    return ActivityEvidence.objects.get()


def _agreement(client_for, district_librarian, village_library) -> Agreement:
    partner = factories.PartnerFactory(library=village_library)
    client_for(district_librarian).post(
        reverse("reporting:partnership-create", args=["kesepakatan"]),
        {
            "library": village_library.pk,
            "partner": partner.pk,
            "kind": "mou",
            "title": "Pelatihan UMKM",
            "signed_on": "2024-02-01",
            "document_file": SimpleUploadedFile("mou.pdf", PDF),
        },
    )
    return Agreement.objects.get()


# Private storage


def test_attendance_sheet_is_stored_outside_the_public_media_folder(media, sheet):
    stored = _files(media)

    assert stored == {f"private/{sheet.file.name}"}
    assert sheet.file.name.startswith("evidence/")


def test_photo_and_thumbnail_are_stored_privately(client_for, village_librarian, activity, media):
    client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "photo", "file": _photo()},
    )

    assert len(_files(media)) == 2
    assert all(name.startswith("private/evidence/") for name in _files(media))


def test_mou_and_regulation_documents_are_stored_privately(
    client_for, district_librarian, village_library, media
):
    agreement = _agreement(client_for, district_librarian, village_library)
    client_for(district_librarian).post(
        reverse("reporting:partnership-create", args=["regulasi"]),
        {
            "library": village_library.pk,
            "kind": "perdes",
            "title": "Perdes perpustakaan desa",
            "issued_on": "2024-02-01",
            "document_file": SimpleUploadedFile("perdes.pdf", PDF),
        },
    )
    regulation = Regulation.objects.get()

    assert _files(media) == {
        f"private/{agreement.document.name}",
        f"private/{regulation.document.name}",
    }


def test_admin_links_evidence_to_the_scoped_view_not_to_media(client_for, consultant, sheet):
    page = client_for(consultant).get(
        reverse("admin:libraries_activity_change", args=[sheet.activity_id])
    )

    assert page.status_code == 200
    assert reverse("reporting:evidence-file", args=[sheet.pk]) in page.text
    assert "/media/" not in page.text


def test_admin_links_an_mou_document_to_the_scoped_view_not_to_media(
    client_for, consultant, district_librarian, village_library
):
    agreement = _agreement(client_for, district_librarian, village_library)

    page = client_for(consultant).get(
        reverse("admin:libraries_agreement_change", args=[agreement.pk])
    )

    assert page.status_code == 200
    assert reverse("reporting:partnership-document", args=["kesepakatan", agreement.pk]) in (
        page.text
    )
    assert "/media/" not in page.text


def test_migration_moves_existing_sheets_out_of_the_public_media_folder(media, activity):
    migration = import_module("libraries.migrations.0003_reporting_files_private_storage")
    (media / "evidence").mkdir()
    (media / "evidence" / "lama.pdf").write_bytes(PDF)
    ActivityEvidence.objects.bulk_create(
        [
            ActivityEvidence(
                activity=activity,
                kind="attendance",
                file="evidence/lama.pdf",
                content_type="application/pdf",
            )
        ]
    )

    migration.to_private(apps, None)

    assert _files(media) == {"private/evidence/lama.pdf"}
    assert ActivityEvidence.objects.get().file.read() == PDF

    migration.to_public(apps, None)

    assert _files(media) == {"evidence/lama.pdf"}
