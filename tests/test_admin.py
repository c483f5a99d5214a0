import pytest
from django.urls import reverse

from libraries.admin import ScopedRelatedListFilter
from libraries.models import Library
from tests import factories


@pytest.fixture
def registry(village_library, berau_village_library, kepri_library):
    return Library.objects.all()


def _changelist_names(response):
    return {library.name for library in response.context["cl"].result_list}


CHANGELIST = reverse("admin:libraries_library_changelist")


def test_perpusnas_staff_see_every_library_in_the_admin(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(CHANGELIST)

    assert response.status_code == 200
    assert _changelist_names(response) == set(registry.values_list("name", flat=True))


def test_consultant_sees_only_their_province_in_the_admin(client_for, consultant, registry):
    response = client_for(consultant).get(CHANGELIST)

    assert response.status_code == 200
    assert "Perpustakaan Tanjung Pinang Barat" not in _changelist_names(response)
    assert "Perpustakaan Kelurahan Rawa Makmur" in _changelist_names(response)


def test_library_of_another_province_is_404_in_the_admin(client_for, consultant, kepri_library):
    client = client_for(consultant)

    change = client.get(reverse("admin:libraries_library_change", args=[kepri_library.pk]))
    delete = client.post(
        reverse("admin:libraries_library_delete", args=[kepri_library.pk]), {"post": "yes"}
    )
    history = client.get(reverse("admin:libraries_library_history", args=[kepri_library.pk]))

    assert change.status_code == 404
    assert delete.status_code == 404
    assert history.status_code == 404
    assert Library.objects.filter(pk=kepri_library.pk).exists()


def test_consultant_cannot_move_a_library_into_another_province(
    client_for, consultant, village_library
):
    url = reverse("admin:libraries_library_change", args=[village_library.pk])
    data = {
        "name": village_library.name,
        "level": "village",
        "status": "active",
        "province": "21",
        "regency": "21.72",
        "village": "21.72.01.1002",
        "cohort_year": 2022,
        "support_tier": "full",
        "aid_items-TOTAL_FORMS": 0,
        "aid_items-INITIAL_FORMS": 0,
        "managers-TOTAL_FORMS": 0,
        "managers-INITIAL_FORMS": 0,
    }

    response = client_for(consultant).post(url, data)

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["province"]
    village_library.refresh_from_db()
    assert village_library.province_id == "64"


def test_consultant_registers_a_village_library_with_its_aid_package(
    client_for, consultant, regions
):
    data = {
        "name": "Perpustakaan Kelurahan Handil Bakti",
        "level": "village",
        "status": "active",
        "province": "64",
        "regency": "64.72",
        "village": "64.72.01.1002",
        "cohort_year": 2023,
        "support_tier": "full",
        "aid_items-TOTAL_FORMS": 1,
        "aid_items-INITIAL_FORMS": 0,
        "aid_items-0-kind": "computer",
        "aid_items-0-quantity": 3,
        "aid_items-0-received_on": "2023-08-15",
        "managers-TOTAL_FORMS": 1,
        "managers-INITIAL_FORMS": 0,
        "managers-0-name": "Nur Aini",
        "managers-0-position": "manager",
        "managers-0-active": "on",
    }

    response = client_for(consultant).post(reverse("admin:libraries_library_add"), data)

    assert response.status_code == 302, response.context["adminform"].form.errors
    library = Library.objects.get(village="64.72.01.1002")
    assert library.aid_items.get().quantity == 3
    assert library.managers.get().name == "Nur Aini"


def test_admin_refuses_a_second_library_for_the_same_village(
    client_for, perpusnas, village_library
):
    data = {
        "name": "Perpustakaan Kembar",
        "level": "village",
        "status": "active",
        "province": "64",
        "regency": "64.72",
        "village": "64.72.01.1001",
        "cohort_year": 2023,
        "support_tier": "full",
        "aid_items-TOTAL_FORMS": 0,
        "aid_items-INITIAL_FORMS": 0,
        "managers-TOTAL_FORMS": 0,
        "managers-INITIAL_FORMS": 0,
    }

    response = client_for(perpusnas).post(reverse("admin:libraries_library_add"), data)

    assert response.status_code == 200
    assert "sudah memiliki perpustakaan" in response.text
    assert Library.objects.filter(village="64.72.01.1001").count() == 1


def test_village_autocomplete_is_limited_to_the_consultants_province(
    client_for, consultant, regions
):
    response = client_for(consultant).get(
        reverse("admin:autocomplete"),
        {
            "app_label": "libraries",
            "model_name": "library",
            "field_name": "village",
            "term": "a",
        },
    )

    results = response.json()["results"]
    assert results
    assert all(result["id"].startswith("64.") for result in results)
    handil_bakti = next(r for r in results if r["id"] == "64.72.01.1002")
    assert (
        handil_bakti["text"]
        == "Kelurahan Handil Bakti, Kec. Palaran, Kota Samarinda (64.72.01.1002)"
    )


def test_regency_filter_lists_only_the_chosen_provinces_kab_kota(client_for, perpusnas, registry):
    response = client_for(perpusnas).get(CHANGELIST, {"province__code__exact": "64"})

    regency_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if getattr(spec, "parameter_name", None) == "regency"
    )
    assert {name for _code, name in regency_filter.lookup_choices} == {
        "Kota Samarinda",
        "Kabupaten Berau",
    }


