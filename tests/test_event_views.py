import datetime
import json
import re
import uuid

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import Attendance, Event, Participant, Problem, Registration
from events.services import attendance_mark, invitations_set
from tests import factories

LIST = reverse("events:list")


def _titles(response):
    return {event.title for event in response.context["page"].object_list}


@pytest.fixture
def siti(plm, village_library):
    return factories.participant("Siti Aminah", village_library, event=plm)


@pytest.fixture
def budi(plm, berau_village_library):
    return factories.participant("Budi Santoso", berau_village_library, gender="M", event=plm)


# List


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in_from_the_event_list(client, plm):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_consultant_lists_only_the_events_of_their_province(
    client_for, consultant, plm, kepri_bimtek
):
    response = client_for(consultant).get(LIST)

    assert _titles(response) == {"PLM Provinsi Kalimantan Timur"}
    # Shown in the province's time (WITA), not the server's (WIB).
    assert "4 Jul 2022 08:00 – 6 Jul 2022 16:00 WITA" in response.text


def test_librarian_lists_the_events_their_library_was_invited_to(
    client_for, perpusnas, village_librarian, village_library, plm, kepri_bimtek
):
    client = client_for(village_librarian)
    assert _titles(client.get(LIST)) == set()

    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])

    assert _titles(client.get(LIST)) == {"PLM Provinsi Kalimantan Timur"}


def test_librarian_lists_an_event_in_another_province_their_library_attended(
    client_for, perpusnas, village_librarian, village_library, kepri_bimtek
):
    person = factories.participant("Siti Aminah", village_library, event=kepri_bimtek)
    attendance_mark(
        actor=perpusnas,
        session=kepri_bimtek.sessions.first(),
        participant=person,
        client_id=uuid.uuid4(),
    )

    response = client_for(village_librarian).get(LIST)

    assert _titles(response) == {"Bimtek SPP-TIK Kepulauan Riau"}


def test_event_list_filters_by_type(client_for, perpusnas, plm, kepri_bimtek):
    response = client_for(perpusnas).get(LIST, {"kind": "bimtek"})

    assert _titles(response) == {"Bimtek SPP-TIK Kepulauan Riau"}


def test_event_list_refuses_post(client_for, consultant, plm):
    assert client_for(consultant).post(LIST).status_code == 405


def test_event_list_keeps_a_fixed_number_of_queries(
    client_for, perpusnas, regions, django_assert_num_queries
):
    client = client_for(perpusnas)
    factories.event(actor=perpusnas)
    client.get(LIST)

    # session, user, one page of events (with one more, to know whether a next page
    # exists) with regions and participant counts: the list is never counted
    with django_assert_num_queries(3):
        client.get(LIST)
    for day in range(1, 6):
        factories.event(actor=perpusnas, first_day=datetime.date(2023, 1, day), days=1)
    with django_assert_num_queries(3):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 6


# Create and edit


def _event_data(**changes):
    data = {
        "kind": "plm_province",
        "title": "PLM Provinsi Kalimantan Timur",
        "province": "64",
        "regency": "",
        "venue": "Hotel Harris Samarinda",
        "start_date": "2022-07-04",
        "start_time": "08:00",
        "end_date": "2022-07-06",
        "end_time": "16:00",
        "status": "planned",
        "description": "",
    }
    data.update(changes)
    return data


def test_consultant_creates_an_event_in_local_time_with_a_session_per_day(client_for, consultant):
    response = client_for(consultant).post(reverse("events:create"), _event_data())

    event = Event.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("events:detail", args=[event.pk])
    assert event.starts_at == datetime.datetime(2022, 7, 4, 0, 0, tzinfo=datetime.UTC)
    assert event.sessions.count() == 3
    assert event.created_by == consultant


def test_event_ending_before_it_starts_is_refused_with_a_message(client_for, consultant):
    response = client_for(consultant).post(
        reverse("events:create"), _event_data(end_date="2022-07-03")
    )

    assert response.status_code == 200
    assert "tidak dapat berakhir sebelum dimulai" in response.text
    assert not Event.objects.exists()


