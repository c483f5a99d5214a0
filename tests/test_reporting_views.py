"""Recording activities, visitors and partnerships through the reporting pages."""

import datetime
import io
import uuid

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from libraries.models import (
    Activity,
    ActivityEvidence,
    Agreement,
    BudgetAllocation,
    Partner,
    Regulation,
    VisitorCount,
)
from tests import factories

CREATE = reverse("reporting:activity-create")
LIST = reverse("reporting:activity-list")
VISITORS = reverse("reporting:visitors")

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def _photo(name="foto.jpg") -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _activity_data(library, **overrides):
    data = {
        "library": library.pk,
        "idempotency_key": str(uuid.uuid4()),
        "strategy": "engagement",
        "kind": "training",
        "title": "Pelatihan keripik pisang",
        "date": "2024-03-05",
        "skills": "Mengolah keripik",
        "participants_male": 4,
        "participants_female": 11,
    }
    data.update(overrides)
    return data


# Recording an activity


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    response = client.get(CREATE)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_consultant_reads_but_cannot_record_activities(client_for, consultant, village_library):
    client = client_for(consultant)

    assert client.get(LIST).status_code == 200
    assert client.get(CREATE).status_code == 403
    assert client.post(CREATE, _activity_data(village_library)).status_code == 403
    assert not Activity.objects.exists()


def test_record_form_defaults_to_today_in_the_library_time_zone(
    client_for, village_librarian, village_library
):
    response = client_for(village_librarian).get(CREATE)

    today_in_samarinda = timezone.localdate(timezone=datetime.timezone(datetime.timedelta(hours=8)))
    assert response.status_code == 200
    assert response.context["form"].initial["date"] == today_in_samarinda
    assert 'type="hidden" name="library"' in response.text


def test_village_librarian_records_an_activity_with_a_photo_and_a_pdf_sheet(
    client_for, village_librarian, village_library
):
    data = _activity_data(
        village_library,
        photos=[_photo(), _photo("dua.jpg")],
        attendance=SimpleUploadedFile("daftar-hadir.pdf", PDF, content_type="application/pdf"),
    )

    response = client_for(village_librarian).post(CREATE, data, follow=True)

    activity = Activity.objects.get()
    assert response.redirect_chain[-1][0] == reverse(
        "reporting:activity-detail", args=[activity.pk]
    )
    assert "Kegiatan tercatat" in response.text
    assert activity.participants_total == 15
    assert activity.recorded_by == village_librarian
    kinds = sorted(activity.evidence.values_list("kind", "content_type"))
    assert kinds == [
        ("attendance", "application/pdf"),
        ("photo", "image/jpeg"),
        ("photo", "image/jpeg"),
    ]


def test_double_submit_records_the_activity_once(client_for, village_librarian, village_library):
    client = client_for(village_librarian)
    data = _activity_data(village_library)

    first = client.post(CREATE, data)
    second = client.post(CREATE, data, follow=True)

    assert first.status_code == 302
    assert Activity.objects.count() == 1
    assert "sudah tercatat" in second.text


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"participants_male": -1}, "participants_male"),
        ({"title": ""}, "title"),
        ({"date": "kemarin"}, "date"),
        ({"date": "2031-01-01"}, "date"),
        ({"strategy": "lobbying"}, "strategy"),
    ],
)
def test_bad_activity_input_is_explained_and_nothing_saved(
    client_for, village_librarian, village_library, overrides, field
):
    response = client_for(village_librarian).post(
        CREATE, _activity_data(village_library, **overrides)
    )

    assert response.status_code == 200
    assert response.context["form"].errors[field]
    assert not Activity.objects.exists()


def test_age_groups_that_do_not_add_up_are_refused(client_for, village_librarian, village_library):
    data = _activity_data(village_library, age_children=1, age_youth=1, age_adults=1, age_elderly=1)

    response = client_for(village_librarian).post(CREATE, data)

    assert "berjumlah 4" in response.text
    assert not Activity.objects.exists()


