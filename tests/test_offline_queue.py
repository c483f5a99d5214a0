"""What the offline queue reads from the server: refusals as JSON, and each kind of queued item
recorded once however often it is sent (issue 9 item 11, issue 12)."""

import datetime
import io
import uuid

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image

from events.models import Attendance
from libraries.models import Activity, ActivityEvidence
from tests import factories

FETCH = {"HTTP_ACCEPT": "application/json", "HTTP_X_REQUESTED_WITH": "fetch"}
CREATE = reverse("reporting:activity-create")


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


@pytest.fixture
def siti(plm, village_library):
    return factories.participant("Siti Aminah", village_library, gender="F", event=plm)


def _photo(name="foto.jpg"):
    from django.core.files.uploadedfile import SimpleUploadedFile

    buffer = io.BytesIO()
    Image.new("RGB", (800, 600), (30, 120, 200)).save(buffer, format="JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def _activity(library, key=None, **overrides):
    data = {
        "library": library.pk,
        "idempotency_key": str(key or uuid.uuid4()),
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


def _mark(participant, client_id=None, **extra):
    return {
        "participant": participant.pk,
        "client_id": str(client_id or uuid.uuid4()),
        "action": "mark",
        "queued": "on",
        **extra,
    }


# Refusals as JSON -------------------------------------------------------------------------------


def test_another_provinces_session_is_a_json_404_for_a_script(
    client_for, outsider, plm_day_one, siti
):
    response = client_for(outsider).post(
        reverse("events:mark", args=[plm_day_one.pk]), _mark(siti), **FETCH
    )

    assert response.status_code == 404
    body = response.json()
    assert body["ok"] is False and body["status"] == 404
    assert body["error"] == "Tidak ditemukan: sudah dihapus atau tidak ada di wilayah Anda."
    assert not Attendance.objects.exists()


def test_a_browser_still_gets_the_404_page(client_for, outsider, plm_day_one, siti):
    response = client_for(outsider).post(reverse("events:mark", args=[plm_day_one.pk]), _mark(siti))

    assert response.status_code == 404
    assert response["Content-Type"].startswith("text/html")


def test_a_read_only_role_gets_a_json_403(client_for, consultant, village_library):
    response = client_for(consultant).post(CREATE, _activity(village_library), **FETCH)

    assert response.status_code == 403
    assert response.json()["error"].startswith("Anda tidak boleh")
    assert not Activity.objects.exists()


def test_signed_out_is_a_401_not_a_sign_in_page(plm_day_one, siti):
    response = Client().post(reverse("events:mark", args=[plm_day_one.pk]), _mark(siti), **FETCH)

    assert response.status_code == 401
    assert response.json()["signed_out"] is True
    assert not Attendance.objects.exists()


def test_an_outdated_csrf_token_is_not_a_refusal_of_the_item(consultant, plm_day_one, siti):
    client = Client(enforce_csrf_checks=True)
    client.force_login(consultant)

    response = client.post(reverse("events:mark", args=[plm_day_one.pk]), _mark(siti), **FETCH)

    assert response.status_code == 403
    assert response.json()["csrf"] is True
    assert not Attendance.objects.exists()


def test_wrong_method_is_a_json_405(client_for, consultant, plm_day_one):
    response = client_for(consultant).get(reverse("events:mark", args=[plm_day_one.pk]), **FETCH)

    assert response.status_code == 405
    assert response.json()["status"] == 405


def test_a_refused_activity_comes_back_with_its_reasons_by_field(
    client_for, village_librarian, village_library
):
    future = (timezone.localdate() + datetime.timedelta(days=30)).isoformat()

    response = client_for(village_librarian).post(
        CREATE, _activity(village_library, date=future, title=""), **FETCH
    )

    assert response.status_code == 400
    body = response.json()
    assert body["ok"] is False
    assert set(body["errors"]) == {"title", "date"}
    assert "Tanggal" in body["error"]
    assert not Activity.objects.exists()


# Each queued kind is recorded once --------------------------------------------------------------


def test_an_activity_sent_three_times_is_recorded_once_with_its_photos(
    client_for, village_librarian, village_library
):
    client = client_for(village_librarian)
    key = uuid.uuid4()
    answers = [
        client.post(
            CREATE,
            {**_activity(village_library, key), "photos": [_photo(), _photo("b.jpg")]},
            **FETCH,
        )
        for _ in range(3)
    ]

    assert [answer.status_code for answer in answers] == [200, 200, 200]
    assert [answer.json()["created"] for answer in answers] == [True, False, False]
    activity = Activity.objects.get()
    assert answers[2].json()["id"] == activity.pk
    assert activity.evidence.filter(kind=ActivityEvidence.Kind.PHOTO).count() == 2


def test_the_same_activity_key_from_another_person_is_their_own_activity(
    client_for, village_librarian, district_librarian, village_library
):
    key = uuid.uuid4()
    client_for(village_librarian).post(CREATE, _activity(village_library, key), **FETCH)

    response = client_for(district_librarian).post(
        CREATE, _activity(village_library, key, title="Lain"), **FETCH
    )

    # Nobody reaches another person's activity by reusing its key.
    assert response.json()["created"] is True
    assert Activity.objects.count() == 2


def test_a_mark_sent_twice_is_one_mark(client_for, consultant, plm_day_one, siti):
    client = client_for(consultant)
    body = _mark(siti)
    url = reverse("events:mark", args=[plm_day_one.pk])

    first = client.post(url, body, **FETCH)
    second = client.post(url, body, **FETCH)

    assert first.status_code == second.status_code == 200
    assert Attendance.objects.filter(session=plm_day_one).count() == 1


def test_a_walk_in_sent_twice_is_one_person_and_one_mark(
    client_for, consultant, plm_day_one, village_library
):
    client = client_for(consultant)
    url = reverse("events:walk-in", args=[plm_day_one.pk])
    body = {
        "walkin-client_id": str(uuid.uuid4()),
        "walkin-name": "Rina Walk-in",
        "walkin-gender": "F",
        "walkin-library": village_library.pk,
        "walkin-role": "library_staff",
    }

    first = client.post(url, body, **FETCH)
    second = client.post(url, body, **FETCH)

    assert first.status_code == 200, first.content
    assert second.status_code == 200
    assert first.json()["participant"] == second.json()["participant"]
    assert Attendance.objects.filter(session=plm_day_one).count() == 1


# The time a mark was made on the device -----------------------------------------------------------


def test_a_queued_mark_keeps_the_device_time_beside_its_arrival(
    client_for, consultant, plm, plm_day_one, siti
):
    tapped = timezone.now() - datetime.timedelta(minutes=40)
    if tapped.date() < plm_day_one.date:
        pytest.skip("the session's day began less than 40 minutes ago")
    client_for(consultant).post(
        reverse("events:mark", args=[plm_day_one.pk]),
        _mark(siti, marked_on_device=tapped.isoformat()),
        **FETCH,
    )

    mark = Attendance.objects.get()
    assert mark.marked_on_device_at == tapped
    assert mark.marked_at > tapped


@pytest.mark.parametrize(
    ("offset", "kept"),
    [
        (datetime.timedelta(minutes=-10), "as sent"),
        (datetime.timedelta(minutes=3), "the arrival"),  # a clock a little fast
        (datetime.timedelta(hours=5), None),  # a clock set wrongly
        (datetime.timedelta(days=-400), None),  # before the session's day
    ],
)
def test_a_device_time_is_checked_against_the_server_clock(plm_day_one, offset, kept):
    from events.services import device_time

    now = datetime.datetime.combine(
        plm_day_one.date, datetime.time(12), tzinfo=plm_day_one.event.tz
    )
    result = device_time(now + offset, now=now, session=plm_day_one)

    expected = {"as sent": now + offset, "the arrival": now, None: None}[kept]
    assert result == expected


def test_the_attendance_export_shows_the_device_time(
    client_for, consultant, plm, plm_day_one, siti
):
    from events.services import attendance_mark

    arrival_day = datetime.datetime.combine(plm_day_one.date, datetime.time(9, 30), tzinfo=plm.tz)
    mark, _new = attendance_mark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4()
    )
    Attendance.objects.filter(pk=mark.pk).update(
        marked_at=arrival_day + datetime.timedelta(hours=2), marked_on_device_at=arrival_day
    )

    response = client_for(consultant).get(reverse("events:export", args=[plm.pk, "csv"]))
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    header, row = text.splitlines()[:2]
    assert header.endswith("Diketuk di perangkat pada")
    assert row.endswith(f"{plm_day_one.date.isoformat()} 09:30 WITA")

    page = client_for(consultant).get(reverse("events:attendance", args=[plm_day_one.pk]))
    assert "11:30 WITA (diketuk pukul 09:30 di perangkat)" in page.text


# Installable -----------------------------------------------------------------------------------


@pytest.mark.django_db
def test_the_portal_can_be_installed_to_a_home_screen(client):
    response = client.get(reverse("manifest"))

    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"] == "Portal TPBIS"
    assert manifest["display"] == "standalone"
    sizes = {icon["sizes"] for icon in manifest["icons"]}
    assert {"192x192", "512x512"} <= sizes
    for icon in manifest["icons"]:
        assert client.get(icon["src"]).status_code == 200


def test_every_signed_in_page_offers_the_queue_and_the_manifest(client_for, village_librarian):
    page = client_for(village_librarian).get(reverse("dashboard")).text

    assert 'id="queue-toggle"' in page
    assert 'rel="manifest"' in page
    assert "offline-queue.js" in page


@pytest.mark.django_db
def test_anonymous_pages_carry_no_queue(client):
    page = client.get(reverse("home")).text

    assert 'id="queue-toggle"' not in page
    assert "offline-queue.js" not in page