def test_shm_kabupaten_needs_its_kabupaten(client_for, consultant):
    response = client_for(consultant).post(
        reverse("events:create"), _event_data(kind="shm_regency")
    )

    assert response.status_code == 200
    assert "regency" in response.context["form"].errors
    assert not Event.objects.exists()


def test_consultant_cannot_choose_another_province(client_for, outsider, regions):
    response = client_for(outsider).post(reverse("events:create"), _event_data())

    assert response.status_code == 200
    assert "province" in response.context["form"].errors
    assert not Event.objects.exists()


def test_librarian_cannot_create_events(client_for, village_librarian):
    client = client_for(village_librarian)

    assert client.get(reverse("events:create")).status_code == 403
    assert client.post(reverse("events:create"), _event_data()).status_code == 403


def test_create_refuses_put(client_for, consultant):
    assert client_for(consultant).put(reverse("events:create")).status_code == 405


def test_stale_event_edit_is_refused_instead_of_overwriting(client_for, consultant, perpusnas, plm):
    url = reverse("events:edit", args=[plm.pk])
    data = _event_data(version=plm.version, venue="Hotel Mesra")
    data.pop("province")
    client_for(perpusnas).post(url, {**data, "venue": "Hotel Bumi Senyiur"})

    response = client_for(consultant).post(url, data)

    assert response.status_code == 200
    assert "Orang lain menyimpan acara ini" in response.text
    plm.refresh_from_db()
    assert plm.venue == "Hotel Bumi Senyiur"


def test_outsider_cannot_edit_an_event(client_for, outsider, plm):
    assert client_for(outsider).get(reverse("events:edit", args=[plm.pk])).status_code == 404


# Detail


def test_detail_of_another_province_is_404(client_for, outsider, plm):
    assert client_for(outsider).get(reverse("events:detail", args=[plm.pk])).status_code == 404


def test_librarian_reads_only_who_came_from_their_library(
    client_for, perpusnas, village_librarian, village_library, plm, siti, budi
):
    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])

    response = client_for(village_librarian).get(reverse("events:detail", args=[plm.pk]))

    assert response.status_code == 200
    assert "Siti Aminah" in response.text
    assert "Budi Santoso" not in response.text
    assert reverse("events:attendance", args=[plm.sessions.first().pk]) not in response.text


def test_librarian_cannot_change_an_event_they_can_read(
    client_for, perpusnas, village_librarian, village_library, plm
):
    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])
    client = client_for(village_librarian)

    assert client.get(reverse("events:edit", args=[plm.pk])).status_code == 403
    assert client.get(reverse("events:invitations", args=[plm.pk])).status_code == 403


def test_consultant_invites_libraries_of_their_province(
    client_for, consultant, plm, village_library, berau_village_library
):
    response = client_for(consultant).post(
        reverse("events:invitations", args=[plm.pk]),
        {"libraries": [village_library.pk, berau_village_library.pk]},
    )

    assert response.status_code == 302
    assert set(plm.invited_libraries.all()) == {village_library, berau_village_library}


def test_libraries_of_another_province_cannot_be_invited(
    client_for, consultant, plm, kepri_library
):
    response = client_for(consultant).post(
        reverse("events:invitations", args=[plm.pk]), {"libraries": [kepri_library.pk]}
    )

    assert response.status_code == 200
    assert not plm.invitations.exists()


def test_consultant_adds_a_master_trainer(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:facilitator-add", args=[plm.pk]),
        {
            "name": "Sri Wahyuni",
            "gender": "F",
            "role": "master_trainer",
            "topic": "Strategi pelibatan masyarakat",
            "institution": "Perpustakaan Kabupaten Boyolali",
        },
    )

    assert response.status_code == 302
    facilitator = plm.facilitators.get()
    assert facilitator.participant.name == "Sri Wahyuni"
    detail = client_for(consultant).get(reverse("events:detail", args=[plm.pk]))
    assert "Sri Wahyuni" in detail.text and "Master Trainer" in detail.text


# Attendance page


def _attendance_url(session):
    return reverse("events:attendance", args=[session.pk])


