import datetime
import threading
import uuid
import zoneinfo

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, connection, transaction

from events.models import Attendance, Event, Participant, Registration
from events.models.people import normalise_name
from events.services import (
    attendance_mark,
    attendance_unmark,
    event_update,
    participant_find_or_create,
    participant_merge,
    walk_in_register,
)
from tests import factories

WITA = zoneinfo.ZoneInfo("Asia/Makassar")


def test_event_gets_one_session_per_local_day_and_is_stored_in_utc(plm):
    sessions = list(plm.sessions.order_by("date"))

    assert [session.date for session in sessions] == [
        datetime.date(2022, 7, 4),
        datetime.date(2022, 7, 5),
        datetime.date(2022, 7, 6),
    ]
    assert [session.name for session in sessions] == ["Hari 1", "Hari 2", "Hari 3"]
    # 08:00 WITA is midnight UTC.
    assert plm.starts_at == datetime.datetime(2022, 7, 4, 0, 0, tzinfo=datetime.UTC)
    assert plm.time_zone_abbreviation == "WITA"


def test_database_refuses_an_event_that_ends_before_it_starts(plm):
    with pytest.raises(IntegrityError), transaction.atomic():
        Event.objects.filter(pk=plm.pk).update(ends_at=plm.starts_at - datetime.timedelta(hours=1))


def test_consultant_cannot_create_an_event_in_another_province(outsider, regions):
    with pytest.raises(PermissionDenied):
        factories.event(actor=outsider)

    assert not Event.objects.exists()


def test_shortening_an_event_keeps_days_that_have_attendance(plm, consultant, village_library):
    person = factories.participant("Siti Aminah", village_library, event=plm)
    last_day = plm.sessions.order_by("date").last()
    attendance_mark(actor=consultant, session=last_day, participant=person, client_id=uuid.uuid4())

    with pytest.raises(ValidationError):
        event_update(
            actor=consultant,
            event=plm,
            version=plm.version,
            ends_at=plm.ends_at - datetime.timedelta(days=1),
        )

    assert plm.sessions.count() == 3


def test_lengthening_an_event_adds_a_session_for_the_new_day(plm, consultant):
    event_update(
        actor=consultant,
        event=plm,
        version=plm.version,
        ends_at=plm.ends_at + datetime.timedelta(days=1),
    )

    assert plm.sessions.count() == 4


# Participants


def test_names_with_titles_and_spacing_normalise_alike():
    assert normalise_name("Hj. Siti  Aminah, S.Pd.") == normalise_name("siti aminah")
    assert normalise_name("Ahmad Fauzi, A.Md.Kom") == "ahmad fauzi"


def test_same_name_at_the_same_library_is_the_same_person(village_library):
    first, created = participant_find_or_create(
        name="Siti Aminah", gender="F", province=village_library.province, library=village_library
    )
    again, created_again = participant_find_or_create(
        name="SITI  AMINAH, S.Pd.",
        gender="F",
        province=village_library.province,
        library=village_library,
        phone="0812",
    )

    assert created and not created_again
    assert again.pk == first.pk
    again.refresh_from_db()
    assert again.phone == "0812"


def test_same_name_at_another_library_is_another_person(village_library, berau_village_library):
    factories.participant("Siti Aminah", village_library)
    factories.participant("Siti Aminah", berau_village_library)

    assert Participant.objects.count() == 2


def test_a_person_needs_a_library_or_an_institution(regions):
    with pytest.raises(ValidationError):
        factories.participant("Tanpa Asal", None, institution="")
    assert not Participant.objects.exists()


# Attendance


@pytest.fixture
def siti(plm, village_library):
    return factories.participant("Siti Aminah", village_library, event=plm)


def test_mark_records_who_and_when(consultant, plm_day_one, siti):
    mark, created = attendance_mark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4()
    )

    assert created
    assert mark.marked_by == consultant
    assert mark.marked_at is not None
    assert mark.source == Attendance.Source.PAGE


def test_retry_with_the_same_id_leaves_one_mark(consultant, plm_day_one, siti):
    client_id = uuid.uuid4()

    first, created = attendance_mark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=client_id
    )
    again, created_again = attendance_mark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=str(client_id)
    )

    assert (created, created_again) == (True, False)
    assert again.pk == first.pk
    assert Attendance.objects.count() == 1


