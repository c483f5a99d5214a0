"""Attendance certificates: issuing, revoking, the PDF, downloads and public verification."""

import datetime
import io
import re
import uuid
import zipfile

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone

from events.certificates import pdf as certificate_pdf
from events.certificates import views as certificate_views
from events.certificates.services import (
    certificate_issue,
    certificate_revoke,
    certificates_issue,
)
from events.models import Certificate, Facilitator
from events.services import attendance_mark, attendance_unmark, facilitator_add, participant_merge
from tests import factories
from tests.certificates import pdf_pages, pdf_text, qr_modules, qr_of


def _mark(actor, session, person):
    attendance_mark(actor=actor, session=session, participant=person, client_id=uuid.uuid4())


@pytest.fixture
def days(plm):
    return list(plm.sessions.order_by("date"))


@pytest.fixture
def siti(plm, perpusnas, village_library, days):
    """Came all three days."""
    person = factories.participant(
        "Siti Aminah", village_library, event=plm, phone="0812-5555-0101", email="siti@example.org"
    )
    for session in days:
        _mark(perpusnas, session, person)
    return person


@pytest.fixture
def budi(plm, perpusnas, berau_village_library, days):
    """Came the first two days."""
    person = factories.participant("Budi Santoso", berau_village_library, gender="M", event=plm)
    for session in days[:2]:
        _mark(perpusnas, session, person)
    return person


@pytest.fixture
def absent(plm, village_library):
    """On the list, never marked present."""
    return factories.participant("Rina Wati", village_library, event=plm)


@pytest.fixture
def issued(plm, consultant, siti, budi, absent):
    certificates_issue(actor=consultant, event=plm)
    return {c.participant_id: c for c in Certificate.objects.all()}


def _verify_url(certificate):
    return reverse("certificates:verify", args=[certificate.code])


# Issuing -----------------------------------------------------------------------------------


def test_issuing_gives_everyone_who_attended_one_certificate_with_their_days_and_hours(
    plm, consultant, siti, budi, absent
):
    result = certificates_issue(actor=consultant, event=plm)

    assert (result.issued, result.already) == (2, 0)
    by_person = {c.participant: c for c in Certificate.objects.all()}
    assert set(by_person) == {siti, budi}
    assert (by_person[siti].days, by_person[siti].minutes) == (3, 3 * 8 * 60)
    assert (by_person[budi].days, by_person[budi].minutes) == (2, 2 * 8 * 60)
    assert by_person[siti].affiliation == "Perpustakaan Kelurahan Rawa Makmur"
    assert by_person[budi].sessions[0] == {
        "date": "2022-07-04",
        "name": "Hari 1",
        "start": "08:00",
        "end": "16:00",
        "minutes": 480,
    }
    assert by_person[siti].number != by_person[budi].number
    assert len(by_person[siti].code) == 16 and by_person[siti].code != by_person[budi].code


def test_issuing_again_makes_no_duplicate_and_keeps_the_numbers(plm, consultant, issued):
    numbers = set(Certificate.objects.values_list("number", "code"))

    result = certificates_issue(actor=consultant, event=plm)

    assert (result.issued, result.already) == (0, 2)
    assert set(Certificate.objects.values_list("number", "code")) == numbers


def test_issuing_again_covers_only_the_people_marked_since(
    plm, consultant, perpusnas, issued, absent, days
):
    _mark(perpusnas, days[2], absent)

    result = certificates_issue(actor=consultant, event=plm)

    assert (result.issued, result.already) == (1, 2)
    assert Certificate.objects.get(participant=absent).days == 1


def test_issuing_for_one_person_twice_returns_the_same_certificate(plm, consultant, siti):
    first, created = certificate_issue(actor=consultant, event=plm, participant=siti)
    again, created_again = certificate_issue(actor=consultant, event=plm, participant=siti)

    assert (created, created_again) == (True, False)
    assert first == again
    assert Certificate.objects.count() == 1