def test_attendance_page_lists_the_roster_with_counts(
    client_for, consultant, plm_day_one, siti, budi
):
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4())

    response = client_for(consultant).get(_attendance_url(plm_day_one))

    assert response.status_code == 200
    assert "Siti Aminah" in response.text and "Budi Santoso" in response.text
    counts = response.context["counts"]
    assert (counts.total, counts.female, counts.male) == (1, 1, 0)
    assert counts.by_regency == [("Kota Samarinda", 1)]
    assert "ditandai oleh" in response.text


def test_attendance_page_searches_without_javascript(
    client_for, consultant, plm_day_one, siti, budi
):
    response = client_for(consultant).get(_attendance_url(plm_day_one), {"q": "mera"})

    assert [row.participant.name for row in response.context["rows"]] == ["Budi Santoso"]


@pytest.mark.django_db
def test_anonymous_cannot_open_the_attendance_page(client, plm_day_one):
    assert client.get(_attendance_url(plm_day_one)).status_code == 302


def test_outsider_gets_404_on_the_attendance_page(client_for, outsider, plm_day_one):
    assert client_for(outsider).get(_attendance_url(plm_day_one)).status_code == 404


def test_librarian_cannot_take_attendance(
    client_for, perpusnas, village_librarian, village_library, plm, plm_day_one, siti
):
    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])
    client = client_for(village_librarian)

    assert client.get(_attendance_url(plm_day_one)).status_code == 403
    response = client.post(
        reverse("events:mark", args=[plm_day_one.pk]),
        {"participant": siti.pk, "client_id": uuid.uuid4(), "action": "mark"},
    )
    assert response.status_code == 403
    assert not Attendance.objects.exists()


def test_attendance_page_refuses_post(client_for, consultant, plm_day_one):
    assert client_for(consultant).post(_attendance_url(plm_day_one)).status_code == 405


def test_attendance_page_queries_do_not_grow_with_the_roster(
    client_for, consultant, plm, plm_day_one, village_library, django_assert_num_queries
):
    client = client_for(consultant)
    factories.participant("Orang 0", village_library, event=plm)
    client.get(_attendance_url(plm_day_one))

    # session, user, provinces of the consultant, the session with its event, the event's
    # sessions, the roster, the marks, the libraries of the walk-in form
    with django_assert_num_queries(8):
        client.get(_attendance_url(plm_day_one))
    for number in range(1, 40):
        person = factories.participant(f"Orang {number}", village_library, event=plm)
        if number % 2:
            attendance_mark(
                actor=consultant, session=plm_day_one, participant=person, client_id=uuid.uuid4()
            )
    with django_assert_num_queries(8):
        response = client.get(_attendance_url(plm_day_one))
    assert response.context["counts"].total == 20


# Marking


def _mark(client, session, participant, client_id=None, action="mark", **extra):
    return client.post(
        reverse("events:mark", args=[session.pk]),
        {"participant": participant.pk, "client_id": client_id or uuid.uuid4(), "action": action},
        **extra,
    )


def test_mark_without_javascript_redirects_back_to_the_person(
    client_for, consultant, plm_day_one, siti
):
    response = _mark(client_for(consultant), plm_day_one, siti)

    assert response.status_code == 302
    assert response["Location"].endswith(f"#p-{siti.pk}")
    assert Attendance.objects.active().get().marked_by == consultant


def test_mark_by_fetch_answers_json_with_who_and_when(client_for, consultant, plm_day_one, siti):
    response = _mark(client_for(consultant), plm_day_one, siti, HTTP_ACCEPT="application/json")

    payload = response.json()
    assert payload["ok"] and payload["marked"]
    assert payload["at"].endswith("WITA")
    assert payload["by"] == str(consultant)


def test_repeated_mark_request_leaves_one_mark(client_for, consultant, plm_day_one, siti):
    client = client_for(consultant)
    client_id = uuid.uuid4()

    for _ in range(3):
        _mark(client, plm_day_one, siti, client_id, HTTP_ACCEPT="application/json")

    assert Attendance.objects.count() == 1


def test_a_second_tap_on_a_marked_person_says_already_present_and_changes_nothing(
    client_for, consultant, plm_day_one, siti
):
    """Issue 9, item 10: two taps 0.9 s apart are two requests with two ids."""
    client = client_for(consultant)
    first = _mark(client, plm_day_one, siti, HTTP_ACCEPT="application/json")

    second = _mark(client, plm_day_one, siti, HTTP_ACCEPT="application/json")

    assert first.json()["already"] is False
    assert second.json() | {"server_time": 0} == first.json() | {
        "server_time": 0,
        "already": True,
    }
    assert Attendance.objects.count() == 1
    assert Attendance.objects.active().count() == 1


