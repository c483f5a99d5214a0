"""The hours of each session: kept in the province's local time, counted on certificates."""

import datetime

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from events.models import EventSession
from events.services import session_add
from tests import factories


def test_new_event_gets_its_daily_hours_on_every_session(plm):
    sessions = list(plm.sessions.order_by("date"))

    assert [(s.start_time, s.end_time) for s in sessions] == [
        (datetime.time(8), datetime.time(16))
    ] * 3
    assert sessions[0].minutes == 480


def test_event_ending_earlier_in_the_day_than_it_starts_leaves_hours_to_be_set(perpusnas):
    import zoneinfo

    from events.services import event_create
    from libraries.models import Province

    tz = zoneinfo.ZoneInfo("Asia/Makassar")
    event = event_create(
        actor=perpusnas,
        kind="bimtek",
        title="Bimtek malam",
        province=Province.objects.get(code="64"),
        venue="Samarinda",
        starts_at=datetime.datetime(2023, 3, 1, 19, 0, tzinfo=tz),
        ends_at=datetime.datetime(2023, 3, 2, 12, 0, tzinfo=tz),
    )

    assert {(s.start_time, s.end_time) for s in event.sessions.all()} == {(None, None)}


def test_session_times_must_be_both_given_and_in_order(plm, perpusnas):
    with pytest.raises(ValidationError):
        session_add(
            actor=perpusnas,
            event=plm,
            date=datetime.date(2022, 7, 5),
            name="Malam Apresiasi",
            start_time=datetime.time(21),
            end_time=datetime.time(19),
        )
    session = plm.sessions.first()
    session.end_time = None

    with pytest.raises(IntegrityError), transaction.atomic():
        session.save()


def test_consultant_sets_the_hours_of_a_session(client_for, consultant, plm):
    session = plm.sessions.order_by("date").first()

    response = client_for(consultant).post(
        reverse("events:session-edit", args=[session.pk]),
        {"name": "Hari 1 (pembukaan)", "start_time": "13:00", "end_time": "17:30"},
    )

    assert response.status_code == 302
    session.refresh_from_db()
    assert (session.name, session.start_time, session.end_time) == (
        "Hari 1 (pembukaan)",
        datetime.time(13),
        datetime.time(17, 30),
    )
    detail = client_for(consultant).get(reverse("events:detail", args=[plm.pk]))
    assert "13:00–17:30 WITA" in detail.text


def test_session_ending_before_it_starts_is_refused_with_a_message(client_for, consultant, plm):
    session = plm.sessions.order_by("date").first()

    response = client_for(consultant).post(
        reverse("events:session-edit", args=[session.pk]),
        {"name": "Hari 1", "start_time": "16:00", "end_time": "08:00"},
    )

    assert response.status_code == 200
    assert "Sesi harus selesai setelah dimulai" in response.text
    session.refresh_from_db()
    assert session.start_time == datetime.time(8)


def test_half_given_hours_are_refused(client_for, consultant, plm):
    session = plm.sessions.order_by("date").first()

    response = client_for(consultant).post(
        reverse("events:session-edit", args=[session.pk]),
        {"name": "Hari 1", "start_time": "09:00", "end_time": ""},
    )

    assert "Isi kedua jam sesi, atau kosongkan keduanya" in response.text
    assert EventSession.objects.get(pk=session.pk).start_time == datetime.time(8)


def test_session_hours_may_be_cleared(client_for, consultant, plm):
    session = plm.sessions.order_by("date").first()

    client_for(consultant).post(
        reverse("events:session-edit", args=[session.pk]),
        {"name": "Hari 1", "start_time": "", "end_time": ""},
    )

    session.refresh_from_db()
    assert session.minutes is None


def test_session_edit_answers_each_role(
    client, client_for, consultant, outsider, district_librarian, perpusnas, plm
):
    import uuid

    from events.services import attendance_mark

    session = plm.sessions.order_by("date").first()
    person = factories.participant("Siti Aminah", district_librarian.library, event=plm)
    attendance_mark(actor=perpusnas, session=session, participant=person, client_id=uuid.uuid4())
    url = reverse("events:session-edit", args=[session.pk])
    data = {"name": "X", "start_time": "09:00", "end_time": "10:00"}

    assert client.get(url)["Location"].startswith(reverse("login"))
    assert client_for(outsider).post(url, data).status_code == 404
    assert client_for(district_librarian).post(url, data).status_code == 403
    assert client_for(consultant).put(url).status_code == 405
    assert client_for(consultant).get(url).status_code == 200
    session.refresh_from_db()
    assert session.name == "Hari 1"


def test_new_session_form_takes_hours(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:session-add", args=[plm.pk]),
        {
            "date": "2022-07-05",
            "name": "Malam Apresiasi",
            "start_time": "19:00",
            "end_time": "21:30",
        },
    )

    assert response.status_code == 302
    session = plm.sessions.get(name="Malam Apresiasi")
    assert session.minutes == 150