def test_database_refuses_a_second_valid_certificate(plm, consultant, issued, siti):
    first = issued[siti.pk]
    twin = Certificate(
        event=plm,
        participant=siti,
        number="TPBIS/2022/X/9999",
        code="2222333344445555",
        name=first.name,
        affiliation=first.affiliation,
        days=1,
        minutes=0,
        issued_at=timezone.now(),
        issued_by=consultant,
    )

    with pytest.raises(IntegrityError), transaction.atomic():
        twin.save()


def test_person_never_marked_present_gets_no_certificate(plm, consultant, absent):
    with pytest.raises(ValidationError, match="tidak ditandai hadir"):
        certificate_issue(actor=consultant, event=plm, participant=absent)

    assert not Certificate.objects.exists()


def test_undone_marks_do_not_count(plm, consultant, perpusnas, budi, days):
    attendance_unmark(actor=perpusnas, session=days[1], participant=budi, client_id=uuid.uuid4())

    certificate, _created = certificate_issue(actor=consultant, event=plm, participant=budi)

    assert (certificate.days, certificate.minutes) == (1, 480)


def test_certificates_wait_for_the_last_day_of_the_event(consultant, perpusnas, village_library):
    soon = timezone.localdate() + datetime.timedelta(days=10)
    event = factories.event(actor=perpusnas, first_day=soon)
    person = factories.participant("Siti Aminah", village_library, event=event)
    _mark(perpusnas, event.sessions.first(), person)

    with pytest.raises(ValidationError, match="hari terakhir"):
        certificates_issue(actor=consultant, event=event)

    assert not Certificate.objects.exists()


def test_consultant_of_another_province_cannot_issue(plm, outsider, siti):
    with pytest.raises(PermissionDenied):
        certificates_issue(actor=outsider, event=plm)


def test_session_without_hours_counts_its_day_but_no_hours(plm, consultant, perpusnas, days):
    days[0].start_time = days[0].end_time = None
    days[0].save()
    person = factories.participant("Dewi Lestari", None, event=plm)
    _mark(perpusnas, days[0], person)
    _mark(perpusnas, days[1], person)

    certificate, _created = certificate_issue(actor=consultant, event=plm, participant=person)

    assert (certificate.days, certificate.minutes) == (2, 480)
    assert certificate.affiliation == "Dinas Kominfo"


def test_facilitator_certificate_names_their_role(plm, consultant, perpusnas, days):
    facilitator = facilitator_add(
        actor=perpusnas,
        event=plm,
        role=Facilitator.Role.MASTER_TRAINER,
        name="Sri Wahyuni",
        gender="F",
        library=None,
        institution="Perpustakaan Kabupaten Boyolali",
    )
    _mark(perpusnas, days[0], facilitator.participant)

    certificates_issue(actor=consultant, event=plm)

    certificate = Certificate.objects.get()
    assert certificate.role == Facilitator.Role.MASTER_TRAINER
    assert "sebagai Master Trainer dalam" in pdf_text(_download(consultant, plm, certificate))


# Revoking ----------------------------------------------------------------------------------


def test_revocation_is_recorded_not_deleted_and_a_new_certificate_can_follow(
    plm, consultant, issued, siti
):
    old = issued[siti.pk]

    certificate_revoke(actor=consultant, certificate=old, reason="Nama salah eja")
    new, created = certificate_issue(actor=consultant, event=plm, participant=siti)

    old.refresh_from_db()
    assert created
    assert not old.is_valid and old.revoked_by == consultant
    assert old.revoked_reason == "Nama salah eja"
    assert (new.number, new.code) != (old.number, old.code)
    assert Certificate.objects.filter(participant=siti).count() == 2
    assert old.history.count() == 2  # issued, then revoked


def test_revocation_needs_a_reason(consultant, issued, siti):
    with pytest.raises(ValidationError):
        certificate_revoke(actor=consultant, certificate=issued[siti.pk], reason="  ")

    assert Certificate.objects.valid().count() == 2