def test_a_second_tap_without_javascript_says_already_present(
    client_for, consultant, plm_day_one, siti
):
    client = client_for(consultant)
    _mark(client, plm_day_one, siti)

    response = _mark(client, plm_day_one, siti, follow=True)

    page = response.content.decode()
    assert "Siti Aminah sudah hadir" in page
    assert "tidak ada yang berubah" in page
    assert Attendance.objects.active().count() == 1


def test_the_retry_of_the_same_mark_is_not_called_a_second_tap(
    client_for, consultant, plm_day_one, siti
):
    client = client_for(consultant)
    client_id = uuid.uuid4()
    _mark(client, plm_day_one, siti, client_id, HTTP_ACCEPT="application/json")

    retry = _mark(client, plm_day_one, siti, client_id, HTTP_ACCEPT="application/json")

    assert retry.json()["already"] is False


def test_a_marked_person_has_a_separate_undo_and_a_button_that_only_marks(
    client_for, consultant, plm_day_one, siti
):
    client = client_for(consultant)
    _mark(client, plm_day_one, siti)

    page = client.get(reverse("events:attendance", args=[plm_day_one.pk])).content.decode()

    row = page[page.index(f'id="p-{siti.pk}"') :]
    row = row[: row.index("</li>")]
    main, undo = row.split('class="roster-undo-form')
    assert 'name="action" value="mark"' in main and "unmark" not in main
    assert 'name="action" value="unmark"' in undo and "Batalkan" in undo


def test_queued_mark_is_recorded_as_sent_from_the_offline_queue(
    client_for, consultant, plm_day_one, siti
):
    client_for(consultant).post(
        reverse("events:mark", args=[plm_day_one.pk]),
        {"participant": siti.pk, "client_id": uuid.uuid4(), "action": "mark", "queued": "on"},
    )

    assert Attendance.objects.get().source == Attendance.Source.OFFLINE


def test_undo_by_fetch_keeps_the_mark_in_the_history(client_for, consultant, plm_day_one, siti):
    client = client_for(consultant)
    _mark(client, plm_day_one, siti)

    response = _mark(client, plm_day_one, siti, action="unmark", HTTP_ACCEPT="application/json")

    assert response.json()["marked"] is False
    assert Attendance.objects.active().count() == 0
    assert Attendance.objects.get().revoked_by == consultant


