"""Evidence and documents of activity reporting: private storage, cleanup, admin corrections."""

import datetime
import io
import uuid
from importlib import import_module

import pytest
from django.apps import apps
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from PIL import Image

from libraries.models import Activity, ActivityEvidence, Agreement, Regulation
from libraries.reporting.forms import EvidenceForm
from libraries.reporting.services import (
    EditConflict,
    PdfUpload,
    activity_delete,
    activity_record,
    activity_update,
    evidence_add,
)
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
    return ActivityEvidence.objects.get(kind="attendance")


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


# Files go with their records


@pytest.fixture
def photo_evidence(client_for, village_librarian, activity):
    client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "photo", "file": _photo()},
    )
    return ActivityEvidence.objects.get(kind="photo")


def test_removing_evidence_in_the_portal_removes_its_files(
    client_for, village_librarian, photo_evidence, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(village_librarian).post(
            reverse("reporting:evidence-delete", args=[photo_evidence.pk])
        )

    assert not ActivityEvidence.objects.exists()
    assert _files(media) == set()


def test_deleting_an_activity_in_the_portal_removes_its_files(
    client_for, village_librarian, sheet, media, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        client_for(village_librarian).post(
            reverse("reporting:activity-delete", args=[sheet.activity_id])
        )

    assert not ActivityEvidence.objects.exists()
    assert _files(media) == set()


def test_deleting_an_activity_in_the_admin_removes_its_files(
    client_for, consultant, sheet, media, django_capture_on_commit_callbacks
):
    url = reverse("admin:libraries_activity_delete", args=[sheet.activity_id])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(consultant).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert _files(media) == set()


def test_deleting_selected_activities_in_the_admin_removes_their_files(
    client_for, consultant, sheet, photo_evidence, media, django_capture_on_commit_callbacks
):
    other = factories.ActivityFactory(library=sheet.activity.library)

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(consultant).post(
            reverse("admin:libraries_activity_changelist"),
            {
                "action": "delete_selected",
                "_selected_action": [sheet.activity_id, other.pk],
                "post": "yes",
            },
        )

    assert response.status_code == 302
    assert not Activity.objects.exists()
    assert _files(media) == set()


def test_removing_evidence_inline_in_the_admin_removes_its_files(
    client_for, consultant, sheet, photo_evidence, media, django_capture_on_commit_callbacks
):
    activity = sheet.activity
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    data = _admin_activity_data(client, url)
    prefix = "evidence"
    rows = {data[f"{prefix}-{i}-id"]: i for i in range(2)}
    data[f"{prefix}-{rows[str(sheet.pk)]}-DELETE"] = "on"

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(url, data)

    assert response.status_code == 302, response.context["errors"]
    assert list(ActivityEvidence.objects.all()) == [photo_evidence]
    assert f"private/{sheet.file.name}" not in _files(media)
    assert f"private/{photo_evidence.file.name}" in _files(media)


def test_deleting_an_mou_in_the_admin_removes_its_document(
    client_for,
    consultant,
    district_librarian,
    village_library,
    media,
    django_capture_on_commit_callbacks,
):
    agreement = _agreement(client_for, district_librarian, village_library)
    url = reverse("admin:libraries_agreement_delete", args=[agreement.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(consultant).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Agreement.objects.exists()
    assert _files(media) == set()


def test_an_activity_that_fails_to_record_leaves_no_files(
    village_librarian, village_library, media
):
    photo = EvidenceForm(data={"kind": "photo"}, files={"file": _photo()})
    assert photo.is_valid(), photo.errors

    with pytest.raises(TypeError):
        activity_record(
            actor=village_librarian,
            library=village_library,
            idempotency_key=uuid.uuid4(),
            title="Pelatihan",
            date=datetime.date(2024, 3, 5),
            photos=[photo.cleaned_data["file"]],
            # Not through the safe upload fields: refused after the photo was written.
            attendance=SimpleUploadedFile("daftar-hadir.pdf", PDF),
        )

    assert not Activity.objects.exists()
    assert _files(media) == set()


def test_evidence_for_an_activity_deleted_meanwhile_leaves_no_files(
    village_librarian, activity, media
):
    Activity.objects.filter(pk=activity.pk).delete()

    with pytest.raises(ValidationError):
        evidence_add(
            actor=village_librarian, activity=activity, kind="attendance", upload=PdfUpload(PDF)
        )

    assert _files(media) == set()


def _admin_activity_data(client, url) -> dict:
    """The admin change form of an activity as the browser would post it back."""
    page = client.get(url)
    form = page.context["adminform"].form
    data = {}
    for name in form.fields:
        value = form[name].value()
        if value is None:
            continue
        data[name] = [str(v) for v in value] if isinstance(value, list | tuple) else str(value)
    inlines = page.context.get("inline_admin_formsets") or []
    if not inlines:
        return data
    formset = inlines[0].formset
    management = formset.management_form
    for name in management.fields:
        data[f"{formset.prefix}-{name}"] = management[name].value()
    for i, inline in enumerate(formset.forms):
        data[f"{formset.prefix}-{i}-id"] = str(inline.instance.pk)
        data[f"{formset.prefix}-{i}-activity"] = str(inline.instance.activity_id)
    return data


def test_consultant_of_another_province_cannot_delete_an_activity(outsider, sheet, media):
    with pytest.raises(PermissionDenied):
        activity_delete(actor=outsider, activity=sheet.activity)

    assert ActivityEvidence.objects.exists()
    assert _files(media) == {f"private/{sheet.file.name}"}


# Corrections in the admin


def test_admin_refuses_a_save_that_would_overwrite_a_portal_edit(
    client_for, consultant, village_librarian, activity
):
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    data = _admin_activity_data(client, url)
    activity_update(
        actor=village_librarian, activity=activity, version=activity.version, title="Dari portal"
    )
    data["title"] = "Dari admin"

    response = client.post(url, data)

    assert response.status_code == 200
    assert "Orang lain telah menyimpan kegiatan ini" in response.text
    activity.refresh_from_db()
    assert activity.title == "Dari portal"
    assert activity.version == 2


def test_admin_correction_moves_the_version_on(client_for, consultant, village_librarian, activity):
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    data = _admin_activity_data(client, url)
    data["title"] = "Dikoreksi konsultan"

    assert client.post(url, data).status_code == 302

    activity.refresh_from_db()
    assert activity.title == "Dikoreksi konsultan"
    assert activity.version == 2
    with pytest.raises(EditConflict):
        activity_update(actor=village_librarian, activity=activity, version=1, title="Lama")


def test_admin_refuses_moving_an_activity_with_the_old_librarys_partners(
    client_for, consultant, activity, berau_village_library
):
    partner = factories.PartnerFactory(library=activity.library, name="BPD Kaltim")
    activity.partners.add(partner)
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    data = _admin_activity_data(client, url)
    data["library"] = str(berau_village_library.pk)

    response = client.post(url, data)

    assert response.status_code == 200
    assert "BPD Kaltim" in response.context["adminform"].form.errors["partners"][0]
    activity.refresh_from_db()
    assert activity.library_id != berau_village_library.pk


def test_admin_moves_an_activity_with_partners_of_its_new_library(
    client_for, consultant, activity, berau_village_library
):
    activity.partners.add(factories.PartnerFactory(library=activity.library))
    partner = factories.PartnerFactory(library=berau_village_library)
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    data = _admin_activity_data(client, url)
    data["library"] = str(berau_village_library.pk)
    data["partners"] = [str(partner.pk)]

    assert client.post(url, data).status_code == 302

    activity.refresh_from_db()
    assert activity.library == berau_village_library
    assert list(activity.partners.all()) == [partner]


def test_admin_reverts_an_activity_to_an_earlier_version(client_for, consultant, activity):
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    data = _admin_activity_data(client, url)
    data["title"] = "Judul baru"
    client.post(url, data)
    first = activity.history.earliest()
    revert = reverse(
        "admin:libraries_activity_simple_history", args=[activity.pk, first.history_id]
    )
    data = _admin_activity_data(client, revert)

    assert client.post(revert, data).status_code == 302

    activity.refresh_from_db()
    assert activity.title == first.title
    assert activity.version == 3


def test_admin_adds_an_activity_with_partners_of_its_library(
    client_for, consultant, village_library, berau_village_library
):
    own = factories.PartnerFactory(library=village_library)
    other = factories.PartnerFactory(library=berau_village_library, name="Koperasi Berau")
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_add")
    data = _admin_activity_data(client, url)
    data.update(
        library=str(village_library.pk),
        title="Kelas menjahit",
        date="2024-03-05",
        partners=[str(own.pk), str(other.pk)],
    )

    refused = client.post(url, data)
    data["partners"] = [str(own.pk)]
    added = client.post(url, data)

    assert "Koperasi Berau" in refused.context["adminform"].form.errors["partners"][0]
    assert added.status_code == 302
    assert list(Activity.objects.get().partners.all()) == [own]