def test_certificate_cannot_be_revoked_twice(consultant, perpusnas, issued, siti):
    certificate_revoke(actor=consultant, certificate=issued[siti.pk], reason="Salah nama")

    with pytest.raises(ValidationError, match="sudah dicabut"):
        certificate_revoke(actor=perpusnas, certificate=issued[siti.pk], reason="Lagi")


def test_merging_two_records_of_one_person_keeps_one_valid_certificate(
    plm, consultant, perpusnas, issued, siti, days
):
    twin = factories.participant("Siti Aminah", None, institution="Kel. Rawa Makmur", event=plm)
    _mark(perpusnas, days[0], twin)
    twin_certificate, _created = certificate_issue(actor=consultant, event=plm, participant=twin)

    participant_merge(actor=perpusnas, keep=siti, duplicates=[twin])

    twin_certificate.refresh_from_db()
    assert twin_certificate.participant == siti and not twin_certificate.is_valid
    assert Certificate.objects.valid().get(participant=siti) == issued[siti.pk]


# The PDF -----------------------------------------------------------------------------------


def _download(user, event, certificate, **params):
    from django.test import Client

    client = Client()
    client.force_login(user)
    url = reverse("events:certificate-download", args=[event.pk, certificate.pk])
    response = client.get(url, params)
    assert response.status_code == 200
    return response.content


def test_certificate_pdf_carries_the_name_library_event_and_hours_attended(
    consultant, plm, issued, budi
):
    certificate = issued[budi.pk]

    content = _download(consultant, plm, certificate)

    (page,) = pdf_pages(content)
    assert (round(page.mediabox.width), round(page.mediabox.height)) == (842, 595)  # A4 landscape
    text = pdf_text(content)
    for expected in [
        "SERTIFIKAT",
        f"Nomor: {certificate.number}",
        "Budi Santoso",
        "Perpustakaan Desa Merabu",
        "sebagai peserta dalam",
        "PLM Provinsi Kalimantan Timur",
        "PLM provinsi · Hotel Harris Samarinda, Kalimantan Timur",
        "4–6 Juli 2022 (WITA)",
        "Hadir 2 hari, total 16 jam",
        "Senin, 4 Juli 2022: Hari 1 08.00–16.00 WITA (8 jam)",
        "Selasa, 5 Juli 2022: Hari 2 08.00–16.00 WITA (8 jam)",
        "Perpustakaan Nasional Republik Indonesia",
        certificate.display_code,
        "http://testserver" + _verify_url(certificate),
    ]:
        assert expected in text
    assert "Rabu, 6 Juli" not in text  # the day Budi missed


def test_qr_code_on_the_certificate_opens_its_verification_page(consultant, plm, issued, siti):
    certificate = issued[siti.pk]

    (page,) = pdf_pages(_download(consultant, plm, certificate))

    assert qr_modules(page) == qr_of("http://testserver" + _verify_url(certificate))


def test_names_beyond_latin_letters_print_as_written(plm, consultant, perpusnas, days):
    person = factories.participant("Muhammad ‘Abdul Ḥakim Nur’aini", None, event=plm)
    _mark(perpusnas, days[0], person)
    certificate, _created = certificate_issue(actor=consultant, event=plm, participant=person)

    assert "Muhammad ‘Abdul Ḥakim Nur’aini" in pdf_text(_download(consultant, plm, certificate))


def test_certificate_is_printed_in_english_on_request(consultant, plm, issued, siti):
    text = pdf_text(_download(consultant, plm, issued[siti.pk], bahasa="en"))

    assert "CERTIFICATE" in text
    assert "Attended 3 days, 24 hours in total" in text
    assert "Monday, 4 July 2022: Hari 1 08:00–16:00 WITA (8 hours)" in text


