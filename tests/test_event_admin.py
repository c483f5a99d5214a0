import uuid

from django.contrib.admin.helpers import ACTION_CHECKBOX_NAME
from django.urls import reverse

from events.models import Attendance, Participant
from events.services import attendance_mark
from tests import factories

CHANGELIST = reverse("admin:events_participant_changelist")


def test_perpusnas_merges_two_records_of_one_person_keeping_every_mark(
    client_for, perpusnas, consultant, plm, village_library
):
    day1, day2, _day3 = plm.sessions.order_by("date")
    keep = factories.participant("Siti Aminah", village_library, event=plm)
    duplicate = factories.participant(
        "Siti Aminah", None, institution="Kel. Rawa Makmur", event=plm
    )
    attendance_mark(actor=consultant, session=day1, participant=keep, client_id=uuid.uuid4())
    attendance_mark(actor=consultant, session=day2, participant=duplicate, client_id=uuid.uuid4())
    client = client_for(perpusnas)
    selection = {"action": "merge", ACTION_CHECKBOX_NAME: [keep.pk, duplicate.pk]}

    confirm_page = client.post(CHANGELIST, selection)
    response = client.post(CHANGELIST, {**selection, "confirm": "yes", "keep": keep.pk})

    assert "Gabungkan catatan orang" in confirm_page.text
    assert response.status_code == 302
    assert list(Participant.objects.all()) == [keep]
    assert Attendance.objects.active().filter(participant=keep).count() == 2


def test_consultant_has_no_merge_action(client_for, consultant, plm, village_library):
    keep = factories.participant("Siti Aminah", village_library, event=plm)
    duplicate = factories.participant("Siti Aminah", None, institution="Kelurahan", event=plm)

    client_for(consultant).post(
        CHANGELIST, {"action": "merge", ACTION_CHECKBOX_NAME: [keep.pk, duplicate.pk]}
    )

    assert Participant.objects.count() == 2


def test_consultant_sees_only_events_of_their_province_in_the_admin(
    client_for, consultant, plm, kepri_bimtek
):
    client = client_for(consultant)

    listing = client.get(reverse("admin:events_event_changelist"))
    other = client.get(reverse("admin:events_event_change", args=[kepri_bimtek.pk]))

    assert "PLM Provinsi Kalimantan Timur" in listing.text
    assert "Bimtek SPP-TIK Kepulauan Riau" not in listing.text
    assert other.status_code == 404
