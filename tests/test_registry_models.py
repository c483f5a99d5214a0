import pytest
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from libraries.models import Library, Province, Regency, User, Village
from libraries.scope import Scope
from libraries.services import EditConflict, library_create, library_update
from tests import factories


def _library(**overrides):
    values = {
        "name": "Perpustakaan Uji",
        "level": Library.Level.VILLAGE,
        "province_id": "64",
        "regency_id": "64.72",
        "village_id": "64.72.01.1002",
        "cohort_year": 2022,
        "support_tier": Library.SupportTier.FULL,
    }
    values.update(overrides)
    return Library(**values)


def test_database_refuses_a_second_library_for_the_same_village(village_library):
    with pytest.raises(IntegrityError), transaction.atomic():
        _library(village_id="64.72.01.1001").save()


def test_database_refuses_a_village_library_without_its_village(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        _library(village_id=None).save()


def test_database_refuses_a_cohort_before_2018(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        _library(cohort_year=2017).save()


def test_database_refuses_a_librarian_without_a_library(regions):
    with pytest.raises(IntegrityError), transaction.atomic():
        User.objects.create(username="x", role=User.Role.VILLAGE_LIBRARIAN)


def test_one_library_per_level_per_region_allows_both_levels(samarinda_library):
    # The kab/kota library and a village library of the same kab/kota live side by side.
    factories.village_library("64.72.01.1002")

    assert Library.objects.filter(regency="64.72").count() == 2


def test_clean_explains_a_village_outside_the_chosen_kab_kota(regions):
    library = _library(village_id="64.03.01.2001")

    with pytest.raises(ValidationError) as error:
        library.full_clean()

    assert "village" in error.value.message_dict


def test_clean_explains_the_duplicate_in_plain_words(village_library):
    with pytest.raises(ValidationError) as error:
        _library(village_id="64.72.01.1001").full_clean()

    assert "Desa/kelurahan ini sudah memiliki perpustakaan." in str(error.value)


def test_clean_refuses_a_district_librarian_at_a_village_library(village_library):
    user = User(username="x", role=User.Role.DISTRICT_LIBRARIAN, library=village_library)

    with pytest.raises(ValidationError) as error:
        user.full_clean()

    assert "library" in error.value.message_dict


def test_new_superuser_is_perpusnas_staff(db):
    user = User.objects.create_superuser("root", "root@example.org", "x")

    assert user.role == User.Role.PERPUSNAS
    assert Scope.for_user(user).national


def test_unassigned_account_sees_nothing(regions, village_library):
    user = User.objects.create_user("baru")

    assert Library.objects.visible_to(user).count() == 0


def test_scope_is_computed_once_per_user_object(consultant, django_assert_num_queries):
    with django_assert_num_queries(1):
        Scope.for_user(consultant)
        Scope.for_user(consultant)


def test_consultant_with_two_provinces_sees_both(regions, village_library, kepri_library):
    both = factories.consultant("dua", "64", "21")

    assert set(Library.objects.visible_to(both)) == {
        village_library,
        kepri_library,
        Library.objects.get(level="regency", regency="64.72"),
    }


def test_regions_are_scoped_like_everything_else(consultant, regions):
    assert set(Province.objects.visible_to(consultant).values_list("code", flat=True)) == {"64"}
    assert set(Regency.objects.visible_to(consultant).values_list("code", flat=True)) == {
        "64.03",
        "64.72",
    }
    assert not Village.objects.visible_to(consultant).filter(code__startswith="21").exists()


def test_library_create_derives_province_and_kab_kota_from_the_village(consultant):
    library = library_create(
        actor=consultant,
        level=Library.Level.VILLAGE,
        name="Perpustakaan Kelurahan Handil Bakti",
        cohort_year=2024,
        support_tier=Library.SupportTier.BOOKS,
        village=Village.objects.get(code="64.72.01.1002"),
    )

    assert (library.province_id, library.regency_id) == ("64", "64.72")


def test_library_create_refuses_a_province_outside_the_actors_scope(outsider):
    with pytest.raises(ValidationError):
        library_create(
            actor=outsider,
            level=Library.Level.VILLAGE,
            name="Perpustakaan Asing",
            cohort_year=2024,
            support_tier=Library.SupportTier.FULL,
            village=Village.objects.get(code="64.72.01.1002"),
        )
    assert not Library.objects.filter(village="64.72.01.1002").exists()


def test_library_update_refuses_a_stale_version(perpusnas, village_library):
    library_update(actor=perpusnas, library=village_library, version=1, phone="1")

    with pytest.raises(EditConflict):
        library_update(actor=perpusnas, library=village_library, version=1, phone="2")
    village_library.refresh_from_db()
    assert village_library.phone == "1"


def test_library_update_refuses_an_actor_outside_the_province(
    outsider, village_librarian, village_library
):
    from django.core.exceptions import PermissionDenied

    for actor in (outsider, village_librarian):
        with pytest.raises(PermissionDenied):
            library_update(actor=actor, library=village_library, version=1, phone="1")
    village_library.refresh_from_db()
    assert village_library.phone == ""
