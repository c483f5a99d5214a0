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
