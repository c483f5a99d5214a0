"""The national dashboard: nation -> province -> kab/kota -> library, within the scope rule."""

import pytest
from django.urls import reverse

from libraries.data_version import province_data_changed
from tests import factories

NATIONAL = reverse("dashboard:national")
KALTIM = reverse("dashboard:province", args=["64"])
SAMARINDA = reverse("dashboard:regency", args=["64", "64.72"])
KEPRI = reverse("dashboard:province", args=["21"])
TANJUNG_PINANG = reverse("dashboard:regency", args=["21", "21.72"])


@pytest.fixture
def registry(village_library, berau_village_library, kepri_library):
    factories.provincial_library("64")
    factories.district_library("21.72")


def _rows(response):
    section = next(s for s in response.context["sections"] if s.slug == "wilayah")
    return {row.name: row for row in section.context["rows"]}


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client):
    for url in [NATIONAL, KALTIM, SAMARINDA]:
        response = client.get(url)
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("login"))


def test_perpusnas_sees_every_province_with_its_counts(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(NATIONAL)

    assert response.status_code == 200
    rows = _rows(response)
    assert set(rows) == {"Kalimantan Timur", "Kepulauan Riau", "Papua"}
    kaltim = rows["Kalimantan Timur"]
    assert (kaltim.provincial, kaltim.regency, kaltim.village) == (1, 2, 2)
    assert kaltim.regencies_reached == 2
    assert response.context["counts"].total == 7
    text = response.content.decode()
    assert f'href="{KALTIM}"' in text
    assert "Perpustakaan peserta menurut tahun angkatan" in text


def test_consultant_sees_only_their_province(client_for, consultant, registry):
    client = client_for(consultant)

    national = client.get(NATIONAL)

    assert set(_rows(national)) == {"Kalimantan Timur"}
    assert national.context["counts"].total == 5
    assert client.get(KEPRI).status_code == 404
    assert client.get(TANJUNG_PINANG).status_code == 404


def test_drill_down_from_province_to_kab_kota_to_library(client_for, consultant, registry):
    client = client_for(consultant)

    province = client.get(KALTIM)
    regency = client.get(SAMARINDA)

    assert set(_rows(province)) == {"Kota Samarinda", "Kabupaten Berau"}
    assert f'href="{SAMARINDA}"' in province.content.decode()
    section = next(s for s in regency.context["sections"] if s.slug == "perpustakaan")
    names = {library.name for library in section.context["page"].object_list}
    assert names == {"Dinas Perpustakaan Kota Samarinda", "Perpustakaan Kelurahan Rawa Makmur"}
    library = next(lib for lib in section.context["page"].object_list if lib.village_id)
    library_url = reverse("dashboard:library", args=["64", library.pk])
    assert f'href="{library_url}"' in regency.content.decode()
    assert " WITA</time>" in regency.content.decode()
    library_page = client.get(library_url)
    assert library_page.status_code == 200
    assert (
        '<li class="breadcrumb-item active" aria-current="page">Perpustakaan Kelurahan Rawa Makmur'
        in library_page.content.decode()
    )


def test_kab_kota_under_the_wrong_province_is_not_found(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(reverse("dashboard:regency", args=["21", "64.72"]))

    assert response.status_code == 404


def test_librarians_are_refused_the_national_dashboard(
    client_for, district_librarian, village_librarian, registry
):
    for user in [district_librarian, village_librarian]:
        client = client_for(user)
        for url in [NATIONAL, KALTIM, SAMARINDA]:
            assert client.get(url).status_code == 403


def test_national_dashboard_refuses_post(client_for, perpusnas, registry):
    client = client_for(perpusnas)

    for url in [NATIONAL, KALTIM, SAMARINDA]:
        assert client.post(url).status_code == 405


def test_navigation_offers_the_dashboard_to_staff_and_consultants_only(
    client_for, perpusnas, consultant, district_librarian
):
    link = f'href="{NATIONAL}"'

    assert link in client_for(perpusnas).get(reverse("dashboard")).content.decode()
    assert link in client_for(consultant).get(reverse("dashboard")).content.decode()
    assert link not in client_for(district_librarian).get(reverse("dashboard")).content.decode()


def test_a_consultant_never_gets_the_figures_rendered_for_national_staff(
    client_for, perpusnas, consultant, registry
):
    staff_page = client_for(perpusnas).get(NATIONAL).content.decode()
    assert f'href="{KEPRI}"' in staff_page

    page = client_for(consultant).get(NATIONAL).content.decode()
    assert f'href="{KALTIM}"' in page and f'href="{KEPRI}"' not in page


def test_the_figures_are_rendered_in_each_readers_language(client_for, perpusnas, registry):
    client = client_for(perpusnas)
    assert "Perpustakaan peserta menurut tahun angkatan" in client.get(NATIONAL).content.decode()
    client.cookies["tpbis_language"] = "en"
    page = client.get(NATIONAL).content.decode()
    assert "Participating libraries by cohort year" in page
    assert "Perpustakaan peserta menurut tahun angkatan" not in page


@pytest.mark.parametrize(
    ("url", "queries"),
    [
        # session, user, the provinces of the scope; the figures rendered for this data version
        (NATIONAL, 3),
        # session, user, the province
        (KALTIM, 3),
        # session, user, the kab/kota
        (SAMARINDA, 3),
    ],
)
def test_dashboards_read_their_figures_from_the_cache_once_rendered(
    client_for, perpusnas, registry, village_library, url, queries, django_assert_num_queries
):
    client = client_for(perpusnas)
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
    # More data, rendered anew once, then the same number of queries.
    factories.ActivityFactory.create_batch(3, library=village_library)
    province_data_changed("64")
    client.get(url)
    with django_assert_num_queries(queries):
        assert client.get(url).status_code == 200
