"""Every list filters with django-filter: bad values give the list with a form error, never a
500, and the paging links keep the filters (Django's ``{% querystring %}``)."""

import pytest
from django.urls import reverse

from tests import factories

BAD_VALUES = [
    {"year": "dua ribu"},
    {"year": "99999999999999999999"},
    {"kind": "bukan-jenis"},
    {"status": "<script>"},
    {"q": "x" * 5000},
]


@pytest.mark.parametrize("params", BAD_VALUES)
def test_event_list_answers_bad_filters_with_a_form_error(client_for, consultant, plm, params):
    response = client_for(consultant).get(reverse("events:list"), params)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "is-invalid" in response.text


def test_event_list_filters_and_pages_keep_the_filters(client_for, perpusnas, consultant):
    for number in range(55):
        factories.event(actor=perpusnas, title=f"Bimtek {number:02d}")
    factories.event(actor=perpusnas, title="Rapat koordinasi")

    client = client_for(consultant)
    found = client.get(reverse("events:list"), {"q": "Rapat"})
    first = client.get(reverse("events:list"), {"q": "Bimtek", "status": ""})

    assert [event.title for event in found.context["page"].object_list] == ["Rapat koordinasi"]
    assert len(first.context["page"].object_list) == 25
    assert "?q=Bimtek&amp;status=&amp;page=2" in first.text
    third = client.get(reverse("events:list"), {"q": "Bimtek", "status": "", "page": "3"})
    assert len(third.context["page"].object_list) == 5
    assert not third.context["page"].has_next


@pytest.mark.parametrize(
    "params",
    [
        {"strategi": "lobi"},
        {"perpustakaan": "abc"},
        {"perpustakaan": "999999999"},
        {"tahun": "1900"},
        {"bulan": "13"},
    ],
)
def test_activity_list_answers_bad_filters_with_a_form_error(
    client_for, village_librarian, village_library, params
):
    factories.ActivityFactory(library=village_library, title="Kelas kue")

    response = client_for(village_librarian).get(reverse("reporting:activity-list"), params)

    assert response.status_code == 200
    assert response.context["form"].errors


def test_activity_list_filters_by_strategy_and_library_in_scope_only(
    client_for, district_librarian, village_library, samarinda_library, kepri_library
):
    factories.ActivityFactory(library=village_library, title="Kelas kue", strategy="engagement")
    factories.ActivityFactory(library=samarinda_library, title="Audiensi", strategy="advocacy")
    client = client_for(district_librarian)

    by_strategy = client.get(reverse("reporting:activity-list"), {"strategi": "advocacy"})
    by_library = client.get(
        reverse("reporting:activity-list"), {"perpustakaan": village_library.pk}
    )
    elsewhere = client.get(reverse("reporting:activity-list"), {"perpustakaan": kepri_library.pk})

    assert [a.title for a in by_strategy.context["page"].object_list] == ["Audiensi"]
    assert [a.title for a in by_library.context["page"].object_list] == ["Kelas kue"]
    # Another province's library is not a choice: a form error, not its activities.
    assert elsewhere.context["form"].errors


# Stories (the moderation queue)


@pytest.mark.parametrize(
    "params",
    [
        {"status": "terbit"},
        {"domain": "<script>"},
        {"province": "abc"},
        {"province": "21"},  # another province than the consultant's: not a choice
        {"cohort": "dua ribu"},
        {"cohort": "99999999999999999999"},
        {"cohort": "2017"},
    ],
)
def test_story_list_answers_bad_filters_with_a_form_error(
    client_for, consultant, village_library, params
):
    factories.StoryFactory(library=village_library, status="submitted")

    response = client_for(consultant).get(reverse("impact:list"), params)

    assert response.status_code == 200
    assert response.context["form"].errors
    assert "is-invalid" in response.text
    # Never every story as if no filter had been asked.
    assert not response.context["page"].object_list


def test_story_list_filters_and_pages_keep_the_filters(client_for, consultant, village_library):
    for number in range(30):
        factories.StoryFactory(
            library=village_library, status="submitted", title=f"Cerita {number:02d}"
        )
    factories.StoryFactory(library=village_library, status="draft", title="Masih draf")
    client = client_for(consultant)

    first = client.get(reverse("impact:list"), {"status": "submitted", "domain": ""})
    second = client.get(reverse("impact:list"), {"status": "submitted", "domain": "", "page": "2"})
    drafts = client.get(reverse("impact:list"), {"status": "draft"})

    assert len(first.context["page"].object_list) == 25
    assert "?status=submitted&amp;domain=&amp;page=2" in first.text
    assert len(second.context["page"].object_list) == 5
    assert "Masih draf" not in first.text + second.text
    assert [story.title for story in drafts.context["page"].object_list] == ["Masih draf"]


# Community products and offers