def test_two_consultants_marking_the_same_person_leave_one_mark_by_the_first(
    consultant, perpusnas, plm_day_one, siti
):
    first, _ = attendance_mark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4()
    )
    second, created = attendance_mark(
        actor=perpusnas, session=plm_day_one, participant=siti, client_id=uuid.uuid4()
    )

    assert not created
    assert second.pk == first.pk
    assert second.marked_by == consultant
    assert Attendance.objects.active().count() == 1


def test_database_refuses_a_second_active_mark(consultant, plm_day_one, siti):
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4())

    with pytest.raises(IntegrityError), transaction.atomic():
        Attendance.objects.create(
            session=plm_day_one,
            participant=siti,
            client_id=uuid.uuid4(),
            source="page",
            marked_at=plm_day_one.event.starts_at,
        )


def test_a_mark_id_cannot_be_reused_for_someone_else(consultant, plm, plm_day_one, siti, regions):
    other = factories.participant("Budi Santoso", None, gender="M", event=plm)
    client_id = uuid.uuid4()
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=client_id)

    with pytest.raises(ValidationError):
        attendance_mark(
            actor=consultant, session=plm_day_one, participant=other, client_id=client_id
        )


def test_unmark_keeps_the_undone_mark_in_the_history(consultant, plm_day_one, siti):
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4())
    undo_id = uuid.uuid4()

    undone = attendance_unmark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=undo_id
    )
    again = attendance_unmark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=undo_id
    )

    assert undone.revoked_by == consultant
    assert again.pk == undone.pk
    assert Attendance.objects.active().count() == 0
    assert Attendance.objects.count() == 1


def test_undo_with_an_id_already_used_for_another_person_or_day_is_refused(
    consultant, plm, plm_day_one, siti, village_library
):
    other = factories.participant("Budi Santoso", village_library, gender="M", event=plm)
    day_two = plm.sessions.order_by("date")[1]
    for person, session in ((siti, plm_day_one), (other, plm_day_one), (siti, day_two)):
        attendance_mark(
            actor=consultant, session=session, participant=person, client_id=uuid.uuid4()
        )
    undo_id = uuid.uuid4()
    siti_undone = attendance_unmark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=undo_id
    )

    for person, session in ((other, plm_day_one), (siti, day_two)):
        with pytest.raises(ValidationError, match="sudah dipakai untuk orang lain"):
            attendance_unmark(
                actor=consultant, session=session, participant=person, client_id=undo_id
            )

    siti_undone.refresh_from_db()
    assert (siti_undone.session, siti_undone.participant) == (plm_day_one, siti)
    assert set(Attendance.objects.active().values_list("participant", "session")) == {
        (other.pk, plm_day_one.pk),
        (siti.pk, day_two.pk),
    }


def test_undo_id_reused_by_the_page_for_another_person_answers_an_error_not_their_mark(
    client_for, consultant, plm, plm_day_one, siti, village_library
):
    from django.urls import reverse

    other = factories.participant("Budi Santoso", village_library, gender="M", event=plm)
    for person in (siti, other):
        attendance_mark(
            actor=consultant, session=plm_day_one, participant=person, client_id=uuid.uuid4()
        )
    undo_id = str(uuid.uuid4())
    client = client_for(consultant)
    url = reverse("events:mark", args=[plm_day_one.pk])
    client.post(url, {"participant": siti.pk, "client_id": undo_id, "action": "unmark"})

    response = client.post(
        url,
        {"participant": other.pk, "client_id": undo_id, "action": "unmark"},
        HTTP_ACCEPT="application/json",
    )

    assert response.status_code == 400
    assert response.json()["ok"] is False
    assert Attendance.objects.active().get().participant == other


def test_mark_after_undo_is_a_new_mark_and_a_late_retry_of_the_old_one_changes_nothing(
    consultant, plm_day_one, siti
):
    old_id = uuid.uuid4()
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=old_id)
    attendance_unmark(
        actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4()
    )

    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=old_id)

    assert Attendance.objects.active().count() == 0
    attendance_mark(actor=consultant, session=plm_day_one, participant=siti, client_id=uuid.uuid4())
    assert Attendance.objects.active().count() == 1
    assert Attendance.objects.count() == 2


def test_outsider_cannot_mark(outsider, plm_day_one, siti):
    with pytest.raises(PermissionDenied):
        attendance_mark(
            actor=outsider, session=plm_day_one, participant=siti, client_id=uuid.uuid4()
        )
    assert not Attendance.objects.exists()