def test_mark_with_a_bad_id_is_refused_and_nothing_saved(client_for, consultant, plm_day_one, siti):
    response = client_for(consultant).post(
        reverse("events:mark", args=[plm_day_one.pk]),
        {"participant": siti.pk, "client_id": "not-a-uuid", "action": "mark"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert "muat ulang" in response.json()["error"]
    assert not Attendance.objects.exists()


def test_person_of_another_event_cannot_be_marked(
    client_for, consultant, plm_day_one, kepri_bimtek, kepri_library
):
    stranger = factories.participant("Orang Kepri", kepri_library, event=kepri_bimtek)

    response = _mark(client_for(consultant), plm_day_one, stranger, HTTP_ACCEPT="application/json")

    assert response.status_code == 400
    assert not Attendance.objects.exists()


def test_outsider_cannot_mark(client_for, outsider, plm_day_one, siti):
    assert _mark(client_for(outsider), plm_day_one, siti).status_code == 404
    assert not Attendance.objects.exists()


def test_mark_refuses_get(client_for, consultant, plm_day_one):
    response = client_for(consultant).get(reverse("events:mark", args=[plm_day_one.pk]))

    assert response.status_code == 405


def test_one_mark_keeps_a_fixed_number_of_queries(
    client_for, consultant, plm, plm_day_one, village_library, django_assert_num_queries
):
    client = client_for(consultant)
    people = [factories.participant(f"Orang {n}", village_library, event=plm) for n in range(3)]
    _mark(client, plm_day_one, people[0], HTTP_ACCEPT="application/json")

    # session, user, provinces, session with event, participant, savepoint, mark by id,
    # active mark, registration, savepoint, insert, two releases
    with django_assert_num_queries(13):
        _mark(client, plm_day_one, people[1], HTTP_ACCEPT="application/json")
    for number in range(3, 40):
        factories.participant(f"Orang {number}", village_library, event=plm)
    with django_assert_num_queries(13):
        _mark(client, plm_day_one, people[2], HTTP_ACCEPT="application/json")


# Walk-in


def _walk_in(client, session, **changes):
    data = {
        "walkin-name": "Yohanes Tanggu",
        "walkin-gender": "M",
        "walkin-role": "village_head",
        "walkin-library": "",
        "walkin-institution": "Kantor Desa Merabu",
        "walkin-position": "Kepala Desa",
        "walkin-phone": "",
        "walkin-client_id": str(uuid.uuid4()),
    }
    data.update(changes)
    return client.post(reverse("events:walk-in", args=[session.pk]), data)


def test_walk_in_is_added_and_marked_once_even_when_submitted_twice(
    client_for, consultant, plm_day_one
):
    client = client_for(consultant)
    client_id = str(uuid.uuid4())

    first = _walk_in(client, plm_day_one, **{"walkin-client_id": client_id})
    _walk_in(client, plm_day_one, **{"walkin-client_id": client_id})

    assert first.status_code == 302
    assert Participant.objects.count() == 1
    assert Attendance.objects.active().count() == 1
    assert Registration.objects.get().role == "village_head"


def test_walk_in_without_library_or_institution_explains_and_saves_nothing(
    client_for, consultant, plm_day_one
):
    response = _walk_in(client_for(consultant), plm_day_one, **{"walkin-institution": ""})

    assert response.status_code == 200
    assert "Isi perpustakaan atau instansi" in response.text
    assert not Participant.objects.exists()


@pytest.mark.parametrize("accept", ["text/html", "application/json"])
def test_walk_in_posted_empty_explains_every_missing_field_and_saves_nothing(
    client_for, consultant, plm_day_one, accept
):
    url = reverse("events:walk-in", args=[plm_day_one.pk])
    blank = {f"walkin-{name}": "" for name in ("name", "gender", "role", "client_id")}

    for data in ({}, blank):
        response = client_for(consultant).post(url, data, HTTP_ACCEPT=accept)

        wants_json = accept == "application/json"
        assert response.status_code == (400 if wants_json else 200)
        text = json.dumps(response.json(), ensure_ascii=False) if wants_json else response.text
        assert "Bidang ini tidak boleh kosong" in text
        assert "Formulir tidak dapat dibaca" in text
    assert not Participant.objects.exists()
    assert not Attendance.objects.exists()


def test_walk_in_with_a_damaged_hidden_id_explains_and_renews_it(
    client_for, consultant, plm_day_one
):
    client = client_for(consultant)

    response = _walk_in(client, plm_day_one, **{"walkin-client_id": "99999999999999999999"})

    assert response.status_code == 200
    assert "Formulir tidak dapat dibaca" in response.text
    assert 'value="99999999999999999999"' not in response.text
    assert not Participant.objects.exists()
    renewed = response.context["form"]["client_id"].value()
    again = _walk_in(client, plm_day_one, **{"walkin-client_id": str(renewed)})
    assert again.status_code == 302
    assert Attendance.objects.active().get().participant.name == "Yohanes Tanggu"


def test_walk_in_marks_invalid_fields_for_screen_readers_and_the_eye(
    client_for, consultant, plm_day_one
):
    response = _walk_in(client_for(consultant), plm_day_one, **{"walkin-name": ""})

    form = response.context["form"]
    assert 'aria-invalid="true"' in str(form["name"])
    assert "is-invalid" in str(form["name"])
    assert "is-invalid" not in str(form["institution"])


def test_offline_replay_of_a_walk_in_answers_json_and_marks_once(
    client_for, consultant, plm_day_one
):
    client = client_for(consultant)
    client_id = str(uuid.uuid4())
    url = reverse("events:walk-in", args=[plm_day_one.pk])

    answers = [
        client.post(
            url,
            {
                "walkin-name": "Yohanes Tanggu",
                "walkin-gender": "M",
                "walkin-role": "village_head",
                "walkin-institution": "Kantor Desa Merabu",
                "walkin-client_id": client_id,
            },
            HTTP_ACCEPT="application/json",
        )
        for _attempt in range(2)
    ]

    person = Participant.objects.get()
    assert [answer.status_code for answer in answers] == [200, 200]
    assert [answer.json()["participant"] for answer in answers] == [person.pk, person.pk]
    assert answers[0].json()["ok"] is True and answers[0].json()["marked"] is True
    assert "WITA" in answers[0].json()["at"]
    assert Attendance.objects.active().count() == 1


def test_offline_replay_of_a_bad_walk_in_gets_its_errors_by_field(
    client_for, consultant, plm_day_one
):
    response = client_for(consultant).post(
        reverse("events:walk-in", args=[plm_day_one.pk]),
        {"walkin-name": "Yohanes", "walkin-gender": "X", "walkin-client_id": "rusak"},
        HTTP_ACCEPT="application/json",
    )

    answer = response.json()
    assert response.status_code == 400 and answer["ok"] is False
    assert set(answer["errors"]) >= {"gender", "role", "institution"}
    assert "Formulir tidak dapat dibaca" in answer["error"]
    assert not Participant.objects.exists()


def test_outsider_cannot_add_a_walk_in(client_for, outsider, plm_day_one):
    assert _walk_in(client_for(outsider), plm_day_one).status_code == 404
    assert not Participant.objects.exists()


# Exports and printing


def test_export_csv_lists_marks_in_local_time(client_for, consultant, plm_day_one, siti, budi):
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4())

    response = client_for(consultant).get(
        reverse("events:export", args=[plm_day_one.event_id, "csv"])
    )

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    lines = text.strip().splitlines()
    assert lines[0].startswith("Tanggal,Sesi,Nama")
    assert len(lines) == 2
    assert "Siti Aminah" in lines[1] and "WITA" in lines[1] and "Kota Samarinda" in lines[1]


def test_export_xlsx_is_a_workbook_with_the_marks(client_for, consultant, plm_day_one, siti):
    import io

    from openpyxl import load_workbook

    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4())

    response = client_for(consultant).get(
        reverse("events:export", args=[plm_day_one.event_id, "xlsx"])
    )

    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[1][2] == "Siti Aminah"


