"""The admin saves through the apps' services: their rules, the stale-edit check, the refresh of
cached figures and the history apply to a save in the admin as to one in the portal."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from events.models import Event, Facilitator, Participant, Registration
from events.services import (
    attendance_mark,
    award_add,
    event_delete,
    facilitator_add,
    participant_delete,
    problem_add,
)
from libraries.data_version import data_version
from libraries.models import (
    Activity,
    Library,
    LibraryManager,
    Partner,
    Publication,
    Skill,
    User,
)
from libraries.reporting import services as reporting_services
from tests import factories
from tests.test_versioning import _concurrent_admin_saves, _form_data
from tpbis_portal.exports.models import ExportJob
from tpbis_portal.exports.services import export_job_produce

pytestmark = pytest.mark.django_db(transaction=True)


def _change_url(obj) -> str:
    return reverse(f"admin:{obj._meta.app_label}_{obj._meta.model_name}_change", args=[obj.pk])


def _refusal(response) -> str:
    assert response.status_code == 200
    return " ".join(str(error) for error in response.context["adminform"].form.errors.values())


# Events


def test_event_dates_that_would_drop_a_day_with_attendance_are_refused_in_the_admin(
    client_for, perpusnas, consultant, plm, village_library
):
    last_day = plm.sessions.order_by("date").last()
    person = factories.participant("Siti Aminah", village_library, event=plm)
    attendance_mark(actor=consultant, session=last_day, participant=person, client_id=uuid.uuid4())
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(plm)))

    # The editor shortens the event and deletes its last day's session with it.
    response = client.post(
        _change_url(plm), {**data, "ends_at_0": "2022-07-05", "sessions-2-DELETE": "on"}
    )

    assert "06-07-2022" in _refusal(response)
    plm.refresh_from_db()
    assert (plm.local_dates()[-1], plm.version) == (datetime.date(2022, 7, 6), 1)
    assert plm.sessions.count() == 3


def test_an_event_added_in_the_admin_gets_a_session_for_each_day_and_one_history_entry(
    client_for, perpusnas, regions
):
    client = client_for(perpusnas)
    url = reverse("admin:events_event_add")
    page = client.get(url)
    inlines = {
        key: value
        for key, value in _form_data(page).items()
        if key.endswith(("TOTAL_FORMS", "INITIAL_FORMS", "MIN_NUM_FORMS", "MAX_NUM_FORMS"))
    }

    response = client.post(
        url,
        {
            "kind": "plm_province",
            "title": "PLM Provinsi Kalimantan Timur 2024",
            "province": "64",
            "venue": "Hotel Samarinda",
            "status": Event.Status.choices[0][0],
            "starts_at_0": "01-08-2024",
            "starts_at_1": "08.00",
            "ends_at_0": "02-08-2024",
            "ends_at_1": "16.00",
            **inlines,
        },
    )

    assert response.status_code == 302, response.context and response.context["errors"]
    event = Event.objects.get(title="PLM Provinsi Kalimantan Timur 2024")
    assert sorted(session.date for session in event.sessions.all()) == [
        datetime.date(2024, 8, 1),
        datetime.date(2024, 8, 2),
    ]
    assert (event.created_by, event.history.count()) == (perpusnas, 1)


def test_an_event_corrected_in_the_admin_is_saved_once_and_refreshes_its_province(
    client_for, perpusnas, plm
):
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(plm)))
    before = data_version("64")

    response = client.post(_change_url(plm), {**data, "venue": "Gedung Serbaguna"})

    assert response.status_code == 302
    plm.refresh_from_db()
    assert (plm.venue, plm.version, plm.history.count()) == ("Gedung Serbaguna", 2, 2)
    assert data_version("64") != before


# Activities


def test_a_skill_no_longer_offered_is_refused_in_the_admin(client_for, consultant, village_library):
    activity = factories.ActivityFactory(library=village_library)
    retired = Skill.objects.create(name="Mengetik", active=False)
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(activity)))

    response = client.post(_change_url(activity), {**data, "catalogue_skills": [retired.pk]})

    assert "Mengetik" in _refusal(response)
    activity.refresh_from_db()
    assert (activity.version, list(activity.catalogue_skills.all())) == (1, [])


def test_an_activity_corrected_in_the_admin_is_saved_once_and_refreshes_its_province(
    client_for, consultant, village_library
):
    activity = factories.ActivityFactory(library=village_library, title="Kelas kue")
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(activity)))
    before = data_version("64")

    response = client.post(_change_url(activity), {**data, "title": "Kelas roti"})

    assert response.status_code == 302
    activity.refresh_from_db()
    assert (activity.title, activity.version, activity.history.count()) == ("Kelas roti", 2, 2)
    assert data_version("64") != before


# PLM problems and publications


def test_a_problem_keeps_its_event_in_the_admin(client_for, perpusnas, plm, kepri_bimtek):
    problem = problem_add(
        actor=perpusnas, event=plm, description="Internet desa putus", stakeholder="Diskominfo"
    )
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(problem)))

    response = client.post(
        _change_url(problem), {**data, "event": kepri_bimtek.pk, "follow_up": "Dihubungi"}
    )

    assert response.status_code == 302
    problem.refresh_from_db()
    assert (problem.event, problem.follow_up, problem.version) == (plm, "Dihubungi", 2)


def test_a_publication_corrected_meanwhile_makes_the_admin_save_stale(
    client_for, perpusnas, consultant, village_library
):
    publication = Publication.objects.create(
        library=village_library,
        channel=Publication.Channel.choices[0][0],
        url="https://example.org/berita",
        published_on=datetime.date(2024, 3, 1),
        title="Berita desa",
        idempotency_key=uuid.uuid4(),
    )

    refused = _concurrent_admin_saves(
        client_for, perpusnas, consultant, _change_url(publication), "title", ["Satu", "Dua"]
    )

    assert "Orang lain telah menyimpan" in refused.text
    publication.refresh_from_db()
    assert (publication.title, publication.version, publication.history.count()) == (
        "Satu",
        2,
        2,
    )


def test_an_activity_added_in_the_admin_is_recorded_once(client_for, consultant, village_library):
    client = client_for(consultant)
    url = reverse("admin:libraries_activity_add")
    data = _form_data(client.get(url))
    data.update(library=village_library.pk, title="Kelas menjahit", date="2024-03-05")

    response = client.post(url, data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    activity = Activity.objects.get()
    assert (activity.title, activity.recorded_by, activity.history.count()) == (
        "Kelas menjahit",
        consultant,
        1,
    )


# Visitor counts, targets and thresholds


def test_a_visitor_count_corrected_in_the_admin_is_recorded_by_the_corrector(
    client_for, consultant, village_library
):
    count = factories.VisitorCountFactory(library=village_library, visitors=100)
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(count)))
    before = data_version("64")

    response = client.post(_change_url(count), {**data, "visitors": "140"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    count.refresh_from_db()
    assert (count.visitors, count.recorded_by, count.history.count()) == (140, consultant, 2)
    assert data_version("64") != before


def test_a_target_set_in_the_admin_names_who_set_it_and_recolours_every_province(
    client_for, perpusnas, regions
):
    target = factories.TargetFactory(per_month=2)
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(target)))
    before = data_version("21")

    response = client.post(_change_url(target), {**data, "per_month": "3"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    target.refresh_from_db()
    assert (target.per_month, target.set_by, target.history.count()) == (3, perpusnas, 2)
    assert data_version("21") != before


# The event's inlines


def test_a_session_with_attendance_cannot_be_deleted_in_the_admin(
    client_for, perpusnas, consultant, plm, village_library
):
    first_day = plm.sessions.order_by("date").first()
    person = factories.participant("Siti Aminah", village_library, event=plm)
    attendance_mark(actor=consultant, session=first_day, participant=person, client_id=uuid.uuid4())
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(plm)))

    response = client.post(
        _change_url(plm), {**data, "venue": "Gedung Baru", "sessions-0-DELETE": "on"}
    )

    assert "04-07-2022" in _refusal(response)
    plm.refresh_from_db()
    assert (plm.venue, plm.version, plm.sessions.count()) == ("Hotel Harris Samarinda", 1, 3)
    assert person.attendances.count() == 1


def test_a_facilitator_named_in_the_admin_is_on_the_event_s_list(
    client_for, perpusnas, plm, village_library
):
    person = factories.participant("Budi Santoso", village_library)
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(plm)))
    data.update(
        {
            "facilitators-TOTAL_FORMS": "1",
            "facilitators-0-participant": person.pk,
            "facilitators-0-role": Facilitator.Role.choices[0][0],
            "facilitators-0-topic": "Literasi digital",
        }
    )

    response = client.post(_change_url(plm), data)

    assert response.status_code == 302, response.context["errors"]
    assert plm.facilitators.get().participant == person
    assert Registration.objects.filter(event=plm, participant=person).exists()


# Participants


def test_a_participant_renamed_into_a_second_record_of_somebody_is_refused_in_the_admin(
    client_for, perpusnas, village_library
):
    kept = factories.participant("Siti Aminah", village_library)
    other = factories.participant("Siti Rahma", village_library)
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(other)))

    response = client.post(_change_url(other), {**data, "name": "Hj. Siti  Aminah, S.Pd."})

    assert f"{kept.pk}" in _refusal(response)
    assert "Siti Aminah" in _refusal(response)
    other.refresh_from_db()
    assert (other.name, other.normalised_name, other.history.count()) == (
        "Siti Rahma",
        "siti rahma",
        1,
    )


def test_a_participant_corrected_in_the_admin_keeps_the_duplicate_keys_in_step(
    client_for, consultant, village_library
):
    person = factories.participant("Siti Rahma", library=None, institution="Dinas Kominfo")
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(person)))

    response = client.post(
        _change_url(person),
        {**data, "name": "  Siti   Rahmawati ", "institution": "Diskominfo Samarinda"},
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert (person.name, person.normalised_name, person.normalised_institution) == (
        "Siti Rahmawati",
        "siti rahmawati",
        "diskominfo samarinda",
    )
    assert person.history.count() == 2


def test_a_person_already_on_record_cannot_be_added_again_in_the_admin(
    client_for, consultant, village_library
):
    factories.participant("Budi Santoso", village_library)
    client = client_for(consultant)
    url = reverse("admin:events_participant_add")

    response = client.post(
        url,
        {"name": "budi santoso", "gender": "M", "library": village_library.pk, "province": "64"},
    )

    assert "Budi Santoso" in _refusal(response)
    assert Participant.objects.filter(normalised_name="budi santoso").count() == 1


# Partners and partnership records


def test_a_partner_named_in_an_activity_keeps_its_library_in_the_admin(
    client_for, perpusnas, village_library, samarinda_library
):
    partner = factories.PartnerFactory(library=village_library, name="BPD Kaltimtara")
    activity = factories.ActivityFactory(library=village_library)
    activity.partners.add(partner)
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(partner)))

    response = client.post(
        _change_url(partner), {**data, "library": samarinda_library.pk, "contact": "Bu Rina"}
    )

    assert village_library.name in _refusal(response)
    partner.refresh_from_db()
    assert (partner.library, partner.contact, partner.history.count()) == (
        village_library,
        "",
        1,
    )


def test_a_partner_corrected_in_the_admin_is_saved_once_and_refreshes_its_province(
    client_for, consultant, village_library
):
    partner = factories.PartnerFactory(library=village_library, name="BPD Kaltimtara")
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(partner)))
    before = data_version("64")

    response = client.post(_change_url(partner), {**data, "contact": "Bu Rina, kepala cabang"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    partner.refresh_from_db()
    assert (partner.contact, partner.history.count()) == ("Bu Rina, kepala cabang", 2)
    assert partner.history.latest().history_user == consultant
    assert data_version("64") != before


def test_deleting_a_partner_named_in_an_activity_is_refused_in_the_admin(
    client_for, perpusnas, village_library
):
    partner = factories.PartnerFactory(library=village_library, name="BPD Kaltimtara")
    factories.ActivityFactory(library=village_library).partners.add(partner)
    url = reverse("admin:libraries_partner_delete", args=[partner.pk])

    response = client_for(perpusnas).post(url, {"post": "yes"}, follow=True)

    assert response.status_code == 200
    shown = " ".join(str(message) for message in response.context["messages"])
    assert "kegiatan" in shown
    assert Partner.objects.filter(pk=partner.pk).exists()


def test_an_agreement_corrected_in_the_admin_is_saved_once_and_refreshes_its_province(
    client_for, consultant, village_library
):
    partner = factories.PartnerFactory(library=village_library)
    agreement = reporting_services.agreement_create(
        actor=consultant,
        library=village_library,
        partner=partner,
        title="Pelatihan UMKM",
        signed_on=datetime.date(2024, 2, 1),
    )
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(agreement)))
    before = data_version("64")

    response = client.post(_change_url(agreement), {**data, "number": "PKS/12/2024"})

    assert response.status_code == 302, response.context["adminform"].form.errors
    agreement.refresh_from_db()
    assert (agreement.number, agreement.history.count()) == ("PKS/12/2024", 2)
    assert data_version("64") != before


# The library's aid package and managers


def _library_with_inline_row(client, library, prefix, row) -> dict:
    data = _form_data(client.get(_change_url(library)))
    index = int(data[f"{prefix}-TOTAL_FORMS"])
    data[f"{prefix}-TOTAL_FORMS"] = str(index + 1)
    data.update({f"{prefix}-{index}-{name}": value for name, value in row.items()})
    return data


def test_a_books_only_library_is_given_no_computer_in_the_admin(
    client_for, consultant, village_library
):
    Library.objects.filter(pk=village_library.pk).update(support_tier=Library.SupportTier.BOOKS)
    client = client_for(consultant)
    data = _library_with_inline_row(
        client, village_library, "aid_items", {"kind": "computer", "quantity": "3"}
    )

    response = client.post(_change_url(village_library), data)

    assert "komputer" in _refusal(response).lower()
    village_library.refresh_from_db()
    assert (village_library.aid_items.count(), village_library.version) == (0, 1)


def test_an_aid_item_added_in_the_admin_is_saved_once_with_its_history(
    client_for, consultant, village_library
):
    client = client_for(consultant)
    data = _library_with_inline_row(
        client,
        village_library,
        "aid_items",
        {"kind": "books", "quantity": "700", "description": "350 judul"},
    )

    response = client.post(_change_url(village_library), data)

    assert response.status_code == 302, response.context["errors"]
    item = village_library.aid_items.get()
    assert (item.quantity, item.history.count()) == (700, 1)
    assert item.history.get().history_user == consultant


def test_an_aid_item_added_on_a_stale_library_page_is_refused(
    client_for, perpusnas, consultant, village_library
):
    first, second = client_for(perpusnas), client_for(consultant)
    first_data = _form_data(first.get(_change_url(village_library)))
    second_data = _library_with_inline_row(
        second, village_library, "aid_items", {"kind": "printer", "quantity": "1"}
    )
    assert (
        first.post(_change_url(village_library), {**first_data, "phone": "0541"}).status_code == 302
    )

    refused = second.post(_change_url(village_library), second_data)

    assert "Orang lain telah menyimpan" in refused.text
    village_library.refresh_from_db()
    assert (village_library.phone, village_library.aid_items.count()) == ("0541", 0)


def test_a_second_active_head_is_refused_in_the_admin(client_for, consultant, village_library):
    factories.LibraryManagerFactory(
        library=village_library, name="Rina Wati", position=LibraryManager.Position.HEAD
    )
    client = client_for(consultant)
    data = _library_with_inline_row(
        client,
        village_library,
        "managers",
        {"name": "Ahmad Yani", "position": "head", "active": "on"},
    )

    response = client.post(_change_url(village_library), data)

    assert "Rina Wati" in _refusal(response)
    assert list(village_library.managers.values_list("name", flat=True)) == ["Rina Wati"]
    village_library.refresh_from_db()
    assert village_library.version == 1


def test_a_manager_corrected_in_the_admin_is_saved_once_with_its_history(
    client_for, consultant, village_library
):
    manager = factories.LibraryManagerFactory(library=village_library, name="Rina Wati")
    client = client_for(consultant)
    data = _form_data(client.get(_change_url(village_library)))

    response = client.post(
        _change_url(village_library), {**data, "managers-0-decree_number": "SK/12/2024"}
    )

    assert response.status_code == 302, response.context["errors"]
    manager.refresh_from_db()
    assert (manager.decree_number, manager.history.count()) == ("SK/12/2024", 2)


# Awards


def test_an_award_corrected_in_the_admin_stays_with_its_plm(
    client_for, perpusnas, plm, kepri_bimtek, village_library
):
    award = award_add(
        actor=perpusnas, event=plm, category="most_active", rank=2, library=village_library
    )
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(award)))

    response = client.post(_change_url(award), {**data, "rank": "1", "event": kepri_bimtek.pk})

    assert response.status_code == 302, response.context["adminform"].form.errors
    award.refresh_from_db()
    assert (award.event, award.rank, award.history.count()) == (plm, 1, 2)


# Deletes that would take recorded attendance with them


def test_an_event_with_attendance_is_not_deleted_in_the_admin(
    client_for, perpusnas, consultant, plm, village_library
):
    person = factories.participant("Siti Aminah", village_library, event=plm)
    attendance_mark(
        actor=consultant, session=plm.sessions.first(), participant=person, client_id=uuid.uuid4()
    )
    url = reverse("admin:events_event_delete", args=[plm.pk])

    response = client_for(perpusnas).post(url, {"post": "yes"})

    # The marks are read-only in the admin, so the delete is refused before the service.
    assert response.status_code == 403
    assert Event.objects.filter(pk=plm.pk).exists()
    assert person.attendances.count() == 1


def test_the_delete_services_keep_people_and_events_with_attendance(
    consultant, plm, village_library
):
    person = factories.participant("Siti Aminah", village_library, event=plm)
    attendance_mark(
        actor=consultant, session=plm.sessions.first(), participant=person, client_id=uuid.uuid4()
    )

    with pytest.raises(ValidationError, match="Siti Aminah"):
        participant_delete(actor=consultant, participant=person)
    with pytest.raises(ValidationError, match=plm.title):
        event_delete(actor=consultant, event=plm)

    assert person.attendances.count() == 1


def test_a_participant_without_attendance_is_deleted_in_the_admin(
    client_for, consultant, village_library
):
    person = factories.participant("Budi Santoso", village_library)
    before = data_version("64")
    url = reverse("admin:events_participant_delete", args=[person.pk])

    response = client_for(consultant).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Participant.objects.filter(pk=person.pk).exists()
    assert data_version("64") != before


def test_a_facilitator_replaced_in_the_admin_puts_the_new_person_on_the_list(
    client_for, perpusnas, plm, village_library
):
    first = factories.participant("Budi Santoso", village_library)
    second = factories.participant("Rina Wati", village_library)
    facilitator = facilitator_add(
        actor=perpusnas, event=plm, role=Facilitator.Role.choices[0][0], participant=first
    )
    client = client_for(perpusnas)
    data = _form_data(client.get(_change_url(plm)))

    response = client.post(
        _change_url(plm),
        {**data, "facilitators-0-participant": second.pk, "facilitators-0-topic": "Literasi"},
    )

    assert response.status_code == 302, response.context["errors"]
    facilitator.refresh_from_db()
    assert (facilitator.participant, facilitator.topic) == (second, "Literasi")
    assert Registration.objects.filter(event=plm, participant=second).exists()


# Export jobs


def test_an_export_deleted_in_the_admin_takes_its_file_with_it(
    client_for, consultant, village_library, django_capture_on_commit_callbacks
):
    root = User.objects.create_superuser("root", "root@example.org", "rahasia-panjang-1")
    job = ExportJob.objects.create(
        owner=consultant, kind="libraries", format="csv", fingerprint="x"
    )
    export_job_produce(job_id=job.pk)
    job.refresh_from_db()
    storage, name = job.file.storage, job.file.name
    assert storage.exists(name)
    url = reverse("admin:exports_exportjob_delete", args=[job.pk])

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(root).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not ExportJob.objects.exists()
    assert not storage.exists(name)


# Deletes of a library and a PLM problem


def test_a_library_registered_by_mistake_is_deleted_with_its_aid_and_refreshes_its_province(
    client_for, perpusnas, regions
):
    library = factories.village_library("64.72.01.1002", name="Perpustakaan Keliru")
    factories.AidItemFactory(library=library)
    before = data_version("64")
    url = reverse("admin:libraries_library_delete", args=[library.pk])

    response = client_for(perpusnas).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not Library.objects.filter(pk=library.pk).exists()
    assert data_version("64") != before


def test_a_problem_deleted_in_the_admin_is_gone(client_for, consultant, plm):
    problem = problem_add(
        actor=consultant, event=plm, description="Internet desa putus", stakeholder="Diskominfo"
    )
    url = reverse("admin:events_problem_delete", args=[problem.pk])

    response = client_for(consultant).post(url, {"post": "yes"})

    assert response.status_code == 302
    assert not plm.problems.exists()
