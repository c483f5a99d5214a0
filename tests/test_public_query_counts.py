"""Public pages and dashboards answer with a fixed number of SQL queries, whatever the data."""

import pytest
from django.core.cache import cache
from django.urls import reverse

from libraries.models import District, Village
from tests import factories


def _add_village_libraries(count: int, *, start: int) -> None:
    """``count`` more village libraries in Kota Tanjung Pinang, each in a village of its own."""
    district = District.objects.get(code="21.72.01")
    for number in range(start, start + count):
        village = Village.objects.create(
            code=f"21.72.01.{1100 + number}",
            name=f"Kampung {number}",
            kind="kelurahan",
            district=district,
        )
        factories.village_library(village.code, cohort_year=2019 + number % 5)


@pytest.fixture
def kepri(regions):
    factories.provincial_library("21")
    factories.district_library("21.72")
    _add_village_libraries(3, start=0)


# Cold: the aggregates are computed; warm: anonymous visitors get the cached page.
PAGES = [
    # url, queries with an empty cache, queries with a warm cache
    # 12: the indicators on the map count publications too (one query).
    ("/provinsi/", 12, 0),
    # 18: the community products' figures are one query (their cards one more, when any),
    # the trend by year one, the publications of the indicators one more; 11 more for the
    # report card (its settings, the names of the kab/kota, the libraries' scores: 9); the
    # trend reads the province's libraries first (then their activities by id).
    ("/provinsi/21-kepulauan-riau/", 30, 0),
    ("/provinsi/21-kepulauan-riau/?q=kampung&cohort=2020", 30, 0),
    ("/provinsi/21-kepulauan-riau/produk/", 2, 0),
    ("/provinsi/21-kepulauan-riau/data.csv", 15, 1),
]


@pytest.mark.parametrize(("url", "cold", "warm"), PAGES)
def test_public_page_query_count_does_not_grow_with_data(
    client, kepri, django_assert_num_queries, url, cold, warm
):
    for more in [0, 30]:
        _add_village_libraries(more, start=100)
        cache.clear()
        with django_assert_num_queries(cold):
            response = client.get(url)
            if hasattr(response, "streaming_content"):
                b"".join(response.streaming_content)
        with django_assert_num_queries(warm):
            client.get(url)
        assert response.status_code == 200


def test_library_page_query_count(client, kepri, django_assert_num_queries):
    library = factories.village_library("21.72.01.1001")
    factories.AidItemFactory(library=library)
    url = (
        f"/provinsi/21-kepulauan-riau/perpustakaan/{library.pk}-"
        "perpustakaan-kelurahan-tanjung-pinang-barat/"
    )

    # One of them for the published testimonies, one for the indicators' publications, one
    # for the report card's settings (its figures are the indicators').
    with django_assert_num_queries(14):
        assert client.get(url).status_code == 200
    with django_assert_num_queries(0):
        assert client.get(url).status_code == 200


def test_signed_in_visitor_gets_the_province_page_rendered_for_them(
    client, client_for, perpusnas, kepri, django_assert_num_queries
):
    client.get("/provinsi/21-kepulauan-riau/")  # cached for anonymous visitors

    text = client_for(perpusnas).get("/provinsi/21-kepulauan-riau/").content.decode()

    assert "Dasbor nasional" in text


@pytest.mark.parametrize(
    ("url", "cold", "warm"),
    [
        # The community products' figures are one query of each (cached like the rest). The
        # report card adds its settings (and the names of the kab/kota of a province) and,
        # cold, the scores of the libraries (of the province, or of the kab/kota): 9 queries.
        # Below the nation the trend reads the area's libraries first: one query more.
        # Warm, the figures come rendered from the cache: the session, the user, their scope
        # and the area the address names.
        (reverse("dashboard:national"), 27, 4),
        (reverse("dashboard:province", args=["21"]), 30, 4),
        (reverse("dashboard:regency", args=["21", "21.72"]), 30, 4),
    ],
)
def test_dashboard_query_count_does_not_grow_with_data(
    client_for, outsider, kepri, django_assert_num_queries, url, cold, warm
):
    # The outsider fixture is the consultant of Kepulauan Riau.
    client = client_for(outsider)
    for more in [0, 30]:
        _add_village_libraries(more, start=200)
        cache.clear()
        with django_assert_num_queries(cold):
            assert client.get(url).status_code == 200
        with django_assert_num_queries(warm):
            client.get(url)