def test_fractional_hours_are_printed_with_a_decimal_comma(plm, consultant, perpusnas, days):
    days[0].end_time = datetime.time(11, 30)
    days[0].save()
    person = factories.participant("Dewi Lestari", None, event=plm)
    _mark(perpusnas, days[0], person)
    certificate, _created = certificate_issue(actor=consultant, event=plm, participant=person)

    text = pdf_text(_download(consultant, plm, certificate))

    assert "Hadir 1 hari, total 3,5 jam" in text
    assert "08.00–11.30 WITA (3,5 jam)" in text


# Pages of the event's managers -------------------------------------------------------------


def _urls(plm, certificate, person):
    return {
        "list": ("get", reverse("events:certificates", args=[plm.pk])),
        "issue": ("post", reverse("events:certificates-issue", args=[plm.pk])),
        "issue-one": ("post", reverse("events:certificate-issue", args=[plm.pk, person.pk])),
        "revoke": ("post", reverse("events:certificate-revoke", args=[plm.pk, certificate.pk])),
        "download": (
            "get",
            reverse("events:certificate-download", args=[plm.pk, certificate.pk]),
        ),
        "zip": ("get", reverse("events:certificates-download", args=[plm.pk, "zip"])),
        "pdf": ("get", reverse("events:certificates-download", args=[plm.pk, "pdf"])),
    }


def test_anonymous_visitor_is_sent_to_sign_in_from_every_certificate_page(
    client, plm, issued, siti
):
    for method, url in _urls(plm, issued[siti.pk], siti).values():
        response = getattr(client, method)(url, {"reason": "x"})
        assert response.status_code == 302, url
        assert response["Location"].startswith(reverse("login"))
    assert Certificate.objects.valid().count() == 2


def test_consultant_of_another_province_gets_404_from_every_certificate_page(
    client_for, outsider, plm, issued, siti
):
    client = client_for(outsider)
    for method, url in _urls(plm, issued[siti.pk], siti).values():
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 404, url
    assert Certificate.objects.valid().count() == 2


def test_librarian_who_can_read_the_event_may_not_issue_revoke_or_download(
    client_for, district_librarian, plm, issued, siti
):
    client = client_for(district_librarian)
    # A village library of their kab/kota attended: the event itself is readable.
    assert client.get(reverse("events:detail", args=[plm.pk])).status_code == 200
    for method, url in _urls(plm, issued[siti.pk], siti).values():
        assert getattr(client, method)(url, {"reason": "x"}).status_code == 403, url
    assert Certificate.objects.valid().count() == 2


def test_certificate_actions_refuse_the_wrong_method(client_for, consultant, plm, issued, siti):
    client = client_for(consultant)
    urls = _urls(plm, issued[siti.pk], siti)

    assert client.post(urls["list"][1]).status_code == 405
    assert client.get(urls["issue"][1]).status_code == 405
    assert client.get(urls["issue-one"][1]).status_code == 405
    assert client.post(urls["download"][1]).status_code == 405
    assert client.put(urls["revoke"][1]).status_code == 405


def test_consultant_issues_from_the_page_and_a_double_tap_changes_nothing(
    client_for, consultant, plm, siti, budi, absent
):
    client = client_for(consultant)
    page = client.get(reverse("events:certificates", args=[plm.pk]))
    assert "Terbitkan 2 sertifikat" in page.text

    first = client.post(reverse("events:certificates-issue", args=[plm.pk]), follow=True)
    second = client.post(reverse("events:certificates-issue", args=[plm.pk]), follow=True)

    assert "2 sertifikat diterbitkan" in first.text
    assert "Semua yang hadir sudah memiliki sertifikat" in second.text
    assert Certificate.objects.count() == 2
    assert "Rina Wati" not in second.text  # never came


def test_consultant_issues_one_certificate_from_the_page(client_for, consultant, plm, siti, budi):
    response = client_for(consultant).post(
        reverse("events:certificate-issue", args=[plm.pk, budi.pk]), follow=True
    )

    certificate = Certificate.objects.get()
    assert certificate.participant == budi
    assert f"Sertifikat {certificate.number} diterbitkan untuk Budi Santoso" in response.text


