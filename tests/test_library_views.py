import pytest
from django.urls import reverse

from libraries.models import Library
from tests import factories


def _names(response):
    return {library.name for library in response.context["page"].object_list}


@pytest.fixture
def registry(village_library, berau_village_library, kepri_library):
    """Libraries in Samarinda, Berau (both Kalimantan Timur) and Tanjung Pinang (Kepri)."""
    return Library.objects.all()


LIST = reverse("libraries:list")


@pytest.mark.django_db
def test_anonymous_visitor_is_sent_to_sign_in(client, registry):
    response = client.get(LIST)

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_perpusnas_sees_every_library(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(LIST)

    assert _names(response) == set(registry.values_list("name", flat=True))


def test_consultant_sees_only_their_province(client_for, consultant, registry):
    response = client_for(consultant).get(LIST)

    assert _names(response) == {
        "Dinas Perpustakaan Kota Samarinda",
        "Perpustakaan Kelurahan Rawa Makmur",
        "Dinas Perpustakaan Kabupaten Berau",
        "Perpustakaan Desa Merabu",
    }


def test_district_librarian_sees_only_libraries_of_their_kab_kota(
    client_for, district_librarian, registry
):
    response = client_for(district_librarian).get(LIST)

    assert _names(response) == {
        "Dinas Perpustakaan Kota Samarinda",
        "Perpustakaan Kelurahan Rawa Makmur",
    }


def test_village_librarian_sees_only_their_library(client_for, village_librarian, registry):
    response = client_for(village_librarian).get(LIST)

    assert _names(response) == {"Perpustakaan Kelurahan Rawa Makmur"}


def test_list_filters_by_level_and_search(client_for, perpusnas, registry):
    client = client_for(perpusnas)

    by_level = client.get(LIST, {"level": "regency"})
    by_name = client.get(LIST, {"q": "merabu"})
    by_province = client.get(LIST, {"province": "21"})

    assert _names(by_level) == {
        "Dinas Perpustakaan Kota Samarinda",
        "Dinas Perpustakaan Kabupaten Berau",
    }
    assert _names(by_name) == {"Perpustakaan Desa Merabu"}
    assert _names(by_province) == {"Perpustakaan Tanjung Pinang Barat"}


def test_list_with_an_unknown_filter_value_explains_it(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(LIST, {"level": "planet"})

    assert response.status_code == 200
    assert response.context["filter"].form.errors["level"]


def test_list_refuses_post(client_for, perpusnas, registry):
    assert client_for(perpusnas).post(LIST).status_code == 405


def test_list_keeps_a_fixed_number_of_queries(
    client_for, perpusnas, regions, django_assert_num_queries
):
    client = client_for(perpusnas)
    factories.village_library("64.72.01.1001")
    client.get(LIST)  # warm the session

    # session, user, count, page of libraries (with their regions), province choices
    with django_assert_num_queries(5):
        client.get(LIST)
    for code in ["64.72.01.1002", "64.72.02.1001", "64.03.01.2001", "21.72.01.1002"]:
        factories.village_library(code)
    with django_assert_num_queries(5):
        response = client.get(LIST)
    assert len(response.context["page"].object_list) == 5


# Detail


def test_detail_shows_aid_package_and_managers(client_for, consultant, village_library):
    factories.AidItemFactory(library=village_library, kind="computer", quantity=3)
    factories.LibraryManagerFactory(library=village_library, name="Siti Rahmawati")

    response = client_for(consultant).get(reverse("libraries:detail", args=[village_library.pk]))

    assert response.status_code == 200
    assert "Siti Rahmawati" in response.text
    assert "Komputer" in response.text


def test_detail_of_another_province_is_404(client_for, outsider, village_library):
    response = client_for(outsider).get(reverse("libraries:detail", args=[village_library.pk]))

    assert response.status_code == 404


def test_detail_of_a_neighbouring_kab_kota_is_404_for_a_district_librarian(
    client_for, district_librarian, berau_library
):
    url = reverse("libraries:detail", args=[berau_library.pk])

    assert client_for(district_librarian).get(url).status_code == 404


def test_detail_of_another_village_is_404_for_a_village_librarian(
    client_for, village_librarian, samarinda_library
):
    url = reverse("libraries:detail", args=[samarinda_library.pk])

    assert client_for(village_librarian).get(url).status_code == 404


def test_detail_of_an_unknown_library_is_404(client_for, perpusnas, regions):
    assert client_for(perpusnas).get(reverse("libraries:detail", args=[999])).status_code == 404


def test_anonymous_cannot_open_a_library_record(client, village_library):
    response = client.get(reverse("libraries:detail", args=[village_library.pk]))

    assert response.status_code == 302


# Edit


def _edit_data(library, **changes):
    data = {
        "name": library.name,
        "address": library.address,
        "phone": library.phone,
        "email": library.email,
        "website": library.website,
        "cohort_year": library.cohort_year,
        "support_tier": library.support_tier,
        "status": library.status,
        "version": library.version,
    }
    data.update(changes)
    return data


def test_consultant_edits_a_library_of_their_province(client_for, consultant, village_library):
    url = reverse("libraries:edit", args=[village_library.pk])

    response = client_for(consultant).post(
        url, _edit_data(village_library, phone="0541-123456", status="inactive")
    )

    assert response.status_code == 302
    village_library.refresh_from_db()
    assert village_library.phone == "0541-123456"
    assert village_library.status == "inactive"
    assert village_library.version == 2
    assert village_library.history.count() == 2


def test_consultant_cannot_edit_a_library_in_another_province(
    client_for, outsider, village_library
):
    url = reverse("libraries:edit", args=[village_library.pk])

    response = client_for(outsider).post(url, _edit_data(village_library, name="Diretas"))

    assert response.status_code == 404
    village_library.refresh_from_db()
    assert village_library.name == "Perpustakaan Kelurahan Rawa Makmur"


def test_librarian_may_read_but_not_edit_their_library(
    client_for, village_librarian, village_library
):
    url = reverse("libraries:edit", args=[village_library.pk])
    client = client_for(village_librarian)

    assert client.get(url).status_code == 403
    assert client.post(url, _edit_data(village_library, name="X")).status_code == 403
    village_library.refresh_from_db()
    assert village_library.name == "Perpustakaan Kelurahan Rawa Makmur"


def test_anonymous_cannot_edit(client, village_library):
    response = client.post(reverse("libraries:edit", args=[village_library.pk]), {})

    assert response.status_code == 302
    assert response["Location"].startswith(reverse("login"))


def test_edit_refuses_put(client_for, consultant, village_library):
    url = reverse("libraries:edit", args=[village_library.pk])

    assert client_for(consultant).put(url).status_code == 405


def test_edit_with_bad_input_shows_errors_and_saves_nothing(
    client_for, consultant, village_library
):
    url = reverse("libraries:edit", args=[village_library.pk])

    response = client_for(consultant).post(
        url, _edit_data(village_library, cohort_year=2015, email="bukan-email", name="")
    )

    assert response.status_code == 200
    errors = response.context["form"].errors
    assert "cohort_year" in errors and "email" in errors and "name" in errors
    assert "2018" in str(errors["cohort_year"])
    village_library.refresh_from_db()
    assert village_library.cohort_year == 2022
    assert village_library.version == 1


def test_stale_edit_is_refused_instead_of_overwriting(
    client_for, consultant, perpusnas, village_library
):
    url = reverse("libraries:edit", args=[village_library.pk])
    stale = _edit_data(village_library, phone="111")
    client_for(perpusnas).post(url, _edit_data(village_library, phone="222"))

    response = client_for(consultant).post(url, stale)

    assert response.status_code == 200
    assert "menyimpan perpustakaan ini" in response.text
    village_library.refresh_from_db()
    assert village_library.phone == "222"
