"""The catalogue of skills taught, activities that choose from it, and counts by skill."""

import datetime
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from libraries.models import Activity, Skill
from libraries.reporting.indicators import Area, Period
from libraries.reporting.services import activity_record, activity_update
from libraries.reporting.skills import skill_counts
from tests import factories

YEAR_2024 = Period.for_year(2024)


@pytest.fixture
def catalogue(db):
    return {
        "food": Skill.objects.create(name="Pengolahan pangan"),
        "online": Skill.objects.create(name="Pemasaran daring"),
        "retired": Skill.objects.create(name="Mengetik", active=False),
    }


def _activity(library, skills=(), text="", male=2, female=3, day=1, month=3):
    activity = factories.ActivityFactory(
        library=library,
        date=datetime.date(2024, month, day),
        skills=text,
        participants_male=male,
        participants_female=female,
    )
    activity.catalogue_skills.set(skills)
    return activity


def test_catalogue_names_are_unique_whatever_the_case(catalogue):
    with pytest.raises(ValidationError, match="sudah memiliki keterampilan"):
        Skill(name="pengolahan PANGAN").full_clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        Skill.objects.create(name="PEMASARAN DARING")


def test_counts_activities_and_participants_by_skill(
    catalogue, village_library, berau_village_library, kepri_library
):
    food, online = catalogue["food"], catalogue["online"]
    _activity(village_library, [food], male=4, female=6)  # 10 people
    _activity(village_library, [food, online], male=1, female=4)  # 5 people, two skills
    _activity(berau_village_library, [online], text="Merajut", male=0, female=7)
    _activity(berau_village_library, text="Membuat sabun", male=2, female=0)
    _activity(berau_village_library, male=3, female=3)  # no skill named
    _activity(village_library, [food], day=1, month=1, male=9, female=9)  # January
    _activity(kepri_library, [food], male=50, female=50)  # another province
    factories.ActivityFactory(
        library=village_library, date=datetime.date(2023, 12, 31), participants_male=99
    ).catalogue_skills.set([food])  # another year

    counts = skill_counts(Area("province", "64", "Kalimantan Timur"), YEAR_2024)

    assert [(row.name, row.activities, row.participants) for row in counts.skills] == [
        ("Pengolahan pangan", 3, 10 + 5 + 18),
        ("Pemasaran daring", 2, 5 + 7),
    ]
    assert (counts.other.activities, counts.other.participants) == (2, 7 + 2)
    assert (counts.unrecorded.activities, counts.unrecorded.participants) == (1, 6)
    assert (counts.total.activities, counts.total.participants) == (6, 10 + 5 + 7 + 2 + 6 + 18)


def test_counts_follow_the_area_down_to_one_library(catalogue, village_library, tbm):
    _activity(village_library, [catalogue["food"]])
    _activity(tbm, [catalogue["online"]], male=0, female=12)

    counts = skill_counts(Area.for_library(tbm), YEAR_2024)

    assert [(row.name, row.participants) for row in counts.skills] == [("Pemasaran daring", 12)]


def test_indicator_page_shows_the_skills_of_the_users_scope_only(
    client_for, village_librarian, village_library, berau_village_library, catalogue
):
    _activity(village_library, [catalogue["food"]], male=4, female=6)
    _activity(berau_village_library, [catalogue["online"]])
    client = client_for(village_librarian)

    own = client.get(
        reverse("reporting:indicators-library", args=[village_library.pk]), {"tahun": 2024}
    )
    other = client.get(
        reverse("reporting:indicators-library", args=[berau_village_library.pk]), {"tahun": 2024}
    )

    assert [row.name for row in own.context["skills"].skills] == ["Pengolahan pangan"]
    assert "Pengolahan pangan" in own.text
    assert "Pemasaran daring" not in own.text
    assert other.status_code == 404


def test_indicator_page_with_a_bad_period_explains_it(client_for, consultant, catalogue):
    response = client_for(consultant).get(
        reverse("reporting:indicators-province", args=["64"]), {"tahun": "dua ribu"}
    )

    assert response.status_code == 400
    assert "skills" not in response.context


def test_skills_table_keeps_its_queries_as_skills_and_activities_grow(
    client_for, consultant, village_library, catalogue, django_assert_max_num_queries
):
    url = reverse("reporting:indicators-province", args=["64"])
    client = client_for(consultant)
    _activity(village_library, [catalogue["food"]])
    client.get(url, {"tahun": 2024})
    with django_assert_max_num_queries(16):
        client.get(url, {"tahun": 2024})
    for number in range(8):
        skill = Skill.objects.create(name=f"Keterampilan {number}")
        _activity(village_library, [skill, catalogue["online"]], day=number + 2)
    with django_assert_max_num_queries(16):
        response = client.get(url, {"tahun": 2024})
    assert len(response.context["skills"].skills) == 10