def test_librarian_export_holds_only_their_library(
    client_for, perpusnas, village_librarian, village_library, plm, plm_day_one, siti, budi
):
    invitations_set(actor=perpusnas, event=plm, libraries=[village_library])
    for person in (siti, budi):
        attendance_mark(
            actor=perpusnas, session=plm_day_one, participant=person, client_id=uuid.uuid4()
        )

    response = client_for(village_librarian).get(reverse("events:export", args=[plm.pk, "csv"]))

    text = b"".join(response.streaming_content).decode("utf-8-sig")
    assert "Siti Aminah" in text and "Budi Santoso" not in text


def test_export_of_another_province_is_404(client_for, outsider, plm):
    assert (
        client_for(outsider).get(reverse("events:export", args=[plm.pk, "csv"])).status_code == 404
    )


def test_printable_sheet_has_a_signature_column_for_everyone(
    client_for, consultant, plm_day_one, siti, budi
):
    response = client_for(consultant).get(reverse("events:sign-sheet", args=[plm_day_one.pk]))

    assert response.status_code == 200
    assert "Tanda tangan" in response.text
    assert "css/sign-sheet.css" in response.text
    assert "size: A4" in (settings.BASE_DIR / "static/css/sign-sheet.css").read_text()
    assert "Siti Aminah" in response.text and "Budi Santoso" in response.text


def test_printable_sheet_of_another_province_is_404(client_for, outsider, plm_day_one):
    url = reverse("events:sign-sheet", args=[plm_day_one.pk])

    assert client_for(outsider).get(url).status_code == 404


# PLM problems, SHM and awards


@pytest.fixture
def shm(perpusnas):
    return factories.event(
        actor=perpusnas,
        kind="shm_province",
        title="SHM Provinsi Kalimantan Timur",
        venue="Kantor Gubernur",
        first_day=datetime.date(2022, 9, 1),
        days=1,
    )