def test_person_of_another_event_cannot_be_issued_through_this_one(
    client_for, consultant, plm, kepri_bimtek, kepri_library
):
    stranger = factories.participant("Raja Ali", kepri_library, event=kepri_bimtek)

    response = client_for(consultant).post(
        reverse("events:certificate-issue", args=[plm.pk, stranger.pk])
    )

    assert response.status_code == 404


def test_revoking_without_a_reason_shows_an_error_and_changes_nothing(
    client_for, consultant, plm, issued, siti
):
    url = reverse("events:certificate-revoke", args=[plm.pk, issued[siti.pk].pk])

    response = client_for(consultant).post(url, {"reason": "  "})

    assert response.status_code == 200
    assert "Bidang ini tidak boleh kosong" in response.text
    assert Certificate.objects.get(pk=issued[siti.pk].pk).is_valid


def test_perpusnas_revokes_a_certificate_with_a_reason(client_for, perpusnas, plm, issued, siti):
    url = reverse("events:certificate-revoke", args=[plm.pk, issued[siti.pk].pk])

    response = client_for(perpusnas).post(url, {"reason": "Nama salah eja"}, follow=True)

    certificate = Certificate.objects.get(pk=issued[siti.pk].pk)
    assert certificate.revoked_by == perpusnas
    assert "Nama salah eja" in response.text  # the list of revoked certificates
    assert client_for(perpusnas).get(url).status_code == 302  # already revoked


def test_revoked_certificate_is_not_downloaded(client_for, consultant, plm, issued, siti):
    certificate_revoke(actor=consultant, certificate=issued[siti.pk], reason="Salah nama")

    response = client_for(consultant).get(
        reverse("events:certificate-download", args=[plm.pk, issued[siti.pk].pk])
    )

    assert response.status_code == 404


def test_single_download_is_a_private_pdf_attachment(client_for, consultant, plm, issued, siti):
    response = client_for(consultant).get(
        reverse("events:certificate-download", args=[plm.pk, issued[siti.pk].pk])
    )

    assert response["Content-Type"] == "application/pdf"
    assert response["Content-Disposition"].startswith('attachment; filename="sertifikat-TPBIS-')
    assert response["Cache-Control"] == "private, no-store"


def test_zip_holds_one_pdf_per_valid_certificate(client_for, consultant, plm, issued, siti, budi):
    certificate_revoke(actor=consultant, certificate=issued[budi.pk], reason="Salah nama")

    response = client_for(consultant).get(
        reverse("events:certificates-download", args=[plm.pk, "zip"])
    )

    assert response["Content-Type"] == "application/zip"
    assert response["Cache-Control"] == "private, no-store"
    archive = zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content)))
    (name,) = archive.namelist()
    assert name == re.sub(r"[^A-Za-z0-9]+", "-", "sertifikat-" + issued[siti.pk].number) + ".pdf"
    assert "Siti Aminah" in pdf_text(archive.read(name))


def test_zip_is_made_and_sent_a_batch_at_a_time(client_for, consultant, plm, issued, monkeypatch):
    drawn = []
    draw = certificate_pdf.certificates_pdf

    def counting(batch, *args, **kwargs):
        drawn.append(len(batch))
        return draw(batch, *args, **kwargs)

    monkeypatch.setattr(certificate_pdf, "BATCH", 1)
    monkeypatch.setattr(certificate_pdf, "certificates_pdf", counting)
    response = client_for(consultant).get(
        reverse("events:certificates-download", args=[plm.pk, "zip"])
    )
    chunks = iter(response.streaming_content)

    first = next(chunks)
    assert drawn == [1] and first.startswith(b"PK")
    rest = b"".join(chunks)
    assert drawn == [1, 1]
    assert len(zipfile.ZipFile(io.BytesIO(first + rest)).namelist()) == 2


