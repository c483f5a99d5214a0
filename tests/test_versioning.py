"""The one stale-edit check (libraries.versioning), generically and through each user: the
services that edit, and the admin with two people editing the same row at once."""

import pytest
from django.db import transaction
from django.forms import MultiWidget
from django.urls import reverse

from events.models import Event, Problem
from events.services import problem_add, problem_update
from libraries.models import Activity, Library
from libraries.versioning import EditConflict, edit_versioned
from tests import factories

# The mechanism


@pytest.mark.django_db(transaction=True)
def test_an_edit_at_an_old_version_is_refused_and_changes_nothing(village_library):
    with transaction.atomic():
        edited = edit_versioned(
            Library.objects.all(), pk=village_library.pk, version=1, changes={"phone": "1"}
        )
    assert edited.version == 2

    with pytest.raises(EditConflict), transaction.atomic():
        edit_versioned(
            Library.objects.all(), pk=village_library.pk, version=1, changes={"phone": "2"}
        )

    village_library.refresh_from_db()
    assert (village_library.phone, village_library.version) == ("1", 2)


# Through a service


def test_problem_follow_up_at_an_old_version_is_refused(consultant, plm):
    problem = problem_add(
        actor=consultant, event=plm, description="Internet desa putus", stakeholder="Diskominfo"
    )
    problem_update(actor=consultant, problem=problem, version=1, follow_up="Dihubungi")

    with pytest.raises(EditConflict):
        problem_update(actor=consultant, problem=problem, version=1, follow_up="Ditimpa")

    problem.refresh_from_db()
    assert (problem.follow_up, problem.version) == ("Dihubungi", 2)


# Through the admin: two people open the same row, both save


def _form_data(response) -> dict:
    """What the admin's change page would post back unchanged, inlines included."""
    data: dict = {}

    def put(form, name):
        bound = form[name]
        value = bound.value()
        if value is None:
            return
        widget = bound.field.widget
        if isinstance(widget, MultiWidget):
            for index, part in enumerate(widget.decompress(value)):
                data[f"{bound.html_name}_{index}"] = "" if part is None else part
        elif isinstance(value, (list, tuple)):
            data[bound.html_name] = [str(item) for item in value]
        elif value is True or value is False:
            if value:
                data[bound.html_name] = "on"
        else:
            data[bound.html_name] = value

    form = response.context["adminform"].form
    for name in form.fields:
        put(form, name)
    for inline in response.context["inline_admin_formsets"]:
        formset = inline.formset
        for name in formset.management_form.fields:
            data[f"{formset.prefix}-{name}"] = formset.management_form[name].value()
        for each in formset.forms:
            for name in each.fields:
                put(each, name)
    return data


def _concurrent_admin_saves(client_for, first_user, second_user, url, field, values):
    first, second = client_for(first_user), client_for(second_user)
    first_data, second_data = _form_data(first.get(url)), _form_data(second.get(url))

    saved = first.post(url, {**first_data, field: values[0]})
    refused = second.post(url, {**second_data, field: values[1]})

    assert saved.status_code == 302, saved.context["adminform"].form.errors
    assert refused.status_code == 200
    return refused


@pytest.mark.parametrize(
    ("build", "model", "field", "noun"),
    [
        (lambda world: world["library"], Library, "phone", "perpustakaan"),
        (
            lambda world: factories.ActivityFactory(library=world["library"]),
            Activity,
            "title",
            "kegiatan",
        ),
        (lambda world: world["event"], Event, "venue", "acara"),
        (
            lambda world: problem_add(
                actor=world["perpusnas"],
                event=world["event"],
                description="Internet desa putus",
                stakeholder="Diskominfo",
            ),
            Problem,
            "stakeholder",
            "masalah PLM",
        ),
    ],
    ids=["library", "activity", "event", "problem"],
)
def test_the_second_of_two_concurrent_admin_edits_is_told_and_overwrites_nothing(
    client_for, perpusnas, consultant, village_library, plm, build, model, field, noun
):
    obj = build({"library": village_library, "event": plm, "perpusnas": perpusnas})
    url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_change", args=[obj.pk])

    refused = _concurrent_admin_saves(
        client_for, perpusnas, consultant, url, field, ["Yang pertama", "Yang kedua"]
    )

    assert f"Orang lain telah menyimpan {noun} ini" in refused.text
    obj.refresh_from_db()
    assert getattr(obj, field) == "Yang pertama"
    assert obj.version == 2


def test_a_portal_edit_meanwhile_makes_the_admin_save_stale(
    client_for, consultant, village_librarian, village_library
):
    activity = factories.ActivityFactory(library=village_library, title="Kelas kue")
    url = reverse("admin:libraries_activity_change", args=[activity.pk])
    admin = client_for(consultant)
    data = _form_data(admin.get(url))
    from libraries.reporting.services import activity_update

    activity_update(actor=village_librarian, activity=activity, version=1, title="Kelas roti")
    response = admin.post(url, {**data, "title": "Kelas admin"})

    assert "Orang lain telah menyimpan kegiatan ini" in response.text
    activity.refresh_from_db()
    assert activity.title == "Kelas roti"


# Admin writes through the services


def test_a_library_added_in_the_admin_is_registered_by_library_create(
    client_for, consultant, regions, monkeypatch
):
    from libraries import admin as library_admin
    from libraries.models import Village

    calls = []
    service = library_admin.library_create

    def spy(**kwargs):
        calls.append(kwargs["actor"])
        return service(**kwargs)

    monkeypatch.setattr(library_admin, "library_create", spy)
    village = Village.objects.get(code="64.72.01.1001")
    response = client_for(consultant).post(
        reverse("admin:libraries_library_add"),
        {
            "name": "Perpustakaan Desa Baru",
            "level": "village",
            "status": "active",
            "province": "64",
            "regency": "64.72",
            "village": village.pk,
            "cohort_year": 2024,
            "support_tier": "full",
            "aid_items-TOTAL_FORMS": 0,
            "aid_items-INITIAL_FORMS": 0,
            "managers-TOTAL_FORMS": 0,
            "managers-INITIAL_FORMS": 0,
        },
    )

    assert response.status_code == 302, response.context["adminform"].form.errors
    library = Library.objects.get(name="Perpustakaan Desa Baru")
    assert calls == [consultant]
    assert (library.province_id, library.regency_id, library.version) == ("64", "64.72", 1)
    # The admin goes on to its change page for the row the service saved.
    assert response["Location"].startswith(reverse("admin:libraries_library_changelist"))