def test_a_file_that_is_not_a_pdf_or_photo_is_refused(
    client_for, village_librarian, village_library
):
    fake = SimpleUploadedFile("daftar.pdf", b"MZ\x90\x00not a pdf", content_type="application/pdf")

    response = client_for(village_librarian).post(
        CREATE, _activity_data(village_library, attendance=fake)
    )

    assert response.context["form"].errors["attendance"]
    assert not Activity.objects.exists()
    assert not ActivityEvidence.objects.exists()


def test_village_librarian_cannot_record_for_another_library(
    client_for, village_librarian, berau_village_library
):
    response = client_for(village_librarian).post(CREATE, _activity_data(berau_village_library))

    assert response.context["form"].errors["library"]
    assert not Activity.objects.exists()


def test_district_librarian_records_for_a_village_of_their_kab_kota(
    client_for, district_librarian, village_library, berau_village_library
):
    client = client_for(district_librarian)

    allowed = client.post(CREATE, _activity_data(village_library))
    refused = client.post(CREATE, _activity_data(berau_village_library))

    assert allowed.status_code == 302
    assert refused.context["form"].errors["library"]
    assert list(Activity.objects.values_list("library", flat=True)) == [village_library.pk]


def test_partner_of_another_library_cannot_be_attached(
    client_for, district_librarian, village_library, samarinda_library
):
    partner = factories.PartnerFactory(library=samarinda_library, name="Bank Kaltimtara")

    response = client_for(district_librarian).post(
        CREATE, _activity_data(village_library, partners=[partner.pk])
    )

    assert response.context["form"].errors["partners"]
    assert not Activity.objects.exists()


def test_record_refuses_put(client_for, village_librarian, village_library):
    assert client_for(village_librarian).put(CREATE).status_code == 405


# Detail, edit, delete


@pytest.fixture
def activity(village_library):
    return factories.ActivityFactory(
        library=village_library, title="Kelas literasi digital", participants_female=8
    )


def test_detail_of_another_province_is_404(client_for, outsider, activity):
    url = reverse("reporting:activity-detail", args=[activity.pk])

    assert client_for(outsider).get(url).status_code == 404


def test_consultant_sees_the_activity_without_edit_buttons(client_for, consultant, activity):
    response = client_for(consultant).get(reverse("reporting:activity-detail", args=[activity.pk]))

    assert "Kelas literasi digital" in response.text
    assert reverse("reporting:activity-edit", args=[activity.pk]) not in response.text


def test_consultant_cannot_edit_an_activity(client_for, consultant, activity):
    url = reverse("reporting:activity-edit", args=[activity.pk])

    assert client_for(consultant).get(url).status_code == 403


def test_outsider_editing_gets_404(client_for, outsider, activity):
    url = reverse("reporting:activity-edit", args=[activity.pk])

    assert client_for(outsider).post(url, {}).status_code == 404


def test_librarian_corrects_the_participants(client_for, village_librarian, activity):
    url = reverse("reporting:activity-edit", args=[activity.pk])
    data = _activity_data(activity.library, participants_female=9, version=activity.version)

    response = client_for(village_librarian).post(url, data)

    activity.refresh_from_db()
    assert response.status_code == 302
    assert (activity.participants_female, activity.participants_total) == (9, 13)
    assert activity.version == 2


def test_stale_edit_is_refused_and_nothing_overwritten(client_for, village_librarian, activity):
    url = reverse("reporting:activity-edit", args=[activity.pk])
    Activity.objects.filter(pk=activity.pk).update(version=5, title="Disunting orang lain")

    response = client_for(village_librarian).post(url, _activity_data(activity.library, version=1))

    activity.refresh_from_db()
    assert "Orang lain menyimpan kegiatan ini" in response.text
    assert activity.title == "Disunting orang lain"


def test_delete_needs_post(client_for, village_librarian, activity):
    url = reverse("reporting:activity-delete", args=[activity.pk])
    client = client_for(village_librarian)

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not Activity.objects.exists()