def test_one_pdf_holds_every_valid_certificate_a_page_each(
    client_for, consultant, plm, issued, siti, budi
):
    response = client_for(consultant).get(
        reverse("events:certificates-download", args=[plm.pk, "pdf"])
    )

    pages = pdf_pages(response.content)
    assert len(pages) == 2
    assert "Budi Santoso" in pages[0].extract_text()
    assert "Siti Aminah" in pages[1].extract_text()


def test_bulk_download_before_any_certificate_explains_why(client_for, consultant, plm, siti):
    response = client_for(consultant).get(
        reverse("events:certificates-download", args=[plm.pk, "zip"]), follow=True
    )

    assert "Belum ada sertifikat yang diterbitkan" in response.text


def test_certificates_page_keeps_a_fixed_number_of_queries(
    client_for, consultant, perpusnas, plm, issued, days, django_assert_num_queries
):
    client = client_for(consultant)
    url = reverse("events:certificates", args=[plm.pk])
    client.get(url)

    # session, user, provinces, event, sessions, marks, certificates, people
    with django_assert_num_queries(8):
        client.get(url)
    for number in range(5):
        person = factories.participant(f"Peserta {number}", None, event=plm)
        _mark(perpusnas, days[0], person)
    certificates_issue(actor=consultant, event=plm)
    certificate_revoke(
        actor=consultant, certificate=Certificate.objects.first(), reason="Salah nama"
    )
    with django_assert_num_queries(8):
        response = client.get(url)
    assert len(response.context["rows"]) == 7


def test_certificates_page_points_to_sessions_without_hours(
    client_for, consultant, plm, siti, days
):
    days[1].start_time = days[1].end_time = None
    days[1].save()

    response = client_for(consultant).get(reverse("events:certificates", args=[plm.pk]))

    assert "tidak memiliki jam" in response.text
    assert reverse("events:session-edit", args=[days[1].pk]) in response.text


# Public verification -----------------------------------------------------------------------


def test_valid_code_confirms_the_certificate_with_name_event_dates_and_issuer(client, issued, siti):
    certificate = issued[siti.pk]

    response = client.get(_verify_url(certificate))

    assert response.status_code == 200
    text = response.text
    assert "Sertifikat sah" in text
    for expected in [
        "Siti Aminah",
        "PLM Provinsi Kalimantan Timur",
        "4–6 Juli 2022 (WITA)",
        "Perpustakaan Nasional Republik Indonesia",
        certificate.number,
    ]:
        assert expected in text
    assert response["Cache-Control"] == "no-cache"
    assert response["X-Robots-Tag"] == "noindex, nofollow"


def test_verification_page_shows_nothing_personal_beyond_the_name(
    client, issued, siti, budi, village_library
):
    village_library.phone = "0541-777888"
    village_library.email = "rawamakmur@example.org"
    village_library.save()

    text = client.get(_verify_url(issued[siti.pk])).text

    for private in [
        "0812-5555-0101",
        "siti@example.org",
        "Rawa Makmur",  # her library
        "0541-777888",
        "rawamakmur@example.org",
        "Budi Santoso",  # another participant
        "jam",  # hours attended
        issued[budi.pk].number,
    ]:
        assert private not in text


def test_revoked_code_says_it_was_revoked_and_when(client, consultant, issued, siti):
    certificate = issued[siti.pk]
    certificate_revoke(actor=consultant, certificate=certificate, reason="Nama salah eja")
    certificate.refresh_from_db()
    when = timezone.localtime(certificate.revoked_at, plm_zone())

    response = client.get(_verify_url(certificate))

    assert response.status_code == 200
    assert "Dicabut: sertifikat ini tidak berlaku" in response.text
    assert f"{when:%H:%M} WITA" in response.text
    assert "Sertifikat sah" not in response.text
    assert "Nama salah eja" not in response.text
    assert response["Cache-Control"] == "no-cache"


