"""Taman Bacaan Masyarakat (TBM): a participating library of its own kind, run by its
Pengelola TBM, who sees and reports for that TBM only."""

import csv
import io
import uuid

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from impact.models import Story
from libraries.models import Activity, Library, User
from libraries.scope import Scope
from tests import factories


def test_a_village_has_its_library_and_several_tbm_side_by_side(village_library, tbm):
    second = factories.tbm_library("64.72.01.1001", name="TBM Pelangi")

    assert set(Library.objects.filter(village="64.72.01.1001")) == {village_library, tbm, second}
    assert tbm.region.code == "64.72.01.1001"
    assert tbm.get_level_display() == "Taman Bacaan Masyarakat (TBM)"


def test_database_refuses_a_tbm_without_its_village(samarinda_library):
    with pytest.raises(IntegrityError), transaction.atomic():
        Library.objects.create(
            name="TBM tanpa desa",
            level=Library.Level.TBM,
            province_id="64",
            regency_id="64.72",
            cohort_year=2023,
            support_tier=Library.SupportTier.BOOKS,
        )


def test_clean_asks_for_the_village_of_a_tbm(samarinda_library):
    library = Library(
        name="TBM tanpa desa",
        level=Library.Level.TBM,
        province_id="64",
        regency_id="64.72",
        cohort_year=2023,
        support_tier=Library.SupportTier.BOOKS,
    )

    with pytest.raises(ValidationError) as error:
        library.full_clean()

    assert "village" in error.value.message_dict


def test_a_pengelola_tbm_works_at_a_tbm_and_nowhere_else(village_library, tbm):
    misplaced = User(username="salah", role=User.Role.TBM_MANAGER, library=village_library)
    village_librarian_at_tbm = User(
        username="salah2", role=User.Role.VILLAGE_LIBRARIAN, library=tbm
    )

    with pytest.raises(ValidationError, match="Pengelola TBM"):
        misplaced.clean()
    with pytest.raises(ValidationError):
        village_librarian_at_tbm.clean()
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="tanpa", role=User.Role.TBM_MANAGER)


def test_pengelola_tbm_scope_is_their_tbm_only(tbm_manager, tbm):
    scope = Scope.for_user(tbm_manager)

    assert scope.library_ids == {tbm.pk}
    assert scope.can_report and not scope.can_manage
    assert tbm_manager.is_librarian


@pytest.fixture
def neighbours(tbm, village_library, berau_village_library, kepri_library):
    """The TBM's village library (same village), another TBM of Samarinda, libraries of
    Berau and Kepulauan Riau."""
    other_tbm = factories.tbm_library("64.72.01.1002", name="TBM Handil")
    return [village_library, other_tbm, berau_village_library, kepri_library]


def test_pengelola_tbm_sees_only_their_tbm_in_the_registry(
    client_for, tbm_manager, tbm, neighbours
):
    client = client_for(tbm_manager)

    listed = client.get(reverse("libraries:list"))

    assert [library.name for library in listed.context["page"].object_list] == [tbm.name]
    assert client.get(reverse("libraries:detail", args=[tbm.pk])).status_code == 200
    for library in neighbours:
        assert client.get(reverse("libraries:detail", args=[library.pk])).status_code == 404


def test_pengelola_tbm_records_activities_for_their_tbm_only(
    client_for, tbm_manager, tbm, neighbours
):
    client = client_for(tbm_manager)
    data = {
        "idempotency_key": str(uuid.uuid4()),
        "strategy": "engagement",
        "kind": "reading",
        "title": "Mendongeng untuk anak",
        "date": "2024-03-05",
        "participants_male": 6,
        "participants_female": 9,
    }

    recorded = client.post(reverse("reporting:activity-create"), {**data, "library": tbm.pk})
    elsewhere = client.post(
        reverse("reporting:activity-create"),
        {**data, "library": neighbours[0].pk, "idempotency_key": str(uuid.uuid4())},
    )

    assert recorded.status_code == 302
    assert elsewhere.status_code == 200  # the form refuses a library outside the scope
    assert list(Activity.objects.values_list("library", flat=True)) == [tbm.pk]
    village_activity = factories.ActivityFactory(library=neighbours[0])
    detail = reverse("reporting:activity-detail", args=[village_activity.pk])
    assert client.get(detail).status_code == 404
    assert (
        client.post(reverse("reporting:activity-delete", args=[village_activity.pk])).status_code
        == 404
    )


def test_pengelola_tbm_reads_the_indicators_of_their_tbm_only(
    client_for, tbm_manager, tbm, neighbours
):
    client = client_for(tbm_manager)

    home = client.get(reverse("reporting:indicators"))

    assert home["Location"] == reverse("reporting:indicators-library", args=[tbm.pk])
    assert client.get(home["Location"]).status_code == 200
    for library in neighbours:
        url = reverse("reporting:indicators-library", args=[library.pk])
        assert client.get(url).status_code == 404
    assert client.get(reverse("reporting:indicators-regency", args=["64.72"])).status_code == 404
    assert client.get(reverse("reporting:indicators-province", args=["64"])).status_code == 404


def test_pengelola_tbm_writes_stories_for_their_tbm(client_for, tbm_manager, tbm, neighbours):
    client = client_for(tbm_manager)

    response = client.get(reverse("impact:create"))

    assert list(response.context["form"].fields["library"].queryset) == [tbm]
    other = factories.StoryFactory(library=neighbours[0])
    assert client.get(reverse("impact:detail", args=[other.pk])).status_code == 404
    own = factories.StoryFactory(library=tbm, author=tbm_manager)
    assert client.get(reverse("impact:detail", args=[own.pk])).status_code == 200
    assert Story.objects.visible_to(tbm_manager).count() == 1


def test_kab_kota_librarian_and_consultant_see_the_tbm_of_their_area(
    client_for, district_librarian, consultant, tbm
):
    for user in (district_librarian, consultant):
        response = client_for(user).get(reverse("libraries:list"), {"level": "tbm"})
        assert [library.name for library in response.context["page"].object_list] == [tbm.name]


def test_a_tbm_is_invited_to_an_event_and_its_manager_sees_it(
    client_for, consultant, tbm_manager, tbm, plm
):
    response = client_for(consultant).post(
        reverse("events:invitations", args=[plm.pk]), {"libraries": [tbm.pk]}
    )

    assert response.status_code == 302
    listed = client_for(tbm_manager).get(reverse("events:list"))
    assert plm.title in listed.text


def test_public_pages_and_open_data_count_tbm_apart_from_village_libraries(client, tbm):
    province = client.get(reverse("public:province", kwargs={"code": "64"}), follow=True)
    library_page = client.get(
        reverse("public:library", kwargs={"code": "64", "pk": tbm.pk}), follow=True
    )
    data = client.get(reverse("public:province-csv", kwargs={"code": "64"}))
    text = b"".join(data.streaming_content).decode("utf-8-sig")
    total = next(csv.DictReader(io.StringIO(text)))

    assert tbm.name in province.text
    assert "Taman Bacaan Masyarakat (TBM)" in library_page.text
    assert total["Taman Bacaan Masyarakat (TBM)"] == "1"
    assert total["Perpustakaan desa/kelurahan"] == "0"


def test_tbm_manager_hears_when_a_panel_selects_their_story(tbm_manager, tbm):
    from impact.notifications import story_librarians

    story = factories.StoryFactory(library=tbm, author=factories.librarian("penulis", tbm))

    assert tbm_manager in story_librarians(story)