def test_librarian_records_an_activity_with_catalogue_skills_and_other_text(
    client_for, village_librarian, village_library, catalogue
):
    client = client_for(village_librarian)
    form = client.get(reverse("reporting:activity-create"))
    data = {
        "library": village_library.pk,
        "idempotency_key": str(uuid.uuid4()),
        "strategy": "engagement",
        "kind": "training",
        "title": "Pelatihan keripik pisang",
        "date": "2024-03-05",
        "catalogue_skills": [catalogue["food"].pk, catalogue["online"].pk],
        "skills": "Mengemas dengan vakum",
        "participants_male": 4,
        "participants_female": 11,
    }

    response = client.post(reverse("reporting:activity-create"), data, follow=True)

    offered = list(form.context["form"].fields["catalogue_skills"].queryset)
    assert offered == [catalogue["online"], catalogue["food"]]  # retired ones are not offered
    activity = Activity.objects.get()
    assert set(activity.catalogue_skills.all()) == {catalogue["food"], catalogue["online"]}
    assert activity.skills == "Mengemas dengan vakum"
    assert "Pemasaran daring, Pengolahan pangan" in response.text
    assert "Mengemas dengan vakum" in response.text


def test_a_retired_skill_is_refused_and_nothing_is_saved(
    client_for, village_librarian, village_library, catalogue
):
    data = {
        "library": village_library.pk,
        "idempotency_key": str(uuid.uuid4()),
        "strategy": "engagement",
        "kind": "training",
        "title": "Kursus mengetik",
        "date": "2024-03-05",
        "catalogue_skills": [catalogue["retired"].pk],
        "participants_male": 1,
        "participants_female": 1,
    }

    response = client_for(village_librarian).post(reverse("reporting:activity-create"), data)

    assert response.status_code == 200
    assert response.context["form"].errors["catalogue_skills"]
    assert not Activity.objects.exists()


def test_an_activity_keeps_a_skill_retired_after_it_was_chosen(
    village_librarian, village_library, catalogue
):
    activity, _created = activity_record(
        actor=village_librarian,
        library=village_library,
        idempotency_key=uuid.uuid4(),
        catalogue_skills=[catalogue["food"]],
        title="Pelatihan",
        date=datetime.date(2024, 3, 1),
    )
    Skill.objects.filter(pk=catalogue["food"].pk).update(active=False)
    catalogue["food"].refresh_from_db()

    updated = activity_update(
        actor=village_librarian,
        activity=activity,
        version=activity.version,
        catalogue_skills=[catalogue["food"], catalogue["online"]],
        title="Pelatihan keripik",
    )

    assert set(updated.catalogue_skills.all()) == {catalogue["food"], catalogue["online"]}
    with pytest.raises(ValidationError):
        activity_update(
            actor=village_librarian,
            activity=updated,
            version=updated.version,
            catalogue_skills=[catalogue["retired"]],
        )


def test_perpusnas_keeps_the_catalogue_in_the_admin_and_consultants_only_read_it(
    client_for, perpusnas, consultant, catalogue, village_library
):
    add = reverse("admin:libraries_skill_add")
    staff = client_for(perpusnas)

    created = staff.post(add, {"name": "Budidaya ikan", "description": "", "active": "on"})
    duplicate = staff.post(add, {"name": "budidaya IKAN", "active": "on"})
    _activity(village_library, [catalogue["food"]])
    used_delete = staff.get(reverse("admin:libraries_skill_delete", args=[catalogue["food"].pk]))

    assert created.status_code == 302
    assert duplicate.status_code == 200
    assert Skill.objects.filter(name__iexact="budidaya ikan").count() == 1
    assert used_delete.status_code == 403
    reader = client_for(consultant)
    assert reader.get(reverse("admin:libraries_skill_changelist")).status_code == 200
    assert reader.post(add, {"name": "Menjahit", "active": "on"}).status_code == 403
    assert not Skill.objects.filter(name="Menjahit").exists()


def test_imported_skills_named_as_in_the_catalogue_are_chosen_from_it(
    client_for, village_librarian, village_library, catalogue
):
    import io

    from django.core.files.uploadedfile import SimpleUploadedFile
    from openpyxl import Workbook

    workbook = Workbook()
    sheet = workbook.active
    sheet.append(
        [
            "Tanggal",
            "Strategi",
            "Jenis kegiatan",
            "Judul",
            "Keterampilan yang diajarkan",
            "Peserta laki-laki",
            "Peserta perempuan",
        ]
    )
    sheet.append(
        [
            "02-03-2024",
            "Pelibatan masyarakat",
            "Pelatihan keterampilan",
            "Kelas kue",
            "pengolahan pangan; Menghias kue; mengetik",
            3,
            4,
        ]
    )
    buffer = io.BytesIO()
    workbook.save(buffer)
    client = client_for(village_librarian)

    preview = client.post(
        reverse("reporting:activity-import"),
        {
            "library": village_library.pk,
            "month": "2024-03",
            "file": SimpleUploadedFile("maret.xlsx", buffer.getvalue()),
        },
    )
    client.post(reverse("reporting:activity-import-confirm"), {"token": preview.context["token"]})

    activity = Activity.objects.get()
    assert list(activity.catalogue_skills.all()) == [catalogue["food"]]
    # A retired skill is no longer in the catalogue librarians choose from: kept as text.
    assert activity.skills == "Menghias kue; mengetik"