def plm_zone():
    import zoneinfo

    return zoneinfo.ZoneInfo("Asia/Makassar")


def test_forged_code_is_not_known_and_answers_404_uncached(client, issued):
    response = client.get(reverse("certificates:verify", args=["ABCDEFGHJKMNPQRS"]))

    assert response.status_code == 404
    assert "Kode ini tidak dikenal" in response.text
    assert response["Cache-Control"] == "private, no-store"


def test_mistyped_code_is_not_known(client, issued, siti):
    code = issued[siti.pk].code
    typo = code[:-1] + ("2" if code[-1] != "2" else "3")

    assert client.get(reverse("certificates:verify", args=[typo])).status_code == 404
    assert client.get(reverse("certificates:verify", args=[code[:-1]])).status_code == 404


def test_code_typed_in_lower_case_with_dashes_finds_the_certificate(client, issued, siti):
    certificate = issued[siti.pk]

    response = client.get(
        reverse("certificates:verify", args=[certificate.display_code.lower()]), follow=True
    )

    assert response.redirect_chain[-1][0] == _verify_url(certificate)
    assert "Sertifikat sah" in response.text


def test_lookup_form_takes_the_printed_code(client, issued, siti):
    certificate = issued[siti.pk]
    url = reverse("certificates:lookup")

    found = client.get(url, {"kode": certificate.display_code})
    wrong = client.get(url, {"kode": "ABC"})

    assert found.status_code == 302 and found["Location"] == _verify_url(certificate)
    assert wrong.status_code == 400
    assert "Kode verifikasi terdiri atas 16 huruf dan angka" in wrong.text


def test_verification_refuses_post(client, issued, siti):
    assert client.post(_verify_url(issued[siti.pk])).status_code == 405


def test_too_many_unknown_codes_from_one_address_must_wait(client, issued, siti, monkeypatch):
    monkeypatch.setattr(certificate_views, "MISSES_ALLOWED", 3)
    for guess in ["2222222222222222", "3333333333333333", "4444444444444444"]:
        assert client.get(reverse("certificates:verify", args=[guess])).status_code == 404

    response = client.get(_verify_url(issued[siti.pk]))

    assert response.status_code == 429
    assert response["Retry-After"] == "600"
    assert "Siti Aminah" not in response.text


@pytest.mark.parametrize("state", ["valid", "revoked", "unknown"])
def test_verification_page_keeps_a_fixed_number_of_queries(
    client, consultant, issued, siti, state, django_assert_num_queries
):
    certificate = issued[siti.pk]
    if state == "revoked":
        certificate_revoke(actor=consultant, certificate=certificate, reason="Salah nama")
    url = (
        reverse("certificates:verify", args=["ABCDEFGHJKMNPQRS"])
        if state == "unknown"
        else _verify_url(certificate)
    )

    # the certificate with its event and province: one query, whatever the answer
    with django_assert_num_queries(1):
        client.get(url)


# Admin -------------------------------------------------------------------------------------


def test_admin_lists_only_certificates_in_the_consultants_province(
    client_for, consultant, outsider, perpusnas, issued, siti, kepri_bimtek, kepri_library
):
    person = factories.participant("Raja Ali", kepri_library, event=kepri_bimtek)
    _mark(perpusnas, kepri_bimtek.sessions.first(), person)
    kepri = certificates_issue(actor=perpusnas, event=kepri_bimtek)
    assert kepri.issued == 1
    changelist = reverse("admin:events_certificate_changelist")

    response = client_for(consultant).get(changelist)

    assert "Siti Aminah" in response.text
    assert "Raja Ali" not in response.text
    change = reverse("admin:events_certificate_change", args=[issued[siti.pk].pk])
    assert client_for(outsider).get(change).status_code == 404
    assert client_for(consultant).get(change).status_code == 200
    assert str(issued[siti.pk]) == f"{issued[siti.pk].number} · Siti Aminah"
