"""Lists that page before they count: one page and whether another follows, never a COUNT."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from libraries.models import Activity
from libraries.paging import MAX_PAGE, CappedCountPaginator, forward_page
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def activities(village_library):
    return [factories.ActivityFactory(library=village_library) for _ in range(5)]


def test_a_page_knows_whether_another_follows(activities):
    queryset = Activity.objects.order_by("pk")
    first = forward_page(queryset, "1", 2)
    last = forward_page(queryset, "3", 2)
    assert [a.pk for a in first] == [a.pk for a in activities[:2]]
    assert first.has_next and not first.has_previous
    assert (first.start_index(), first.end_index()) == (1, 2)
    assert [a.pk for a in last] == [activities[4].pk]
    assert not last.has_next and last.previous_page_number() == 2


@pytest.mark.parametrize("typed", ["abc", "", None, "-4", "0", "99999999999999999999"])
def test_any_page_number_in_the_address_gives_a_page_not_an_error(activities, typed):
    page = forward_page(Activity.objects.order_by("pk"), typed, 2)
    assert 1 <= page.number <= MAX_PAGE


@pytest.mark.parametrize(
    "url", [reverse("reporting:activity-list"), reverse("events:list"), reverse("impact:list")]
)
def test_staff_lists_never_count_the_whole_list(client_for, perpusnas, activities, url):
    client = client_for(perpusnas)
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url + "?page=2")
    assert response.status_code == 200
    assert not [q["sql"] for q in queries.captured_queries if "COUNT(*)" in q["sql"].upper()]


def test_the_activity_list_says_which_rows_it_shows(client_for, perpusnas, activities):
    client = client_for(perpusnas)
    page = client.get(reverse("reporting:activity-list")).content.decode()
    assert "Menampilkan 1–5" in page  # "Showing 1-5"


def test_admin_changelists_count_at_most_a_cap(activities):
    model_admin = admin.site._registry[Activity]
    assert model_admin.show_full_result_count is False
    assert model_admin.paginator is CappedCountPaginator
    paginator = CappedCountPaginator(Activity.objects.order_by("pk"), 2)
    paginator.cap = 3
    assert paginator.count == 3