def test_evidence_is_served_only_inside_the_scope(
    client_for, village_librarian, outsider, consultant, activity
):
    client = client_for(village_librarian)
    client.post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "photo", "file": _photo()},
    )
    evidence = ActivityEvidence.objects.get()
    url = reverse("reporting:evidence-file", args=[evidence.pk])

    response = client_for(consultant).get(url)

    assert response.status_code == 200
    assert response["Content-Type"] == "image/jpeg"
    assert client_for(outsider).get(url).status_code == 404
    assert (
        client_for(consultant)
        .post(reverse("reporting:evidence-delete", args=[evidence.pk]))
        .status_code
        == 403
    )


def test_a_pdf_is_not_accepted_as_a_photo(client_for, village_librarian, activity):
    response = client_for(village_librarian).post(
        reverse("reporting:evidence-add", args=[activity.pk]),
        {"kind": "photo", "file": SimpleUploadedFile("x.pdf", PDF)},
    )

    assert response.status_code == 400
    assert not ActivityEvidence.objects.exists()


def test_activity_list_keeps_a_fixed_number_of_queries(
    client_for, consultant, village_library, django_assert_num_queries
):
    client = client_for(consultant)
    factories.ActivityFactory(library=village_library)
    client.get(LIST)

    # session, user, provinces of the consultant, one page of activities (never a count)
    with django_assert_num_queries(4):
        client.get(LIST)
    for _ in range(10):
        factories.ActivityFactory(library=village_library)
    with django_assert_num_queries(4):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 11


def test_activity_export_holds_only_the_users_scope(
    client_for, consultant, village_library, kepri_library
):
    factories.ActivityFactory(library=village_library, title="Pelatihan Samarinda")
    factories.ActivityFactory(library=kepri_library, title="Pelatihan Tanjung Pinang")

    response = client_for(consultant).get(reverse("reporting:export", args=["kegiatan", "csv"]))

    text = b"".join(response.streaming_content).decode()
    assert "Pelatihan Samarinda" in text
    assert "Tanjung Pinang" not in text


@pytest.mark.parametrize("dataset", ["pengunjung", "mitra", "kesepakatan", "regulasi", "anggaran"])
def test_every_dataset_exports_to_xlsx(client_for, consultant, village_library, dataset):
    response = client_for(consultant).get(reverse("reporting:export", args=[dataset, "xlsx"]))

    assert response.status_code == 200
    assert response.content[:2] == b"PK"


def test_unknown_export_is_404(client_for, consultant, regions):
    client = client_for(consultant)

    assert client.get(reverse("reporting:export", args=["rahasia", "csv"])).status_code == 404
    assert client.get(reverse("reporting:export", args=["kegiatan", "pdf"])).status_code == 404


# Visitors


def test_recording_a_month_twice_corrects_it(client_for, village_librarian, village_library):
    client = client_for(village_librarian)

    client.post(VISITORS, {"library": village_library.pk, "month": "2024-02", "visitors": 120})
    client.post(VISITORS, {"library": village_library.pk, "month": "2024-02", "visitors": 135})

    count = VisitorCount.objects.get()
    assert (count.month, count.visitors) == (datetime.date(2024, 2, 1), 135)


def test_visitors_of_a_future_month_are_refused(client_for, village_librarian, village_library):
    next_year = timezone.localdate().year + 1

    response = client_for(village_librarian).post(
        VISITORS, {"library": village_library.pk, "month": f"{next_year}-01", "visitors": 5}
    )

    assert response.status_code == 400
    assert response.context["form"].errors["month"]
    assert not VisitorCount.objects.exists()


def test_consultant_cannot_record_visitors(client_for, consultant, village_library):
    response = client_for(consultant).post(
        VISITORS, {"library": village_library.pk, "month": "2024-02", "visitors": 5}
    )

    assert response.status_code == 403


def test_visitor_list_shows_only_the_scope(client_for, outsider, village_library):
    factories.VisitorCountFactory(library=village_library)

    response = client_for(outsider).get(VISITORS)

    assert list(response.context["page"].object_list) == []


# Partnerships