def test_only_people_on_the_list_can_be_marked(consultant, plm_day_one, berau_village_library):
    stranger = factories.participant("Tidak Terdaftar", berau_village_library)

    with pytest.raises(ValidationError):
        attendance_mark(
            actor=consultant, session=plm_day_one, participant=stranger, client_id=uuid.uuid4()
        )


def test_walk_in_is_listed_and_marked_once_even_if_sent_twice(
    consultant, plm_day_one, berau_village_library
):
    client_id = uuid.uuid4()
    person = {
        "name": "Yohanes Tanggu",
        "gender": "M",
        "library": berau_village_library,
        "institution": "",
        "position": "Kepala Desa",
    }

    for _ in range(2):
        walk_in_register(
            actor=consultant,
            session=plm_day_one,
            client_id=client_id,
            role=Registration.Role.VILLAGE_HEAD,
            **person,
        )

    assert Participant.objects.count() == 1
    assert Registration.objects.get().source == Registration.Source.WALK_IN
    assert Attendance.objects.get().source == Attendance.Source.WALK_IN


# Merge


def test_merge_moves_attendance_without_losing_or_doubling_marks(
    perpusnas, consultant, plm, village_library
):
    day1, day2, day3 = plm.sessions.order_by("date")
    keep = factories.participant("Siti Aminah", village_library, event=plm)
    duplicate = factories.participant(
        "Siti Aminah", None, institution="Desa Rawa Makmur", event=plm
    )
    for session in (day1, day2):
        attendance_mark(actor=consultant, session=session, participant=keep, client_id=uuid.uuid4())
    for session in (day2, day3):
        attendance_mark(
            actor=consultant, session=session, participant=duplicate, client_id=uuid.uuid4()
        )

    result = participant_merge(actor=perpusnas, keep=keep, duplicates=[duplicate])

    assert result["doubles_undone"] == 1
    assert not Participant.objects.filter(pk=duplicate.pk).exists()
    active = Attendance.objects.active().filter(participant=keep)
    assert sorted(active.values_list("session__date", flat=True)) == [
        day1.date,
        day2.date,
        day3.date,
    ]
    # The double mark of day 2 is kept, as undone.
    assert Attendance.objects.filter(participant=keep).count() == 4
    assert Registration.objects.filter(event=plm, participant=keep).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)
def test_simultaneous_marks_from_two_connections_leave_one_mark(regions):
    perpusnas = factories.UserFactory(username="pusat", role="perpusnas")
    event = factories.event(actor=perpusnas)
    library = factories.village_library("64.72.01.1001")
    person = factories.participant("Siti Aminah", library, event=event)
    session = event.sessions.first()
    barrier = threading.Barrier(4)
    errors = []

    def mark():
        try:
            barrier.wait()
            attendance_mark(
                actor=perpusnas, session=session, participant=person, client_id=uuid.uuid4()
            )
        except Exception as exc:
            errors.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=mark) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert errors == []
    assert Attendance.objects.active().filter(session=session, participant=person).count() == 1


@pytest.mark.django_db(transaction=True)
@pytest.mark.skipif(
    connection.vendor != "postgresql", reason="needs concurrent connections (PostgreSQL)"
)
def test_simultaneous_undos_of_two_people_with_one_id_undo_only_one(regions):
    perpusnas = factories.UserFactory(username="pusat", role="perpusnas")
    event = factories.event(actor=perpusnas)
    library = factories.village_library("64.72.01.1001")
    people = [factories.participant(name, library, event=event) for name in ("Siti Aminah", "Budi")]
    session = event.sessions.first()
    for person in people:
        attendance_mark(
            actor=perpusnas, session=session, participant=person, client_id=uuid.uuid4()
        )
    undo_id = uuid.uuid4()
    barrier = threading.Barrier(2)
    outcomes = []

    def undo(person):
        try:
            barrier.wait()
            attendance_unmark(
                actor=perpusnas, session=session, participant=person, client_id=undo_id
            )
            outcomes.append("undone")
        except ValidationError:
            outcomes.append("refused")
        except Exception as exc:
            outcomes.append(exc)
        finally:
            connection.close()

    threads = [threading.Thread(target=undo, args=[person]) for person in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(map(str, outcomes)) == ["refused", "undone"]
    assert Attendance.objects.active().filter(session=session).count() == 1
    assert Attendance.objects.filter(revoke_client_id=undo_id).count() == 1
