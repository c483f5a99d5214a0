"""The Nomor Pokok Perpustakaan (NPP): optional, unique when given, checked as a string."""

import csv
import io

import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.urls import reverse

from libraries.forms import LibraryEditForm
from libraries.models import Library
from libraries.models.registry import validate_npp
from tests import factories

NPP = "6372052C0000001"


@pytest.mark.parametrize("value", [NPP, "6472010000000001", "3201AB1234", "12345678901234567890"])
def test_npp_of_digits_and_letters_is_accepted(value):
    validate_npp(value)


@pytest.mark.parametrize(
    "value",
    [
        "123456789",  # too short to be a library's number
        "123456789012345678901",  # too long
        "6372052c0000001",  # lower case (the forms turn it upper case first)
        "6372052 C0000001",
        "6372052-C0000001",
        "6372052C000000é",
        "NPP: 6372052C",
        "63720<script>",
    ],
)
def test_npp_that_does_not_look_like_one_is_refused(value):
    with pytest.raises(ValidationError) as error:
        validate_npp(value)

    assert "6372052C0000001" in error.value.messages[0]  # the message shows an example


def test_libraries_without_an_npp_are_allowed_side_by_side(village_library, berau_village_library):
    village_library.full_clean()
    berau_village_library.full_clean()

    assert Library.objects.filter(npp="").count() == 4  # with their kab/kota libraries


def test_a_second_library_with_the_same_npp_is_refused_with_a_clear_message(
    village_library, berau_village_library
):
    Library.objects.filter(pk=village_library.pk).update(npp=NPP)
    berau_village_library.npp = NPP

    with pytest.raises(ValidationError) as error:
        berau_village_library.full_clean()

    assert "NPP ini sudah dimiliki perpustakaan lain." in str(error.value)


def test_database_refuses_a_duplicate_npp(village_library, berau_village_library):
    Library.objects.filter(pk=village_library.pk).update(npp=NPP)

    with pytest.raises(IntegrityError), transaction.atomic():
        Library.objects.filter(pk=berau_village_library.pk).update(npp=NPP)


def test_database_refuses_an_npp_of_the_wrong_shape(village_library):
    with pytest.raises(IntegrityError), transaction.atomic():
        Library.objects.filter(pk=village_library.pk).update(npp="12 34")


def test_edit_form_takes_the_npp_as_people_copy_it(village_library):
    data = {
        "name": village_library.name,
        "npp": " 6372052c.000-0001 ",
        "cohort_year": 2022,
        "support_tier": "full",
        "status": "active",
        "version": village_library.version,
    }

    form = LibraryEditForm(data, instance=village_library)

    assert form.is_valid(), form.errors
    assert form.cleaned_data["npp"] == NPP


def test_consultant_sets_an_npp_and_a_taken_one_is_explained(
    client_for, consultant, village_library, berau_village_library
):
    client = client_for(consultant)
    base = {
        "name": village_library.name,
        "cohort_year": 2022,
        "support_tier": "full",
        "status": "active",
    }
    url = reverse("libraries:edit", args=[village_library.pk])

    saved = client.post(url, {**base, "npp": NPP, "version": 1})
    village_library.refresh_from_db()
    taken = client.post(
        reverse("libraries:edit", args=[berau_village_library.pk]),
        {**base, "name": berau_village_library.name, "npp": NPP, "version": 1},
    )
    bad = client.post(url, {**base, "npp": "ABC", "version": village_library.version})

    assert saved.status_code == 302
    assert village_library.npp == NPP
    assert "NPP ini sudah dimiliki perpustakaan lain." in taken.content.decode()
    assert Library.objects.filter(npp=NPP).count() == 1
    assert "10 sampai 20 angka dan huruf" in bad.content.decode()
    village_library.refresh_from_db()
    assert village_library.npp == NPP


def test_library_list_finds_a_library_by_its_npp(
    client_for, perpusnas, village_library, kepri_library
):
    Library.objects.filter(pk=kepri_library.pk).update(npp=NPP)
    client = client_for(perpusnas)

    exact = client.get(reverse("libraries:list"), {"q": NPP})
    copied = client.get(reverse("libraries:list"), {"q": "6372052c 0000"})

    for response in (exact, copied):
        assert [library.name for library in response.context["page"].object_list] == [
            kepri_library.name
        ]
    assert NPP in exact.content.decode()


def test_library_list_search_by_npp_stays_in_scope(client_for, consultant, kepri_library):
    Library.objects.filter(pk=kepri_library.pk).update(npp=NPP)

    response = client_for(consultant).get(reverse("libraries:list"), {"q": NPP})

    assert list(response.context["page"].object_list) == []


def test_admin_finds_a_library_by_its_npp(client_for, perpusnas, village_library, kepri_library):
    Library.objects.filter(pk=kepri_library.pk).update(npp=NPP)

    response = client_for(perpusnas).get(reverse("admin:libraries_library_changelist"), {"q": NPP})

    assert response.status_code == 200
    assert kepri_library.name in response.content.decode()
    assert village_library.name not in response.content.decode()


def test_public_library_page_shows_the_npp(client, village_library):
    Library.objects.filter(pk=village_library.pk).update(npp=NPP)

    response = client.get(
        reverse("public:library", kwargs={"code": "64", "pk": village_library.pk}), follow=True
    )

    assert NPP in response.content.decode()


def _csv(response) -> list[dict]:
    text = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.DictReader(io.StringIO(text)))


def test_open_data_lists_the_active_libraries_of_the_province_with_their_npp(
    client, village_library, berau_village_library, kepri_library
):
    Library.objects.filter(pk=village_library.pk).update(npp=NPP)
    Library.objects.filter(pk=berau_village_library.pk).update(status=Library.Status.WITHDRAWN)
    factories.LibraryManagerFactory(library=village_library, name="Siti Rahasia", phone="0812")

    response = client.get(reverse("public:province-libraries-csv", kwargs={"code": "64"}))
    rows = _csv(response)

    assert response.status_code == 200
    assert {row["Nama"] for row in rows} == {
        "Dinas Perpustakaan Kota Samarinda",
        "Dinas Perpustakaan Kabupaten Berau",
        village_library.name,
    }
    ours = next(row for row in rows if row["Nama"] == village_library.name)
    assert ours["NPP"] == NPP
    assert ours["Kode desa/kelurahan"] == "64.72.01.1001"
    assert "Siti Rahasia" not in str(rows)


def test_open_data_of_libraries_for_an_unknown_province_is_not_found(client, regions):
    response = client.get(reverse("public:province-libraries-csv", kwargs={"code": "99"}))

    assert response.status_code == 404


def test_open_data_of_libraries_refuses_post(client, regions):
    response = client.post(reverse("public:province-libraries-csv", kwargs={"code": "64"}))

    assert response.status_code == 405