def test_problem_raised_at_a_plm_is_listed_at_the_next_shm_and_followed_up(
    client_for, consultant, plm, shm, berau_library
):
    client = client_for(consultant)
    client.post(
        reverse("events:problem-add", args=[plm.pk]),
        {
            "description": "Blank spot internet di desa-desa Berau",
            "stakeholder": "Dinas Kominfo",
            "regency": "64.03",
            "library": berau_library.pk,
        },
    )
    problem = Problem.objects.get()

    page = client.get(reverse("events:detail", args=[shm.pk]))
    assert "Blank spot internet" in page.text

    response = client.post(
        reverse("events:problem-follow-up", args=[shm.pk, problem.pk]),
        {
            f"p{problem.pk}-status": "in_progress",
            f"p{problem.pk}-follow_up": "Kominfo memetakan menara BTS",
            f"p{problem.pk}-version": problem.version,
        },
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert problem.status == "in_progress"
    assert problem.discussed_at == shm


def test_problems_can_only_be_recorded_at_a_plm(client_for, consultant, shm):
    assert (
        client_for(consultant).get(reverse("events:problem-add", args=[shm.pk])).status_code == 404
    )


def test_problem_without_a_stakeholder_is_refused(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:problem-add", args=[plm.pk]), {"description": "Tidak ada internet"}
    )

    assert response.status_code == 200
    assert "stakeholder" in response.context["form"].errors
    assert not Problem.objects.exists()


def test_award_is_recorded_for_a_library_of_the_province(
    client_for, consultant, plm, village_library
):
    response = client_for(consultant).post(
        reverse("events:award-add", args=[plm.pk]),
        {"category": "most_active", "rank": 1, "library": village_library.pk, "note": ""},
    )

    assert response.status_code == 302
    assert plm.awards.get().library == village_library


def test_award_with_rank_zero_is_refused(client_for, consultant, plm, village_library):
    response = client_for(consultant).post(
        reverse("events:award-add", args=[plm.pk]),
        {"category": "most_active", "rank": 0, "library": village_library.pk},
    )

    assert response.status_code == 200
    assert not plm.awards.exists()


def test_outsider_cannot_record_an_award(client_for, outsider, plm, village_library):
    response = client_for(outsider).post(
        reverse("events:award-add", args=[plm.pk]),
        {"category": "most_active", "rank": 1, "library": village_library.pk},
    )

    assert response.status_code == 404


def test_shm_held_before_the_plm_does_not_list_its_problems(client_for, consultant, plm, perpusnas):
    from events.services import problem_add

    earlier = factories.event(
        actor=perpusnas,
        kind="shm_province",
        title="SHM sebelum PLM",
        first_day=datetime.date(2022, 6, 1),
        days=1,
    )
    problem_add(actor=consultant, event=plm, description="Blank spot", stakeholder="Kominfo")

    page = client_for(consultant).get(reverse("events:detail", args=[earlier.pk]))

    assert "Blank spot" not in page.text


def test_resolved_problem_is_no_longer_listed_at_a_later_shm(client_for, consultant, plm, shm):
    from events.services import problem_add

    problem_add(
        actor=consultant,
        event=plm,
        description="Blank spot",
        stakeholder="Kominfo",
        status="resolved",
    )

    page = client_for(consultant).get(reverse("events:detail", args=[shm.pk]))

    assert "Blank spot" not in page.text


def test_consultant_adds_a_second_session_on_a_day(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:session-add", args=[plm.pk]),
        {"date": "2022-07-05", "name": "Hari 2 (malam apresiasi)"},
    )

    assert response.status_code == 302
    assert plm.sessions.count() == 4


def test_session_outside_the_event_dates_is_refused(client_for, consultant, plm):
    response = client_for(consultant).post(
        reverse("events:session-add", args=[plm.pk]), {"date": "2022-08-01", "name": "Tambahan"}
    )

    assert response.status_code == 200
    assert "dalam tanggal acara" in response.text
    assert plm.sessions.count() == 3


def test_facilitator_is_removed_by_post_only(client_for, consultant, plm):
    from events.services import facilitator_add

    facilitator = facilitator_add(
        actor=consultant,
        event=plm,
        role="narasumber",
        name="Abdul Rahman",
        gender="M",
        library=None,
        institution="Perpustakaan Kabupaten Siak",
    )
    url = reverse("events:facilitator-remove", args=[plm.pk, facilitator.pk])
    client = client_for(consultant)

    assert client.get(url).status_code == 405
    assert client.post(url).status_code == 302
    assert not plm.facilitators.exists()


def test_award_is_removed_only_by_someone_who_manages_the_event(
    client_for, consultant, outsider, plm, village_library
):
    from events.services import award_add

    award = award_add(
        actor=consultant, event=plm, category="best_pic", rank=1, library=village_library
    )
    url = reverse("events:award-delete", args=[plm.pk, award.pk])

    assert client_for(outsider).post(url).status_code == 404
    assert client_for(consultant).post(url).status_code == 302
    assert not plm.awards.exists()


@pytest.mark.django_db
def test_service_worker_may_cover_the_whole_site(client):
    response = client.get(reverse("service-worker"))

    assert response["Content-Type"].startswith("application/javascript")
    assert response["Service-Worker-Allowed"] == "/"
    # Versioned by release; the older caches are dropped when the new worker takes over.
    assert re.search(r'const VERSION = "[0-9a-f]{12}";', response.text)
    assert "caches.delete(key)" in response.text


def test_walk_in_page_works_without_javascript(client_for, consultant, plm_day_one):
    response = client_for(consultant).get(reverse("events:walk-in", args=[plm_day_one.pk]))

    assert response.status_code == 200
    assert "Tambahkan dan tandai hadir" in response.text


# Events moved from /kegiatan/ to /acara/ ------------------------------------------------------


def test_events_live_under_acara(client_for, consultant, plm, plm_day_one):
    assert reverse("events:list") == "/acara/"
    assert reverse("events:attendance", args=[plm_day_one.pk]) == f"/acara/sesi/{plm_day_one.pk}/"
    assert client_for(consultant).get(f"/acara/{plm.pk}/").status_code == 200


@pytest.mark.parametrize(
    ("old", "new"),
    [
        ("/kegiatan/", "/acara/"),
        ("/kegiatan/{event}/", "/acara/{event}/"),
        ("/kegiatan/sesi/{session}/?q=siti", "/acara/sesi/{session}/?q=siti"),
        ("/kegiatan/{event}/ekspor.csv", "/acara/{event}/ekspor.csv"),
    ],
)
def test_old_event_addresses_redirect_permanently(client, plm, plm_day_one, old, new):
    ids = {"event": plm.pk, "session": plm_day_one.pk}

    response = client.get(old.format(**ids))

    assert response.status_code == 301
    assert response["Location"] == new.format(**ids)


def test_a_form_sent_to_an_old_event_address_is_sent_again_unchanged(client_for, consultant, plm):
    response = client_for(consultant).post(
        f"/kegiatan/{plm.pk}/sesi/baru/", {"date": "2022-07-05", "name": "Hari 2"}
    )

    # 308: the browser repeats the POST, with its body, at the new address.
    assert response.status_code == 308
    assert response["Location"] == f"/acara/{plm.pk}/sesi/baru/"
    assert plm.sessions.count() == 3


def test_a_mark_queued_on_a_page_opened_before_the_move_is_recorded(
    client_for, consultant, plm_day_one, siti
):
    # The offline queue of such a page posts to the old address and reads a redirect as a
    # lost session: the old address records the mark itself.
    response = client_for(consultant).post(
        f"/kegiatan/sesi/{plm_day_one.pk}/tandai/",
        {"participant": siti.pk, "client_id": uuid.uuid4(), "action": "mark", "queued": "on"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 200 and response.json()["marked"]
    assert Attendance.objects.get().source == Attendance.Source.OFFLINE


@pytest.mark.django_db
def test_an_old_service_worker_registration_updates_in_place(client):
    response = client.get("/kegiatan/sw.js")

    assert response.status_code == 200
    assert response["Service-Worker-Allowed"] == "/"
    # It serves attendance pages cached under either address.
    assert r"/acara/sesi/\u005Cd+/|/kegiatan/sesi/\u005Cd+/" in response.text
    assert client.get("/acara/sw.js").content == response.content