def test_district_librarian_records_a_partner_and_an_mou_with_its_document(
    client_for, district_librarian, samarinda_library, outsider, consultant
):
    client = client_for(district_librarian)
    client.post(
        reverse("reporting:partnership-create", args=["mitra"]),
        {"library": samarinda_library.pk, "name": "Bank Kaltimtara", "kind": "bank"},
    )
    partner = Partner.objects.get()

    response = client.post(
        reverse("reporting:partnership-create", args=["kesepakatan"]),
        {
            "library": samarinda_library.pk,
            "partner": partner.pk,
            "kind": "mou",
            "title": "Literasi keuangan untuk UMKM",
            "signed_on": "2024-05-02",
            "valid_until": "2026-05-01",
            "document_file": SimpleUploadedFile("mou.pdf", PDF),
        },
    )

    agreement = Agreement.objects.get()
    assert response.status_code == 302
    url = reverse("reporting:partnership-document", args=["kesepakatan", agreement.pk])
    assert client_for(consultant).get(url).status_code == 200
    assert client_for(outsider).get(url).status_code == 404


def test_agreement_ending_before_it_is_signed_is_refused(
    client_for, district_librarian, samarinda_library
):
    partner = factories.PartnerFactory(library=samarinda_library)

    response = client_for(district_librarian).post(
        reverse("reporting:partnership-create", args=["kesepakatan"]),
        {
            "library": samarinda_library.pk,
            "partner": partner.pk,
            "kind": "mou",
            "title": "MoU",
            "signed_on": "2024-05-02",
            "valid_until": "2024-01-01",
        },
    )

    assert response.status_code == 400
    assert not Agreement.objects.exists()


def test_a_document_that_is_not_a_pdf_is_refused(client_for, village_librarian, village_library):
    response = client_for(village_librarian).post(
        reverse("reporting:partnership-create", args=["regulasi"]),
        {
            "library": village_library.pk,
            "kind": "perdes",
            "title": "Perdes perpustakaan desa",
            "issued_on": "2024-02-01",
            "document_file": SimpleUploadedFile("perdes.pdf", b"<html>not a pdf</html>"),
        },
    )

    assert response.status_code == 400
    assert response.context["form"].errors["document_file"]
    assert not Regulation.objects.exists()


def test_budget_allocation_of_zero_rupiah_is_refused(
    client_for, village_librarian, village_library
):
    url = reverse("reporting:partnership-create", args=["anggaran"])
    data = {
        "library": village_library.pk,
        "source": "dana_desa",
        "amount": 0,
        "purpose": "Buku",
        "decided_on": "2024-01-10",
    }
    client = client_for(village_librarian)

    refused = client.post(url, data)
    accepted = client.post(url, {**data, "amount": 25_000_000})

    assert refused.status_code == 400
    assert accepted.status_code == 302
    assert BudgetAllocation.objects.get().amount == 25_000_000


def test_partnership_page_shows_the_scope_only(client_for, outsider, consultant, village_library):
    factories.PartnerFactory(library=village_library, name="Koperasi Maju Bersama")

    assert (
        "Koperasi Maju Bersama"
        in client_for(consultant).get(reverse("reporting:partnerships")).text
    )
    assert (
        "Koperasi Maju Bersama"
        not in client_for(outsider).get(reverse("reporting:partnerships")).text
    )


def test_unknown_partnership_kind_is_404(client_for, village_librarian):
    url = reverse("reporting:partnership-create", args=["rahasia"])

    assert client_for(village_librarian).get(url).status_code == 404


def test_partner_used_by_an_agreement_is_not_deleted(
    client_for, village_librarian, village_library
):
    partner = factories.PartnerFactory(library=village_library)
    Agreement.objects.create(
        library=village_library, partner=partner, title="MoU", signed_on=datetime.date(2024, 1, 1)
    )

    client_for(village_librarian).post(
        reverse("reporting:partnership-delete", args=["mitra", partner.pk])
    )

    assert Partner.objects.filter(pk=partner.pk).exists()