@pytest.mark.parametrize(
    "params",
    [
        {"kind": "senjata"},
        {"offers": "mungkin"},
        {"province": "6\x004"},
        {"regency": "99.99"},
        {"q": "x" * 5000},
    ],
)
def test_product_list_answers_bad_filters_with_a_form_error(
    client_for, consultant, village_library, params
):
    factories.product(village_library)

    response = client_for(consultant).get(reverse("products:list"), params)

    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert not response.context["page"].object_list


def test_product_list_filters_and_pages_keep_the_filters(client_for, consultant, village_library):
    for number in range(26):
        factories.product(village_library, name=f"Keripik {number:02d}")
    factories.product(village_library, name="Tas anyaman", kind="craft")
    client = client_for(consultant)

    crafts = client.get(reverse("products:list"), {"kind": "craft"})
    first = client.get(reverse("products:list"), {"kind": "food"})
    second = client.get(reverse("products:list"), {"kind": "food", "page": "2"})

    assert [product.name for product in crafts.context["page"].object_list] == ["Tas anyaman"]
    assert len(first.context["page"].object_list) == 25
    assert "?kind=food&amp;page=2" in first.text
    assert [product.name for product in second.context["page"].object_list] == ["Keripik 25"]
    # The export links keep the filters, not the page.
    assert reverse("products:export", args=["csv"]) + "?kind=food" + '"' in second.text


@pytest.mark.parametrize("params", [{"status": "selesai?"}, {"kind": "<b>"}, {"province": "abc"}])
def test_offer_list_answers_bad_filters_with_a_form_error(client_for, consultant, params):
    response = client_for(consultant).get(reverse("products:offers"), params)

    assert response.status_code == 200
    assert response.context["filter"].form.errors


# The registry of libraries


@pytest.mark.parametrize(
    "params",
    [
        {"level": "istana"},
        {"cohort_year": "99999999999999999999"},
        {"cohort_year": "dua ribu"},
        {"province": "abc"},
        {"status": "<script>"},
        {"q": "x" * 5000},
    ],
)
def test_library_list_answers_bad_filters_with_a_form_error(
    client_for, consultant, village_library, params
):
    response = client_for(consultant).get(reverse("libraries:list"), params)

    assert response.status_code == 200
    assert response.context["filter"].form.errors
    assert "is-invalid" in response.text
    assert not response.context["page"].object_list


def test_library_list_filters_and_its_exports_keep_the_filters(
    client_for, consultant, village_library, samarinda_library
):
    response = client_for(consultant).get(reverse("libraries:list"), {"level": "village"})

    assert [library.name for library in response.context["page"].object_list] == [
        village_library.name
    ]
    assert reverse("libraries:export", args=["csv"]) + "?level=village" + '"' in response.text


# A session's participant list (attendance page and sign sheet)


@pytest.fixture
def roster_people(plm, village_library, berau_village_library, perpusnas):
    import uuid

    from events.services import attendance_mark

    siti = factories.participant("Siti Aminah", village_library, event=plm)
    factories.participant("Budi Santoso", berau_village_library, gender="M", event=plm)
    session = plm.sessions.order_by("date").first()
    attendance_mark(actor=perpusnas, session=session, participant=siti, client_id=uuid.uuid4())
    return session


def test_attendance_search_finds_by_name_or_library(client_for, consultant, roster_people):
    client = client_for(consultant)
    url = reverse("events:attendance", args=[roster_people.pk])

    by_name = client.get(url, {"q": "siti"})
    by_library = client.get(url, {"q": "Rawa Makmur"})
    everyone = client.get(url, {"q": "s"})  # one letter does not search

    assert [row.participant.name for row in by_name.context["rows"]] == ["Siti Aminah"]
    assert [row.participant.name for row in by_library.context["rows"]] == ["Siti Aminah"]
    assert len(everyone.context["rows"]) == 2
    assert by_name.context["roster_size"] == 2


def test_attendance_search_too_long_is_a_form_error(client_for, consultant, roster_people):
    url = reverse("events:attendance", args=[roster_people.pk])

    response = client_for(consultant).get(url, {"q": "x" * 5000})

    assert response.status_code == 200
    assert response.context["roster_form"].errors
    assert "is-invalid" in response.text
    assert response.context["rows"] == []


def test_sign_sheet_lists_only_people_present_when_asked(client_for, consultant, roster_people):
    client = client_for(consultant)
    url = reverse("events:sign-sheet", args=[roster_people.pk])

    present = client.get(url, {"hadir": "1"})
    bad = client.get(url, {"hadir": "semua"})

    assert "Siti Aminah" in present.text and "Budi Santoso" not in present.text
    assert bad.status_code == 200
    assert bad.context["form"].errors
    assert "Siti Aminah" not in bad.text and "Budi Santoso" not in bad.text