def test_librarians_cannot_enter_the_admin(client_for, village_librarian):
    response = client_for(village_librarian).get(CHANGELIST)

    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_anonymous_visitor_is_sent_to_the_admin_sign_in(client, regions):
    response = client.get(CHANGELIST)

    assert response.status_code == 302


def test_consultants_cannot_manage_accounts(client_for, consultant):
    response = client_for(consultant).get(reverse("admin:libraries_user_changelist"))

    assert response.status_code == 403


def test_consultants_may_look_up_but_not_change_regions(client_for, consultant, regions):
    client = client_for(consultant)

    view = client.get(reverse("admin:libraries_village_change", args=["64.72.01.1001"]))
    other = client.get(reverse("admin:libraries_village_change", args=["21.72.01.1001"]))
    change = client.post(
        reverse("admin:libraries_village_change", args=["64.72.01.1001"]),
        {"name": "Diganti", "kind": "desa", "district": "64.72.01"},
    )

    assert view.status_code == 200
    assert other.status_code == 404
    assert change.status_code == 403


def test_admin_changelist_keeps_a_fixed_number_of_queries(
    client_for, perpusnas, regions, django_assert_num_queries
):
    client = client_for(perpusnas)
    factories.village_library("64.72.01.1001")
    client.get(CHANGELIST)
    # No count of the whole table (show_full_result_count = False), a capped count of the list.
    with django_assert_num_queries(8) as first:
        client.get(CHANGELIST)
    for code in ["64.72.01.1002", "64.72.02.1001", "64.03.01.2001"]:
        factories.village_library(code)
    with django_assert_num_queries(len(first.captured_queries)):
        client.get(CHANGELIST)


def test_province_filter_offers_only_the_consultants_provinces(client_for, registry):
    consultant = factories.consultant("dua.provinsi", "64", "21")

    response = client_for(consultant).get(CHANGELIST)

    province_filter = next(
        spec
        for spec in response.context["cl"].filter_specs
        if isinstance(spec, ScopedRelatedListFilter)
    )
    assert [name for _code, name in province_filter.lookup_choices] == [
        "Kepulauan Riau",
        "Kalimantan Timur",
    ]


def _library_admin_data(library, **changes):
    data = {
        "name": library.name,
        "level": library.level,
        "status": library.status,
        "province": library.province_id,
        "regency": library.regency_id or "",
        "village": library.village_id or "",
        "cohort_year": library.cohort_year,
        "support_tier": library.support_tier,
        "seen_version": library.version,
        "aid_items-TOTAL_FORMS": 0,
        "aid_items-INITIAL_FORMS": 0,
        "managers-TOTAL_FORMS": 0,
        "managers-INITIAL_FORMS": 0,
    }
    data.update(changes)
    return data


def test_admin_save_bumps_the_version_the_portal_checks(client_for, consultant, village_library):
    url = reverse("admin:libraries_library_change", args=[village_library.pk])

    response = client_for(consultant).post(
        url, _library_admin_data(village_library, phone="0541-999")
    )

    assert response.status_code == 302
    village_library.refresh_from_db()
    assert (village_library.phone, village_library.version) == ("0541-999", 2)


def test_stale_admin_save_is_refused_instead_of_overwriting(
    client_for, consultant, perpusnas, village_library
):
    url = reverse("admin:libraries_library_change", args=[village_library.pk])
    stale = _library_admin_data(village_library, phone="111")
    client_for(perpusnas).post(
        reverse("libraries:edit", args=[village_library.pk]),
        {
            "name": village_library.name,
            "cohort_year": 2022,
            "support_tier": "full",
            "status": "active",
            "phone": "222",
            "version": 1,
        },
    )

    response = client_for(consultant).post(url, stale)

    assert response.status_code == 200
    assert "Orang lain telah menyimpan perpustakaan ini" in response.text
    village_library.refresh_from_db()
    assert village_library.phone == "222"


def test_perpusnas_staff_cannot_grant_themselves_superuser(client_for, perpusnas):
    client = client_for(perpusnas)
    url = reverse("admin:libraries_user_change", args=[perpusnas.pk])

    form = client.get(url).context["adminform"].form
    client.post(
        url,
        {
            "username": perpusnas.username,
            "role": "perpusnas",
            "is_active": "on",
            "is_staff": "on",
            "is_superuser": "on",
            "date_joined_0": "2024-01-01",
            "date_joined_1": "00:00:00",
        },
    )

    assert "is_superuser" not in form.fields and "user_permissions" not in form.fields
    perpusnas.refresh_from_db()
    assert not perpusnas.is_superuser


def test_perpusnas_staff_cannot_change_a_superuser_account(client_for, perpusnas):
    from libraries.models import User

    root = User.objects.create_superuser("root", "root@example.org", "rahasia-panjang-1")

    response = client_for(perpusnas).post(
        reverse("admin:libraries_user_change", args=[root.pk]),
        {"username": "root", "email": "attacker@example.org", "role": "perpusnas"},
    )

    assert response.status_code == 403
    root.refresh_from_db()
    assert root.email == "root@example.org"


def test_librarian_marked_as_staff_still_cannot_use_the_admin(client_for, village_librarian):
    village_librarian.is_staff = True
    village_librarian.save(update_fields=["is_staff"])

    response = client_for(village_librarian).get(CHANGELIST)

    assert response.status_code == 403
